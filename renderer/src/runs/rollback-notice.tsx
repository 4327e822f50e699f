import { useState } from 'react';
import type { RunRecord } from '../../../shared/run';
import { useRun } from '../stores/run-store';
import { durationBetween, formatDuration } from '../common/format';
import { previousReleases } from './run-decision';

/**
 * An undo-style notice rather than a dialog: "Rolling back to v1…" with the
 * rollback's progress while it runs, then how it ended. It never blocks the view.
 */
export function RollbackNotice({ record }: { record: RunRecord }) {
  const decision = useRun((s) => s.decision);
  const [dismissed, setDismissed] = useState(false);
  const phase = record.phases.find((p) => p.phase === 'ROLLBACK');
  const asked = decision?.action === 'rollback' && decision.pending;
  if ((!phase && !asked) || dismissed) return null;

  const steps = record.steps.filter((s) => s.phase === 'ROLLBACK');
  const done = steps.filter((s) => s.state === 'ok').length;
  const target = previousReleases(record);
  const running = !phase || phase.state === 'running' || (asked && phase.state === 'pending');
  const failed = phase?.state === 'failed';
  const took = durationBetween(phase?.startedAt, phase?.endedAt, Date.now());

  return (
    <div className={`toast${failed ? ' bad' : running ? '' : ' ok'}`} role="status" aria-label="Rollback">
      <div className="toast-text">
        {running ? (
          <>
            <strong>Rolling back to {target}…</strong>
            <span className="muted small">
              {steps.length > 0 ? `${done} of ${steps.length} steps done` : 'starting'}
            </span>
            <progress max={Math.max(steps.length, 1)} value={done} aria-label="Rollback progress" />
          </>
        ) : failed ? (
          <strong>The rollback to {target} failed: see the run’s problem.</strong>
        ) : (
          <strong>
            Rolled back to {target}
            {took !== undefined ? ` in ${formatDuration(took)}` : ''}.
          </strong>
        )}
      </div>
      {!running && (
        <button className="quiet" aria-label="Dismiss" onClick={() => setDismissed(true)}>
          ✕
        </button>
      )}
    </div>
  );
}
