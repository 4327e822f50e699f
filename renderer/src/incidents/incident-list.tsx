import type { IncidentSummary } from '../../../shared/incident';
import { useIncidents } from '../stores/incident-store';
import { formatDuration, formatStarted } from '../common/format';
import { IncidentSeverity, IncidentStatusBadge } from './incident-status';
import { ProblemNotice } from '../common/problem-notice';
import { useNow } from '../common/use-now';
import { TableHead } from '../common/table-head';

/** Every incident, newest first: how bad, where, and how long it lasted or has lasted so far. */
export function IncidentList() {
  const list = useIncidents((s) => s.list);
  const loaded = useIncidents((s) => s.loaded);
  const loadProblem = useIncidents((s) => s.loadProblem);
  const { open, startOpening } = useIncidents.getState();
  const now = useNow(5000);

  return (
    <section className="page" aria-label="Incidents">
      <header className="page-head">
        <div>
          <h2>Incidents</h2>
          <p className="muted">
            Detect, assess, mitigate, communicate, resolve, postmortem: each step leaves a dated entry, kept on this
            machine.
          </p>
        </div>
        <div className="actions">
          <button className="danger" onClick={() => startOpening()} title="Shift+I">
            Open incident
          </button>
        </div>
      </header>
      {loadProblem && <ProblemNotice problem={loadProblem} title="Could not list the incidents" />}
      {loaded && list.length === 0 && !loadProblem && (
        <div className="empty" role="status">
          <p>
            <strong>No incidents.</strong>
          </p>
          <p className="muted">
            When something breaks, choose <strong>Open incident</strong> (or press Shift+I) to work through it here.
          </p>
        </div>
      )}
      {list.length > 0 && (
        <div className="table-scroll">
          <table className="table incident-table" aria-label="Incidents">
            <TableHead columns={['Status', 'Severity', 'Incident', 'Service', 'Opened', 'Lasted']} />
            <tbody>
              {list.map((i) => (
                <tr key={i.id} className={i.status === 'resolved' ? undefined : 'live'}>
                  <td>
                    <IncidentStatusBadge status={i.status} />
                  </td>
                  <td>
                    <IncidentSeverity severity={i.severity} />
                  </td>
                  <td>
                    <button className="link-button incident-link" onClick={() => void open(i.id)}>
                      {i.title}
                    </button>
                  </td>
                  <td>
                    {i.service} <span className={`env env-${i.environment}`}>{i.environment}</span>
                  </td>
                  <td>{formatStarted(i.openedAt, now)}</td>
                  <td className="num">{lasted(i, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Open for how long (from detection), or the time to restore once mitigated or resolved. */
export function lasted(
  incident: Pick<IncidentSummary, 'detectedAt' | 'mitigatedAt' | 'resolvedAt'>,
  now: number,
): string {
  const restored = incident.mitigatedAt ?? incident.resolvedAt;
  const ms = (restored ? Date.parse(restored) : now) - Date.parse(incident.detectedAt);
  return restored ? `restored in ${formatDuration(ms)}` : `open ${formatDuration(ms)}`;
}
