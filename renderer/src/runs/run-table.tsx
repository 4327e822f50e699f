import { useRunList } from '../stores/run-list-store';
import { useRun } from '../stores/run-store';
import { durationBetween, formatDuration, formatStarted } from '../common/format';
import { ProblemNotice } from '../common/problem-notice';
import { isLive, RunStatusBadge } from './run-status';
import { runName, UnreadableRuns } from './unreadable-runs';
import { useNow } from '../common/use-now';
import { TableHead } from '../common/table-head';

/** The runs this Shipdeck journaled, newest first; a live run's duration keeps counting. */
export function RunTable() {
  const runs = useRunList((s) => s.runs);
  const loaded = useRunList((s) => s.loaded);
  const loadProblem = useRunList((s) => s.loadProblem);
  const now = useNow(1000);
  const open = useRun((s) => s.open);

  return (
    <section className="page" aria-label="Runs">
      <div className="page-head">
        <div>
          <h2>Runs</h2>
          <p className="muted">Each release run, its outcome, and everything it printed, kept on this machine.</p>
        </div>
      </div>
      {loadProblem && <ProblemNotice problem={loadProblem} title="Could not list the runs" />}
      <UnreadableRuns runs={runs} />
      {loaded && runs.length === 0 && !loadProblem && (
        <p className="muted">No runs yet. Open a service in Services and choose Release… to start one.</p>
      )}
      {runs.length > 0 && (
        <div className="table-scroll">
          <table className="table run-table" aria-label="Runs">
            <TableHead
              columns={['Service', 'Environment', 'Version', 'Class', 'Status', 'Who', 'Started', 'Duration']}
            />
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} className={isLive(run.status) ? 'run-row live' : 'run-row'}>
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
                      <span className="signed-off" data-testid="signed-off-mark" title="Signed off">
                        {' '}
                        ✓ signed off
                      </span>
                    )}
                  </td>
                  <td>{run.who}</td>
                  <td className="num" title={run.startedAt}>
                    {formatStarted(run.startedAt, now)}
                  </td>
                  <td className="num">{formatDuration(durationBetween(run.startedAt, run.endedAt, now) ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
