import { useState, type Ref } from 'react';
import type { RunRecord } from '../../../shared/run';
import { useRun } from '../stores/run-store';
import { ProblemNotice } from '../common/problem-notice';

/** The reason recorded when the user gives none. */
export const defaultRollbackReason = 'Rolled back from the run view';

/**
 * Confirm or roll back, always in the same place while the run is live. One
 * click each, no dialog: a rollback shows its progress in a notice instead.
 * Rollback stays focusable (Shift+R) even while the run is still working.
 */
export function RunDecision({ record, rollbackRef }: { record: RunRecord; rollbackRef: Ref<HTMLButtonElement> }) {
  const decision = useRun((s) => s.decision);
  const { confirm, rollback, resume } = useRun.getState();
  const [reason, setReason] = useState('');
  const [notYet, setNotYet] = useState(false);
  const decidable = record.status === 'awaiting-decision' || record.status === 'interrupted';
  // While the run still works (or is paused at a checklist), Rollback aborts it: it stops before its next step and undoes what it switched.
  const aborting = record.status === 'running' || record.status === 'paused';
  const canRollBack = decidable || aborting;
  const busy = decision?.pending === true;
  const previous = previousReleases(record);

  const rollBack = () => {
    if (!canRollBack || busy) {
      setNotYet(true);
      return;
    }
    setNotYet(false);
    void rollback(reason.trim() || defaultRollbackReason);
  };

  return (
    <section className="decision" aria-label="Decision">
      <h3>Decision</h3>
      <p className="decision-text">
        {record.status === 'running' && 'The run is working. Confirm or roll back once VERIFY has passed.'}
        {record.status === 'paused' && (
          <>
            The run is paused
            {record.waiting ? (
              <>
                {' '}
                before <strong>{record.waiting.at}</strong>
              </>
            ) : (
              ''
            )}
            : work its checklist to go on, or roll back to stop it.
          </>
        )}
        {record.status === 'awaiting-decision' &&
          (record.verification?.acted === 'asked' ? (
            <>
              VERIFY asks you to decide: {record.verification.judgement?.reason ?? 'see the decision cards.'} Keep{' '}
              <strong>{record.version}</strong>, or send traffic back to <strong>{previous}</strong>.
            </>
          ) : (
            <>
              VERIFY passed. Keep <strong>{record.version}</strong>, or send traffic back to <strong>{previous}</strong>
              .
            </>
          ))}
        {record.status === 'interrupted' && (
          <>
            Interrupted: resume it, roll back to <strong>{previous}</strong>, or confirm{' '}
            <strong>{record.version}</strong> if the hosts serve it well.
          </>
        )}
      </p>
      <div className="decision-buttons">
        <button className="primary" onClick={() => void confirm()} disabled={!decidable || busy}>
          {busy && decision?.action === 'confirm' ? 'Confirming…' : 'Confirm release'}
        </button>
        <button
          ref={rollbackRef}
          className="danger rollback-button"
          onClick={rollBack}
          aria-disabled={!canRollBack || busy}
          title={aborting ? 'Shift+R: stop the run and undo what it switched' : 'Shift+R'}
        >
          {busy && decision?.action === 'rollback'
            ? 'Rolling back…'
            : record.status === 'paused'
              ? 'Rollback (stop)'
              : aborting
                ? 'Rollback (abort)'
                : 'Rollback'}
        </button>
      </div>
      {record.status === 'interrupted' && (
        <button
          className="resume-button"
          onClick={() => void resume()}
          disabled={busy}
          title="Deploy again on hosts not yet on the new release, then VERIFY"
        >
          {busy && decision?.action === 'resume' ? 'Resuming…' : `Resume: finish deploying ${record.version}`}
        </button>
      )}
      {notYet && !canRollBack && (
        <p className="muted small" role="status">
          This run has ended: there is nothing to roll back.
        </p>
      )}
      <label className="reason">
        Reason <span className="muted">(optional)</span>
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={defaultRollbackReason}
          maxLength={1000}
        />
      </label>
      {decision?.problem && <ProblemNotice problem={decision.problem} title={decisionRefused[decision.action]} />}
    </section>
  );
}

const decisionRefused = {
  confirm: 'The release was not confirmed',
  rollback: 'The rollback did not happen',
  resume: 'The run was not resumed',
} as const;

/** The release(s) a rollback returns to, as one phrase. */
export function previousReleases(record: RunRecord): string {
  const releases = [...new Set(record.hosts.map((h) => h.previous).filter((p): p is string => !!p))];
  return releases.length > 0 ? releases.join(', ') : 'the previous release';
}
