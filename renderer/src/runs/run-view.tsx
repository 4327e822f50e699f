import { useRef, useState } from 'react';
import type { Problem } from '../../../shared/problem';
import type { RunRecord, RunStatus, StepRecord } from '../../../shared/run';
import { useIncidents } from '../stores/incident-store';
import { useRun } from '../stores/run-store';
import { durationBetween, formatDuration, formatStarted } from '../common/format';
import { useShiftShortcut } from '../common/use-shift-shortcut';
import { PhaseStepper } from './phase-stepper';
import { ReportActions } from '../report/report-actions';
import { ProblemNotice } from '../common/problem-notice';
import { previousReleases, RunDecision } from './run-decision';
import { RollbackNotice } from './rollback-notice';
import { RunChecklist } from '../checklists/run-checklist';
import { RunLogPanel } from './run-log-panel';
import { isLive, RunStatusBadge, shownState } from './run-status';
import { RunSteps } from './run-steps';
import { PausedBanner } from './run-waiting';
import { StepOutput } from './step-output';
import { useLogStream } from '../logs/use-log-stream';
import { useNow } from '../common/use-now';
import { VerifyPanel } from '../verify/verify-panel';
import { TableHead } from '../common/table-head';

/**
 * One run in the cockpit: the phases across the top, its checklist, gates,
 * approval and sign-off under them; its steps, the chosen step's live output,
 * and the hosts with the decision side by side below.
 */
export function RunView() {
  const record = useRun((s) => s.record);
  const loadProblem = useRun((s) => s.loadProblem);
  const close = useRun((s) => s.close);
  const now = useNow(1000);
  // null follows the run; a step id keeps that step in view.
  const [pinned, setPinned] = useState<string | null>(null);
  const rollbackRef = useRef<HTMLButtonElement>(null);
  const openId = useRun((s) => s.openId);
  // One stream for the whole run: the step's output is that stream filtered to the step.
  const runStream = useLogStream(openId ? { kind: 'run', runId: openId } : null);
  const [logOpen, setLogOpen] = useState(false);

  // Shift+R takes the Rollback button, from anywhere but a field or a dialog.
  useShiftShortcut('R', () => rollbackRef.current?.focus());

  const breadcrumb = (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <button className="link-button" onClick={close}>
        Runs
      </button>{' '}
      <span aria-hidden="true">›</span> {record ? `${record.service} ${record.version}` : 'run'}
    </nav>
  );
  if (!record) {
    return (
      <section className="page" aria-label="Run">
        {breadcrumb}
        {loadProblem ? (
          <ProblemNotice problem={loadProblem} title="Could not open the run" />
        ) : (
          <p className="muted" role="status">
            Opening the run…
          </p>
        )}
      </section>
    );
  }

  const selected = pinned ? record.steps.find((s) => s.id === pinned) : followed(record.steps, record.status);
  const total = durationBetween(record.startedAt, record.endedAt, now);
  const verifies = record.spec.verification !== undefined || record.verification !== undefined;

  return (
    <section
      className={logOpen ? 'run-view with-log' : 'run-view'}
      aria-label={`Run ${record.service} ${record.version}`}
    >
      <div className="page run-main">
        {breadcrumb}
        <header className="page-head">
          <div>
            <h2>
              {record.service} <code>{record.version}</code> →{' '}
              <span className={`env env-${record.environment}`}>{record.environment}</span>{' '}
              <RunStatusBadge status={record.status} />
            </h2>
            <p className="muted">
              by{' '}
              {record.startedBy && record.startedBy !== record.who ? `${record.startedBy} (${record.who})` : record.who}{' '}
              · started {formatStarted(record.startedAt, now)} · {total !== undefined && formatDuration(total)}
              {isLive(record.status) && record.status !== 'running' ? ' so far' : ''}
              {record.notes && (
                <>
                  {' '}
                  · <span className="run-notes">{record.notes}</span>
                </>
              )}
            </p>
          </div>
          <div className="actions">
            <button
              aria-pressed={logOpen}
              onClick={() => setLogOpen(!logOpen)}
              title="Open the whole run's log, or the service's containers, beside the run"
            >
              Log beside the run
            </button>
            <ReportActions record={record} />
            {record.status === 'confirmed' && (
              <button
                onClick={() =>
                  useIncidents
                    .getState()
                    .startOpening({ causedBy: record.id, service: record.service, environment: record.environment })
                }
                title="This release broke something: open an incident that follows it"
              >
                Open an incident
              </button>
            )}
          </div>
        </header>
        {record.status === 'paused' && <PausedBanner waiting={record.waiting} />}
        {record.status === 'interrupted' && <InterruptedBanner record={record} />}
        {record.status === 'failed' && record.problem && (
          <RunProblem problem={record.problem} title={`The run failed${failedPhase(record)}`} />
        )}
        {record.status === 'rolled-back' && <RolledBack record={record} />}
        {record.status === 'confirmed' && (
          <p className="banner ok" role="status">
            Confirmed: {record.version} is live on {record.hosts.map((h) => h.server).join(', ')}.
          </p>
        )}
        {loadProblem && <ProblemNotice problem={loadProblem} title="Could not read the run again" />}
        <PhaseStepper record={record} now={now} />
        <RunChecklist record={record} />
        <div className={verifies ? 'run-grid with-verify' : 'run-grid'}>
          <RunSteps
            steps={record.steps}
            status={record.status}
            selectedId={selected?.id}
            following={pinned === null}
            onSelect={setPinned}
          />
          <StepOutput
            step={selected}
            status={record.status}
            streamKey={runStream}
            following={pinned === null}
            onFollow={() => setPinned(null)}
          />
          <aside className="run-side" aria-label="Decision, verification and hosts">
            {isLive(record.status) && <RunDecision record={record} rollbackRef={rollbackRef} />}
            {verifies && (
              <VerifyPanel record={record} live={isLive(record.status)} baseline={previousReleases(record)} />
            )}
            <RunHosts record={record} />
          </aside>
        </div>
        <RollbackNotice record={record} />
      </div>
      {logOpen && <RunLogPanel record={record} runStream={runStream} onClose={() => setLogOpen(false)} />}
    </section>
  );
}

