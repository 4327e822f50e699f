import type { RunRecord } from '../../../shared/run';
import { isFinalStatus } from '../stores/run-list-store';
import { signOffRun } from '../stores/run-store';
import { ActForm } from './act-form';
import { formatStarted } from '../common/format';

/** The run's final sign-off: the form once it has ended, the record once signed. */
export function RunSignOff({ record }: { record: RunRecord }) {
  const ended = isFinalStatus(record.status);
  return (
    <section className="run-sign-off" aria-label="Run sign-off">
      <h4>Sign-off</h4>
      {record.signOff ? (
        <p className="banner ok small" data-testid="signed-off">
          Signed off by <strong>{record.signOff.by}</strong> at{' '}
          <time dateTime={record.signOff.at} title={record.signOff.at}>
            {formatStarted(record.signOff.at, Date.now())}
          </time>
          {record.signOff.note && (
            <>
              : <span className="item-note">{record.signOff.note}</span>
            </>
          )}
        </p>
      ) : ended ? (
        <>
          <p className="muted small">Tick or waive the sign-off items, then sign the run off.</p>
          <ActForm
            label="Sign off the run"
            submit="Sign off"
            text={{ label: 'Note', required: false, placeholder: 'How it went, what to follow up' }}
            onAct={(by, note) => signOffRun(record.id, by, note)}
          />
        </>
      ) : (
        <p className="muted small">Once the run has ended, it is signed off here.</p>
      )}
    </section>
  );
}
