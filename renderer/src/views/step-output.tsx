import { useLayoutEffect, useRef } from 'react';
import type { RunStatus, StepRecord } from '../../../shared/run';
import type { OutputChunk } from '../stores/diagnostic-store';
import { useRun } from '../stores/run-store';
import { formatDuration } from './format';
import { shownState } from './run-status';

/** One step's exact line and its output as it streams, stdout and stderr apart; it stays at the bottom while you do. */
export function StepOutput({ step, status, following, onFollow }: { step: StepRecord | undefined; status: RunStatus; following: boolean; onFollow: () => void }) {
  const output = useRun((s) => (step ? s.output[step.id] : undefined));
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    if (atBottom.current) box.current?.scrollTo({ top: box.current.scrollHeight });
  });

  if (!step) return <section className="step-output" aria-label="Output"><p className="muted">Output shows here as the run prints it.</p></section>;
  const segments = mergeByStream(output?.chunks ?? []);
  const state = shownState(step.state, step.phase, status);

  return (
    <section className="step-output" aria-label="Output">
      <div className="output-head">
        <div>
          <strong>{step.purpose}</strong> <span className="host-tag">{step.host}</span>
        </div>
        {following ? <span className="muted small" role="status">Following the run</span> : <button className="quiet small-button" onClick={onFollow}>Follow the run</button>}
      </div>
      <div
        className="output run-output"
        ref={box}
        role="log"
        aria-label={`Output of ${step.purpose} on ${step.host}`}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        <div className="output-command">$ {step.line}</div>
        {output && output.dropped > 0 && <div className="output-dropped">… {output.dropped} earlier chunks not shown (the last {output.chunks.length} are)</div>}
        {segments.map((segment, i) => <span key={i} className={segment.stream}>{segment.text}</span>)}
        {state === 'running' && <div className="output-exit running">running…</div>}
        {state === 'pending' && <div className="output-exit">not started</div>}
        {state === 'unfinished' && <div className="output-exit fail">did not finish: the run stopped while this step ran</div>}
        {(state === 'ok' || state === 'failed') && (
          <div className={state === 'ok' ? 'output-exit ok' : 'output-exit fail'}>
            {state === 'ok' ? 'done' : 'failed'}
            {step.exitCode !== undefined && ` · exit ${step.exitCode ?? 'by signal'}`}
            {step.durationMs !== undefined && ` · ${formatDuration(step.durationMs)}`}
            {step.detail && ` · ${step.detail}`}
          </div>
        )}
      </div>
    </section>
  );
}

/** Neighbouring chunks of the same stream as one run of text: far fewer elements to render. */
function mergeByStream(chunks: readonly OutputChunk[]): OutputChunk[] {
  const merged: OutputChunk[] = [];
  for (const chunk of chunks) {
    const last = merged[merged.length - 1];
    if (last && last.stream === chunk.stream) merged[merged.length - 1] = { stream: chunk.stream, text: last.text + chunk.text };
    else merged.push(chunk);
  }
  return merged;
}