/** The step to show while following: the running one; in a failed or interrupted run the first that went wrong; else the last that ran. */
function followed(steps: readonly StepRecord[], status: RunStatus): StepRecord | undefined {
  const shown = steps.map((step) => ({ step, state: shownState(step.state, step.phase, status) }));
  const running = shown.filter((s) => s.state === 'running');
  if (running.length > 0) return running[running.length - 1]!.step;
  const wrong =
    status === 'failed' || status === 'interrupted'
      ? shown.find((s) => s.state === 'failed' || s.state === 'unfinished')
      : undefined;
  if (wrong) return wrong.step;
  const ran = steps.filter((s) => s.state !== 'pending');
  return ran[ran.length - 1] ?? steps[0];
}

function failedPhase(record: RunRecord): string {
  const phase = record.phases.find((p) => p.state === 'failed');
  return phase ? ` in ${phase.phase}` : '';
}

/** Each host: the release it ran before, the one this run brings, and whether its traffic moved. */
function RunHosts({ record }: { record: RunRecord }) {
  return (
    <section className="run-hosts" aria-label="Hosts">
      <h3>Hosts</h3>
      <table className="table" aria-label="Hosts of the run">
        <TableHead columns={['Server', 'Release', 'Port', 'Switched']} />
        <tbody>
          {record.hosts.map((h) => (
            <tr key={h.server}>
              <td>
                <strong>{h.server}</strong>
              </td>
              <td>
                {h.previous ?? <span className="muted">none</span>} → <strong>{h.next}</strong>
              </td>
              <td className="num">{h.port}</td>
              <td className={h.switched ? 'switched yes' : 'switched no'}>{h.switched ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {record.actual && (
        <>
          <h4 className="actual-head">Read from the hosts just now</h4>
          <ul className="actual" aria-label="What the hosts do now">
            {record.actual.map((a) => (
              <li key={a.server}>
                <strong>{a.server}</strong>:{' '}
                {a.problem ? (
                  <span className="hot">could not be read: {a.problem.message}</span>
                ) : (
                  <>
                    serves <strong>{a.serving ?? 'nothing Shipdeck knows'}</strong>
                    {' · '}
                    {a.lockHeldBy ? <>lock held by {a.lockHeldBy}</> : 'lock free'}
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function InterruptedBanner({ record }: { record: RunRecord }) {
  return (
    <div className="banner warn interrupted" role="alert">
      <strong>This run was interrupted.</strong> Shipdeck stopped while the run was under way, so it never reached a
      decision. The hosts may still hold the deploy lock of {record.service}, and some may already send traffic to{' '}
      {record.version} (see “Switched” below). Resume to finish deploying {record.version} where it is missing, roll
      back to {previousReleases(record)} to put every host back as it was, or confirm {record.version} if it serves
      well.
    </div>
  );
}

function RolledBack({ record }: { record: RunRecord }) {
  return (
    <div className="banner info" role="status">
      <strong>Rolled back to {previousReleases(record)}.</strong>
      {record.problem && (
        <>
          {' '}
          Reason: {reasonOf(record.problem)}
          {record.problem.where && (
            <>
              {' '}
              (<code>{record.problem.where}</code>)
            </>
          )}
          {record.problem.hint && <p className="small">{record.problem.hint}</p>}
          <ProblemDetails problem={record.problem} />
        </>
      )}
    </div>
  );
}

/** Why a run was rolled back: the user's reason, or what failed. */
function reasonOf(problem: Problem): string {
  // The engine records a person's reason as "Rolled back: <reason>"; the banner says "Rolled back" already.
  return problem.message.replace(/^Rolled back:\s*/, '');
}

/** A failed run's problem, with what the engine saw (health answers, the container's log) in full. */
function RunProblem({ problem, title }: { problem: Problem; title: string }) {
  return (
    <div className="run-problem">
      <ProblemNotice problem={problem} title={title} />
      <ProblemDetails problem={problem} />
    </div>
  );
}

const detailTitles: Record<string, string> = { answers: 'Health check answers', containerLog: 'Container log' };

function ProblemDetails({ problem }: { problem: Problem }) {
  const details = Object.entries(problem.details ?? {}).filter(([key]) => key in detailTitles);
  if (details.length === 0) return null;
  return (
    <div className="problem-details">
      {details.map(([key, text]) => (
        <figure key={key}>
          <figcaption>{detailTitles[key]}</figcaption>
          <pre className="output" aria-label={detailTitles[key]} tabIndex={0}>
            {text}
          </pre>
        </figure>
      ))}
    </div>
  );
}
