import { loginOf } from '../../../shared/server';
import { useFleet } from '../stores/fleet-store';
import { AddServerForm } from './add-server-form';
import { ProblemNotice } from './problem-notice';
import { ServerPage } from './server-page';

/** Every server on the left; the open server, or the add form, beside it. */
export function FleetView() {
  const { servers, selectedId, adding, loadProblem, select, startAdding } = useFleet();
  const selected = servers.find((s) => s.id === selectedId);
  return (
    <div className="fleet">
      <aside className="server-list" aria-label="Servers">
        <div className="list-head">
          <h2>Fleet</h2>
          <button className="primary" onClick={startAdding}>Add server</button>
        </div>
        {loadProblem && <ProblemNotice problem={loadProblem} title="Could not load the inventory" />}
        {servers.length === 0 && !loadProblem && <p className="muted">No servers yet. Add the first one to connect to it.</p>}
        <ul>
          {servers.map((server) => (
            <li key={server.id}>
              <button className={server.id === selectedId ? 'server-item active' : 'server-item'} onClick={() => select(server.id)} aria-current={server.id === selectedId ? 'true' : undefined}>
                <span className="server-name">{server.name}</span>
                <span className={`env env-${server.environment}`}>{server.environment}</span>
                <span className="server-login">{loginOf(server)}</span>
                {!server.hostKey && <span className="tag warn">host key not trusted</span>}
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <div className="server-detail">
        {adding ? <AddServerForm /> : selected ? <ServerPage key={selected.id} server={selected} /> : <p className="muted empty">Choose a server, or add one.</p>}
      </div>
    </div>
  );
}
