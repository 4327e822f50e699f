import type { ServiceEntry } from '../../../shared/run';
import { useServices } from '../stores/service-store';
import { ProblemNotice } from '../common/problem-notice';

/** The services on the left: name, image, environments, and whether the spec has problems. */
export function ServiceList() {
  const services = useServices((s) => s.services);
  const selected = useServices((s) => s.selected);
  const loadProblem = useServices((s) => s.loadProblem);
  const { select, startCreating } = useServices.getState();

  return (
    <aside className="service-list" aria-label="Services">
      <div className="list-head">
        <h2>Services</h2>
        <button className="primary" onClick={startCreating}>
          New service
        </button>
      </div>
      {loadProblem && <ProblemNotice problem={loadProblem} title="Could not load the services" />}
      <ul>
        {services.map((entry) => (
          <ServiceItem
            key={entry.name}
            entry={entry}
            active={entry.name === selected}
            onOpen={() => select(entry.name)}
          />
        ))}
      </ul>
    </aside>
  );
}

function ServiceItem({ entry, active, onOpen }: { entry: ServiceEntry; active: boolean; onOpen: () => void }) {
  const environments = entry.spec ? Object.keys(entry.spec.servers) : [];
  return (
    <li>
      <button
        className={active ? 'server-item active' : 'server-item'}
        onClick={onOpen}
        aria-current={active ? 'true' : undefined}
      >
        <span className="server-name">{entry.name}</span>
        {entry.issues.length > 0 && (
          <span className="badge bad">
            {entry.issues.length} {entry.issues.length === 1 ? 'problem' : 'problems'}
          </span>
        )}
        <span className="server-login">{entry.spec ? <code>{entry.spec.image}</code> : 'spec not readable'}</span>
        {environments.length > 0 && (
          <span className="item-envs">
            {environments.map((env) => (
              <span key={env} className={`env env-${env}`}>
                {env}
              </span>
            ))}
          </span>
        )}
      </button>
    </li>
  );
}
