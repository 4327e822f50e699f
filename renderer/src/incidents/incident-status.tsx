import type { IncidentStatus, Severity } from '../../../shared/incident';

/** An incident's status as a coloured word. */
export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  return (
    <span className={`incident-status incident-status-${status}`} data-testid="incident-status">
      {status}
    </span>
  );
}

/** How bad: critical and high stand out. */
export function IncidentSeverity({ severity }: { severity: Severity }) {
  return <span className={`severity severity-${severity}`}>{severity}</span>;
}
