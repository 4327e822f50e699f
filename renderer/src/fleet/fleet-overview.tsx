import type { Server } from '../../../shared/server';
import { matchesFilter, useFleetFilter } from '../stores/fleet-filter-store';
import { useFleetStatus } from '../stores/fleet-status-store';
import { FleetFilters } from './fleet-filters';
import { FleetRefresh } from './fleet-refresh';
import { FleetTable } from './fleet-table';
import { healthLabel, healthOf, type Health } from '../common/health';
import { ProblemNotice } from '../common/problem-notice';

const order: Health[] = ['ok', 'degraded', 'unreachable', 'key-changed', 'untrusted', 'checking'];

/** The whole fleet at a glance: health, vital signs and containers of every server. */
export function FleetOverview({ servers }: { servers: readonly Server[] }) {
  const text = useFleetFilter((s) => s.text);
  const environment = useFleetFilter((s) => s.environment);
  const label = useFleetFilter((s) => s.label);
  const problem = useFleetStatus((s) => s.problem);
  const shown = servers.filter((s) => matchesFilter(s, { text, environment, label }));

  return (
    <section className="page overview" aria-label="Fleet overview">
      <header className="page-head">
        <div>
          <h2>Fleet overview</h2>
          <HealthSummary servers={servers} />
        </div>
        <FleetRefresh total={servers.length} />
      </header>
      {problem && <ProblemNotice problem={problem} title="Could not read the fleet’s status" />}
      <FleetFilters servers={servers} shown={shown.length} />
      {shown.length > 0 ? <FleetTable servers={shown} /> : <p className="muted empty">No server matches the filter.</p>}
    </section>
  );
}

/** How many servers are in each state. */
function HealthSummary({ servers }: { servers: readonly Server[] }) {
  const statuses = useFleetStatus((s) => s.statuses);
  const counts = new Map<Health, number>();
  for (const server of servers) {
    const health = healthOf(server, statuses[server.id]);
    counts.set(health, (counts.get(health) ?? 0) + 1);
  }
  return (
    <p className="summary" aria-label="Health summary">
      {order
        .filter((h) => counts.get(h))
        .map((h) => (
          <span key={h} className={`summary-item health-${h}`}>
            {counts.get(h)} {h === 'checking' ? 'checking' : healthLabel(h)}
          </span>
        ))}
    </p>
  );
}
