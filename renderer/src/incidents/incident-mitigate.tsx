import { useFleet } from '../stores/fleet-store';
import { useServices } from '../stores/service-store';
import { IncidentHost } from './incident-host';
import { IncidentRollback } from './incident-rollback';
import type { IncidentStepProps } from './incident-step-props';

/** MITIGATE: the one-click rollback, then per host the service's containers (restart) and diagnostics over SSH. */
export function IncidentMitigate({ incident, by, readOnly, now }: IncidentStepProps) {
  const spec = useServices((s) => s.services.find((e) => e.name === incident.service)?.spec);
  const servers = useFleet((s) => s.servers);
  const names = spec?.servers[incident.environment] ?? [];

  return (
    <section className="panel incident-panel" aria-label="Mitigate">
      <h3>Mitigate: restore the service first, find the cause later</h3>
      <IncidentRollback incident={incident} by={by} readOnly={readOnly} now={now} />
      <h4 className="incident-subhead">
        Hosts of {incident.service} on {incident.environment}
      </h4>
      {!spec && (
        <p className="muted">The service {incident.service} is no longer in Shipdeck, so its hosts are unknown.</p>
      )}
      {names.map((name) => {
        const server = servers.find((s) => s.name === name);
        return server ? (
          <IncidentHost key={server.id} incident={incident} server={server} by={by} readOnly={readOnly} />
        ) : (
          <p key={name} className="muted">
            {name} is not in the inventory.
          </p>
        );
      })}
    </section>
  );
}
