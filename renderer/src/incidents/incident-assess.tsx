import { api } from '../api';
import { useIncidents } from '../stores/incident-store';
import { formatStarted } from '../common/format';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';
import { TableHead } from '../common/table-head';
import type { IncidentStepProps } from './incident-step-props';

/** ASSESS: read every host of the environment now: reachable, the live release, running, its health check. */
export function IncidentAssess({ incident, by, readOnly, now }: IncidentStepProps) {
  const assessment = useIncidents((s) => s.assessments[incident.id]);
  const { busy, problem, run } = useAction();

  const assess = () =>
    run(async () =>
      useIncidents.getState().keepAssessment(await api.assessIncident({ id: incident.id, by }), incident.id),
    );

  return (
    <section className="panel incident-panel" aria-label="Assess">
      <div className="panel-head">
        <h3>
          Assess: which hosts of {incident.service} on {incident.environment} are hurt
        </h3>
        <button className="primary" onClick={() => void assess()} disabled={busy || readOnly || !by}>
          {busy ? 'Reading the hosts…' : 'Assess now'}
        </button>
      </div>
      <p className="muted small">
        Over SSH, each host's own record says which release is live; Docker says whether it runs; its health check is
        asked just now.
      </p>
      {problem && <ProblemNotice problem={problem} title="The hosts were not assessed" />}
      {assessment && (
        <>
          <p
            className={assessment.hosts.every((h) => h.health?.healthy) ? 'assess-summary ok' : 'assess-summary bad'}
            role="status"
            data-testid="assess-summary"
          >
            {assessment.summary} <span className="muted small">· read {formatStarted(assessment.at, now)}</span>
          </p>
          <table className="table" aria-label="Assessed hosts">
            <TableHead columns={['Server', 'Reachable', 'Live release', 'Running', 'Health', 'Problem']} />
            <tbody>
              {assessment.hosts.map((h) => (
                <tr key={h.server}>
                  <td>
                    <strong>{h.server}</strong>
                  </td>
                  <td className={h.reachable ? 'yes' : 'no hot'}>{h.reachable ? 'yes' : 'no'}</td>
                  <td>
                    {h.live ? <code>{h.live}</code> : <span className="muted">none</span>}
                    {h.container && <span className="muted small"> {h.container}</span>}
                  </td>
                  <td className={h.running === false ? 'no hot' : undefined}>
                    {h.running === undefined ? '—' : h.running ? 'yes' : 'no'}
                  </td>
                  <td>
                    {h.health ? (
                      <span className={h.health.healthy ? 'health health-ok' : 'health health-unreachable'}>
                        {h.health.status} in {h.health.ms} ms
                      </span>
                    ) : (
                      <span className="muted">no answer</span>
                    )}
                  </td>
                  <td>{h.problem ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {!assessment && !busy && (
        <p className="muted">
          Not assessed from this window yet
          {incident.timeline.some((e) => e.step === 'assess') ? '; earlier assessments are in the timeline' : ''}.
        </p>
      )}
    </section>
  );
}
