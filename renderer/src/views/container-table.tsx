import type { Server } from '../../../shared/server';
import { useSessions, type ServerSession } from '../stores/session-store';
import { ProblemNotice } from './problem-notice';

/** The containers on a server, read through Docker over the SSH link. */
export function ContainerTable({ server, session }: { server: Server; session: ServerSession }) {
  const loadContainers = useSessions((s) => s.loadContainers);
  const { containers, containersLoading, containersProblem, containersAt } = session;
  return (
    <section className="panel" aria-label="Containers">
      <div className="panel-head">
        <h3>Containers {containers && <span className="count">{containers.length}</span>}</h3>
        <div className="actions">
          {containersAt && <span className="muted small">read {new Date(containersAt).toLocaleTimeString()}</span>}
          <button onClick={() => void loadContainers(server.id)} disabled={containersLoading || !session.connection}>{containersLoading ? 'Reading…' : 'Refresh'}</button>
        </div>
      </div>
      {containersProblem && <ProblemNotice problem={containersProblem} title="Could not read the containers" />}
      {containers && containers.length === 0 && <p className="muted">No containers on this host.</p>}
      {containers && containers.length > 0 && (
        <table className="table">
          <thead>
            <tr><th>Name</th><th>Image</th><th>State</th><th>Status</th><th>Ports</th></tr>
          </thead>
          <tbody>
            {containers.map((c) => (
              <tr key={c.id}>
                <td><code>{c.name}</code></td>
                <td>{c.image}</td>
                <td><span className={`state state-${c.state}`}>{c.state}</span></td>
                <td>{c.status}</td>
                <td>{c.ports.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
