import { useState, type FormEvent } from 'react';
import type { Problem } from '../../../shared/problem';
import { phases, type PlannedStep, type RunPreview, type ServiceEntry } from '../../../shared/run';
import type { ServiceSpec } from '../../../shared/service-spec';
import { api } from '../api';
import { problemOf } from '../stores/problem';
import { openStartedRun } from '../stores/run-store';
import { useSection } from '../stores/section-store';
import { Dialog } from './dialog';
import { ProblemNotice } from './problem-notice';

/**
 * Release a service: choose where and which version, read the plan host by
 * host and step by step (nothing has changed yet), then run exactly that plan.
 */
export function ReleaseDialog({ entry, spec, onClose }: { entry: ServiceEntry; spec: ServiceSpec; onClose: () => void }) {
  const environments = Object.keys(spec.servers);
  const [environment, setEnvironment] = useState(environments[0] ?? '');
  const [version, setVersion] = useState('');
  const [notes, setNotes] = useState('');
  const [preview, setPreview] = useState<RunPreview | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<'planning' | 'starting' | null>(null);

  // A plan is for the environment and version it was made with: changing either drops it.
  const change = (apply: () => void) => {
    apply();
    setPreview(null);
    setProblem(null);
  };

  const plan = async (event: FormEvent) => {
    event.preventDefault();
    setBusy('planning');
    setProblem(null);
    setPreview(null);
    try {
      setPreview(await api.planRelease({ service: entry.name, environment, version: version.trim() }));
    } catch (error) {
      setProblem(problemOf(error));
    }
    setBusy(null);
  };

  const run = async () => {
    if (!preview) return;
    setBusy('starting');
    setProblem(null);
    try {
      const started = await api.startRun({ previewId: preview.previewId, notes: notes.trim() });
      onClose();
      useSection.getState().open('runs');
      openStartedRun(started.id);
    } catch (error) {
      setProblem(problemOf(error));
      setBusy(null);
    }
  };

  return (
    <Dialog label={`Release ${entry.name}`} onClose={onClose} wide>
      <form className="release-form" onSubmit={plan} aria-label="What to release">
        <label>Environment
          <select value={environment} onChange={(e) => change(() => setEnvironment(e.target.value))}>
            {environments.map((env) => <option key={env} value={env}>{env} ({spec.servers[env]!.join(', ')})</option>)}
          </select>
        </label>
        <label>Version
          <input value={version} onChange={(e) => change(() => setVersion(e.target.value))} placeholder="v2" required autoFocus spellCheck={false} />
        </label>
        <button type="submit" disabled={busy !== null || !version.trim()}>{busy === 'planning' ? 'Reading the hosts…' : 'Preview plan'}</button>
      </form>
      <p className="muted small">
        Shipdeck reads each host (what runs, which port is free, who holds the lock) and shows every step it would take; nothing changes until you run the plan. The saved spec is used.
      </p>
      {problem && <ProblemNotice problem={problem} title={preview ? 'The run did not start' : 'No plan'} />}
      {preview && <PlanPreview preview={preview} image={spec.image} />}
      {preview && (
        <label className="notes">Notes <span className="muted small">(kept with the run)</span>
          <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={2} placeholder="What this release changes, the ticket…" />
        </label>
      )}
      <div className="actions dialog-actions">
        <button className="primary" onClick={() => void run()} disabled={!preview || busy !== null}>{busy === 'starting' ? 'Starting…' : 'Run this plan'}</button>
        <button onClick={onClose}>Cancel</button>
      </div>
    </Dialog>
  );
}

/** The plan as it will run: each host's move, then every step by phase with its exact line. */
function PlanPreview({ preview, image }: { preview: RunPreview; image: string }) {
  const byPhase = phases.map((phase) => ({ phase, steps: preview.steps.filter((s) => s.phase === phase) })).filter((g) => g.steps.length > 0);
  return (
    <section className="plan" aria-label="Plan">
      <h3>
        {preview.service} <code>{image}:{preview.version}</code> to <span className={`env env-${preview.environment}`}>{preview.environment}</span>
      </h3>
      <table className="table" aria-label="Hosts in the plan">
        <thead><tr><th scope="col">Server</th><th scope="col">Live now</th><th scope="col"></th><th scope="col">New release</th><th scope="col">Port</th></tr></thead>
        <tbody>
          {preview.hosts.map((h) => (
            <tr key={h.server}>
              <td><strong>{h.server}</strong></td>
              <td>{h.live ?? <span className="muted">nothing yet</span>}</td>
              <td aria-hidden="true">→</td>
              <td><strong>{preview.version}</strong></td>
              <td className="num">{h.port}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">PREPARE is done: the hosts were read to make this plan. {preview.steps.length} steps follow, in this order.</p>
      {byPhase.map(({ phase, steps }) => (
        <section key={phase} className="plan-phase" aria-label={`${phase} steps`}>
          <h4>{phase}</h4>
          <ol className="plan-steps">
            {steps.map((step) => <PlanStep key={step.id} step={step} />)}
          </ol>
        </section>
      ))}
    </section>
  );
}

function PlanStep({ step }: { step: PlannedStep }) {
  return (
    <li>
      <div className="step-purpose">{step.purpose} <span className="host-tag">{step.host}</span></div>
      <code className="step-line">{step.line}</code>
    </li>
  );
}
