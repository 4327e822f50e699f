import type { ContainerSummary } from '../../../shared/docker';
import type { Server } from '../../../shared/server';
import { containerKey, useContainerActions } from '../stores/container-store';
import { useFleetStatus } from '../stores/fleet-status-store';
import { useSessions, type ServerSession } from '../stores/session-store';
import { ContainerLogs } from './container-logs';
import { ProblemNotice } from '../common/problem-notice';
import { RestartConfirm } from './restart-confirm';
import { TableHead } from '../common/table-head';

const columnCount = 6;

/** The containers on a server, read through Docker over the SSH link, with what one can do to each. */
export function ContainerTable({ server, session }: { server: Server; session: ServerSession }) {
  const loadContainers = useSessions((s) => s.loadContainers);
  const status = useFleetStatus((s) => s.statuses[server.id]);
  const { containersLoading, containersProblem } = session;
  // Whichever read is newer: this page's own, or the fleet refresh's.
  const fromStatus = status?.containers && (!session.containersAt || status.checkedAt > session.containersAt);
  const containers = fromStatus ? status.containers : session.containers;
  const readAt = fromStatus ? status.checkedAt : session.containersAt;

  return (
    <section className="panel" aria-label="Containers">
      <div className="panel-head">
        <h3>Containers {containers && <span className="count">{containers.length}</span>}</h3>
        <div className="actions">
          {readAt && <span className="muted small">read {new Date(readAt).toLocaleTimeString()}</span>}
          <button onClick={() => void loadContainers(server.id)} disabled={containersLoading || !session.connection}>
            {containersLoading ? 'Reading…' : 'Refresh'}
          </button>
        </div>
      </div>
      {containersProblem && <ProblemNotice problem={containersProblem} title="Could not read the containers" />}
      {containers && containers.length === 0 && <p className="muted">No containers on this host.</p>}
      {containers && containers.length > 0 && (
        <table className="table">
          <TableHead columns={['Name', 'Image', 'State', 'Status', 'Ports']} actions />
          <tbody>
            {containers.map((c) => (
              <ContainerRow key={c.id} server={server} container={c} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ContainerRow({ server, container: c }: { server: Server; container: ContainerSummary }) {
  const key = containerKey(server.id, c.id);
  const logsOpen = useContainerActions((s) => s.logs[key]?.open ?? false);
  const restart = useContainerActions((s) => s.restarts[key]);
  const { openLogs, closeLogs, askRestart } = useContainerActions.getState();

  return (
    <>
      <tr>
        <td>
          <code>{c.name}</code>
        </td>
        <td>{c.image}</td>
        <td>
          <span className={`state state-${c.state}`}>{c.state}</span>
        </td>
        <td>
          {c.status}
          {restart?.restartedAt && !restart.confirming && (
            <span className="restarted" role="status">
              {' '}
              · restarted at {new Date(restart.restartedAt).toLocaleTimeString()}
            </span>
          )}
        </td>
        <td>{c.ports.join(', ') || '—'}</td>
        <td className="row-actions">
          <button
            aria-expanded={logsOpen}
            onClick={() => (logsOpen ? closeLogs(server.id, c.id) : void openLogs(server.id, c.id))}
          >
            Logs
          </button>
          <button onClick={() => askRestart(server.id, c.id)} disabled={restart?.confirming || restart?.restarting}>
            Restart…
          </button>
        </td>
      </tr>
      {restart?.confirming && (
        <tr className="detail-row">
          <td colSpan={columnCount}>
            <RestartConfirm server={server} container={c} />
          </td>
        </tr>
      )}
      {logsOpen && (
        <tr className="detail-row">
          <td colSpan={columnCount}>
            <ContainerLogs server={server} container={c} />
          </td>
        </tr>
      )}
    </>
  );
}
