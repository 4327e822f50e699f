import { loginOf, type Server } from '../../../shared/server';
import { matchesFilter, useFleetFilter } from '../stores/fleet-filter-store';
import { useFleetStatus } from '../stores/fleet-status-store';
import { useFleet } from '../stores/fleet-store';
import { healthOf, healthReason } from '../common/health';
import { ImportMenu } from './import-menu';
import { ProblemNotice } from '../common/problem-notice';

/** The servers on the left, narrowed by the fleet filter (the open one always shows). */
export function ServerList() {
  const { servers, selectedId, loadProblem, select, startAdding } = useFleet();
  const text = useFleetFilter((s) => s.text);
  const environment = useFleetFilter((s) => s.environment);
  const label = useFleetFilter((s) => s.label);
  const shown = servers.filter((s) => s.id === selectedId || matchesFilter(s, { text, environment, label }));

  return (
    <aside className="server-list" aria-label="Servers">
      <div className="list-head">
        <h2>
          <button className="title-button" onClick={() => select(null)} title="Fleet overview">
            Fleet
          </button>
        </h2>
        <div className="actions">
          <ImportMenu />
          <button className="primary" onClick={startAdding}>
            Add server
          </button>
        </div>
      </div>
      {loadProblem && <ProblemNotice problem={loadProblem} title="Could not load the inventory" />}
      {servers.length === 0 && !loadProblem && (
        <p className="muted">No servers yet. Add the first one, or import your ssh config.</p>
      )}
      {shown.length < servers.length && (
        <p className="muted small">{servers.length - shown.length} hidden by the filter</p>
      )}
      <ul>
        {shown.map((server) => (
          <ServerItem
            key={server.id}
            server={server}
            active={server.id === selectedId}
            onOpen={() => select(server.id)}
          />
        ))}
      </ul>
    </aside>
  );
}

function ServerItem({ server, active, onOpen }: { server: Server; active: boolean; onOpen: () => void }) {
  const status = useFleetStatus((s) => s.statuses[server.id]);
  const health = healthOf(server, status);
  return (
    <li>
      <button
        className={active ? 'server-item active' : 'server-item'}
        onClick={onOpen}
        aria-current={active ? 'true' : undefined}
        title={healthReason(status)}
      >
        <span className="server-name">
          <span className={`dot health-${health}`} aria-hidden="true" />
          {server.name}
        </span>
        {server.environment && <span className={`env env-${server.environment}`}>{server.environment}</span>}
        <span className="server-login">{loginOf(server)}</span>
        {!server.hostKey && <span className="tag warn">host key not trusted</span>}
      </button>
    </li>
  );
}
