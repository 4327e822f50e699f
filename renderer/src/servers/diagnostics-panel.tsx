import { useEffect, useRef } from 'react';
import { diagnosticIds, diagnostics } from '../../../shared/diagnostics';
import type { Server } from '../../../shared/server';
import { useDiagnostics, type DiagnosticRun } from '../stores/diagnostic-store';
import { ProblemNotice } from '../common/problem-notice';

/** Read-only commands, run with one click, their output streaming in. */
export function DiagnosticsPanel({ server }: { server: Server }) {
  const run = useDiagnostics((s) => s.run);
  const clear = useDiagnostics((s) => s.clear);
  const runIds = useDiagnostics((s) => s.order[server.id]) ?? [];
  const runs = useDiagnostics((s) => s.runs);
  const startProblem = useDiagnostics((s) => s.startProblem[server.id]);

  return (
    <section className="panel" aria-label="Diagnostics">
      <div className="panel-head">
        <h3>Diagnostics</h3>
        <div className="actions">
          {diagnosticIds.map((id) => (
            <button key={id} onClick={() => void run(server.id, id)} title={diagnostics[id].command.purpose}>
              {diagnostics[id].label}
            </button>
          ))}
          {runIds.length > 0 && (
            <button className="quiet" onClick={() => clear(server.id)}>
              Clear
            </button>
          )}
        </div>
      </div>
      {startProblem && <ProblemNotice problem={startProblem} title="The command did not start" />}
      <Output runs={runIds.map((id) => runs[id]).filter((r): r is DiagnosticRun => r !== undefined)} />
    </section>
  );
}

function Output({ runs }: { runs: readonly DiagnosticRun[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Follow the newest output.
    box.current?.scrollTo({ top: box.current.scrollHeight });
  });
  if (runs.length === 0) return <p className="muted">Run a command to see its output here, live.</p>;
  return (
    <div className="output" ref={box} role="log" aria-label="Command output" aria-live="polite">
      {runs.map((r) => (
        <div key={r.runId} className="output-run">
          <div className="output-command">$ {r.commandLine}</div>
          {r.chunks.map((chunk, i) => (
            <span key={i} className={chunk.stream === 'stderr' ? 'stderr' : 'stdout'}>
              {chunk.text}
            </span>
          ))}
          {r.exit ? (
            r.exit.problem ? (
              <ProblemNotice problem={r.exit.problem} />
            ) : (
              <div className={r.exit.exitCode === 0 ? 'output-exit ok' : 'output-exit fail'}>
                exit {r.exit.exitCode ?? `signal ${r.exit.signal}`} · {r.exit.durationMs} ms
              </div>
            )
          ) : (
            <div className="output-exit running">running…</div>
          )}
        </div>
      ))}
    </div>
  );
}
