import type { RunStatus, StepRecord } from '../../../shared/run';
import { formatDuration } from '../common/format';
import { LogViewer } from '../logs/log-viewer';
import { shownState, type ShownState } from './run-status';

/**
 * One step's exact line, then its output from the run's log stream (stdout
 * and stderr apart), then how it ended; the list follows the newest line
 * until you scroll up.
 */
export function StepOutput({
  step,
  status,
  streamKey,
  following,
  onFollow,
}: {
  step: StepRecord | undefined;
  status: RunStatus;
  streamKey: string | null;
  following: boolean;
  onFollow: () => void;
}) {
  if (!step)
    return (
      <section className="step-output" aria-label="Output">
        <p className="muted">Output shows here as the run prints it.</p>
      </section>
    );
  const state = shownState(step.state, step.phase, status);

  return (
    <section className="step-output" aria-label="Output">
      <div className="output-head">
        <div>
          <strong>{step.purpose}</strong> <span className="host-tag">{step.host}</span>
        </div>
        {following ? (
          <span className="muted small" role="status">
            Following the run
          </span>
        ) : (
          <button className="quiet small-button" onClick={onFollow}>
            Follow the run
          </button>
        )}
      </div>
      <LogViewer
        // A new step starts its view afresh: its own search, filters and scroll.
        key={step.id}
        className="tall run-output"
        streamKey={streamKey}
        step={step.id}
        label={`Output of ${step.purpose} on ${step.host}`}
        waitingText={
          state === 'pending'
            ? 'not started'
            : state === 'running'
              ? 'waiting for output…'
              : 'This step printed nothing.'
        }
        header={<div className="output-command">$ {step.line}</div>}
        footer={<StepExit step={step} state={state} />}
      />
    </section>
  );
}

/** How the step ended, or that it still runs. */
function StepExit({ step, state }: { step: StepRecord; state: ShownState<StepRecord['state']> }) {
  if (state === 'running') return <div className="output-exit running">running…</div>;
  if (state === 'pending') return <div className="output-exit">not started</div>;
  if (state === 'unfinished')
    return <div className="output-exit fail">did not finish: the run stopped while this step ran</div>;
  if (state !== 'ok' && state !== 'failed') return null;
  return (
    <div className={state === 'ok' ? 'output-exit ok' : 'output-exit fail'}>
      {state === 'ok' ? 'done' : 'failed'}
      {step.exitCode !== undefined && ` · exit ${step.exitCode ?? 'by signal'}`}
      {step.durationMs !== undefined && ` · ${formatDuration(step.durationMs)}`}
      {step.detail && ` · ${step.detail}`}
    </div>
  );
}
