import { useState } from 'react';
import { approved, samePerson, type Approval } from '../../../shared/gates';
import type { Problem } from '../../../shared/problem';
import type { RunRecord } from '../../../shared/run';
import { useOperator } from '../stores/operator-store';
import { isFinalStatus } from '../stores/run-list-store';
import { decideApproval } from '../stores/run-store';
import { formatStarted } from '../common/format';
import { ProblemNotice } from '../common/problem-notice';

/**
 * A second named person approves (or rejects, which stops the run) before
 * DEPLOY: what the class or the database change asks, the decisions so far,
 * and while the run is live the approver's form.
 */
export function RunApproval({ record }: { record: RunRecord }) {
  const operator = useOperator((s) => s.name);
  const starter = record.startedBy || record.who;
  // The approver is someone else: do not offer the starter's own name.
  const [by, setBy] = useState(operator && !samePerson(operator, starter) ? operator : '');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<Approval['decision'] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const live = !isFinalStatus(record.status);
  const why = record.discipline.approval
    ? `A ${record.discipline.class}-class release needs`
    : 'This release changes the database: it needs';

  const decide = async (decision: Approval['decision']) => {
    if (!by.trim()) return;
    setBusy(decision);
    setProblem(null);
    const refused = await decideApproval(record.id, by.trim(), decision, note.trim());
    setBusy(null);
    setProblem(refused);
    if (!refused) setNote('');
  };

  return (
    <section className={approved(record.approvals) ? 'run-approval approved' : 'run-approval'} aria-label="Approval">
      <h4>Approval</h4>
      <p className="small">
        {why} the approval of a second named person (not {starter}) before DEPLOY.
      </p>
      {record.approvals.length > 0 && (
        <ul className="approvals" aria-label="Approvals">
          {record.approvals.map((a) => (
            <li key={`${a.by}-${a.at}`} className={a.decision === 'approve' ? 'ok-text' : 'hot'}>
              {a.decision === 'approve' ? 'Approved' : 'Rejected'} by <strong>{a.by}</strong> at{' '}
              <time dateTime={a.at}>{formatStarted(a.at, Date.now())}</time>
              {a.note && <>: {a.note}</>}
            </li>
          ))}
        </ul>
      )}
      {live && (
        <form
          className="act-form"
          aria-label="Approve or reject"
          onSubmit={(e) => {
            e.preventDefault();
            void decide('approve');
          }}
        >
          <label>
            Approver’s name
            <input
              value={by}
              onChange={(e) => setBy(e.target.value)}
              required
              autoComplete="name"
              aria-invalid={by.trim() && samePerson(by, starter) ? true : undefined}
            />
          </label>
          {by.trim() && samePerson(by, starter) && (
            <p className="warn-text small">{starter} started this run: the approver must be someone else.</p>
          )}
          <label>
            Note
            <input
              value={note}
              onChange={(e) => setNote(e.target.value)}
              placeholder="What you checked"
              maxLength={1000}
            />
          </label>
          <div className="actions">
            <button type="submit" className="primary small-button" disabled={busy !== null || !by.trim()}>
              {busy === 'approve' ? 'Approving…' : 'Approve'}
            </button>
            <button
              type="button"
              className="danger small-button"
              disabled={busy !== null || !by.trim()}
              onClick={() => void decide('reject')}
              title="A rejection stops the run"
            >
              {busy === 'reject' ? 'Rejecting…' : 'Reject'}
            </button>
          </div>
          {problem && <ProblemNotice problem={problem} title="Not recorded" />}
        </form>
      )}
    </section>
  );
}
