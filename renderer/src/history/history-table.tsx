import type { RunSummary } from '../../../shared/run';
import { personOf } from '../stores/history-filter';
import { useHistory } from '../stores/history-store';
import { useRunList } from '../stores/run-list-store';
import { durationBetween, formatDuration } from '../common/format';
import { ProblemNotice } from '../common/problem-notice';
import { RunStatusBadge } from '../runs/run-status';
import { runName } from '../runs/unreadable-runs';
import { useNow } from '../common/use-now';
import { TableHead } from '../common/table-head';

/** The runs History's filters let through, newest first; a click opens one as its journal has it. */
export function HistoryTable({ runs, total }: { runs: readonly RunSummary[]; total: number }) {
  const loaded = useRunList((s) => s.loaded);
  const loadProblem = useRunList((s) => s.loadProblem);
  const clear = useHistory((s) => s.clear);
  const open = useHistory((s) => s.openRun);
  const now = useNow(5000);

  if (loadProblem) return <ProblemNotice problem={loadProblem} title="Could not list the runs" />;
  if (!loaded)
    return (
      <p className="muted" role="status">
        Reading the runs…
      </p>
    );
  if (total === 0)
    return (
      <p className="muted empty-state">
        No runs yet. Open a service in Services and choose Release…: every run it makes is kept here, with its outcome
        and everything it printed.
      </p>
    );
  if (runs.length === 0) {
    return (
      <p className="muted empty-state">
        No run matches these filters.{' '}
        <button className="link-button" onClick={clear}>
          Clear the filters
        </button>{' '}
        to see all {total} runs, or widen the dates.
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table run-table history-table" aria-label="Run history">
        <TableHead
          columns={['Service', 'Environment', 'Version', 'Class', 'Outcome', 'Person', 'Started', 'Duration', 'Notes']}
        />
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className="run-row" data-run-id={run.id}>
              <td>
                <button
                  className="link-button run-link"
                  onClick={() => void open(run.id)}
                  title={`Open the run ${run.id}`}
                >
                  {runName(run)}
                </button>
              </td>
              <td>
                <span className={`env env-${run.environment}`}>{run.environment}</span>
              </td>
              <td>
                <code>{run.version}</code>
                {run.promotedFrom && (
                  <span className="muted small" title={`Promoted from the staging run ${run.promotedFrom}`}>
                    {' '}
                    ↑ staging
                  </span>
                )}
              </td>
              <td>
                {run.class ? (
                  <span className={`class-tag class-${run.class}`}>{run.class}</span>
                ) : (
                  <span className="muted">–</span>
                )}
              </td>
              <td>
                <RunStatusBadge status={run.status} />
                {run.signedOff && (
                  <span className="signed-off" title="Signed off">
                    {' '}
                    ✓
                  </span>
                )}
              </td>
              <td>{personOf(run)}</td>
              <td className="num" title={run.startedAt}>
                {formatWhen(run.startedAt)}
              </td>
              <td className="num">{formatDuration(durationBetween(run.startedAt, run.endedAt, now) ?? 0)}</td>
              <td className="history-notes">{run.notes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A time as a local "YYYY-MM-DD HH:MM", which sorts and reads the same in every row. */
export function formatWhen(iso: string): string {
  const at = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`;
}
