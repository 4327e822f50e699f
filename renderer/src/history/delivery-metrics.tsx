import { useMemo, type ReactNode } from 'react';
import { deliveryMetrics, type DeliveryGroup, type DeliveryMetrics } from '../../../shared/delivery';
import type { IncidentSummary } from '../../../shared/incident';
import type { RunSummary } from '../../../shared/run';
import { localDay, metricsPeriod } from '../stores/history-filter';
import { useHistory, type Bucket } from '../stores/history-store';
import { DeliveryCharts } from './delivery-charts';
import { formatNumber, formatShare, formatSpan } from './delivery-format';
import { formatWhen } from './history-table';
import { ProblemNotice } from '../common/problem-notice';
import { RunStatusBadge } from '../runs/run-status';
import { useNow } from '../common/use-now';

/**
 * The four delivery metrics per service and environment, over the period of
 * the date filter (the last four weeks without one), each with what it was
 * computed from. Every run and incident counts; the service and environment
 * filters only choose which are shown.
 */
export function DeliveryMetricsView({ runs }: { runs: readonly RunSummary[] }) {
  const filter = useHistory((s) => s.filter);
  const bucket = useHistory((s) => s.bucket);
  const setBucket = useHistory((s) => s.setBucket);
  const incidents = useHistory((s) => s.incidents);
  const incidentsProblem = useHistory((s) => s.incidentsProblem);
  const today = localDay(useNow(60_000));
  const period = useMemo(
    () => metricsPeriod({ from: filter.from, to: filter.to }, Date.parse(`${today}T12:00:00`)),
    [filter.from, filter.to, today],
  );
  const metrics = useMemo(
    () => deliveryMetrics(runs, incidents, { ...period, bucket }),
    [runs, incidents, period, bucket],
  );
  const groups = metrics.groups.filter(
    (g) =>
      (!filter.service || g.service === filter.service) &&
      (!filter.environment || g.environment === filter.environment),
  );
  const lastDay = localDay(Date.parse(period.to) - 1);
  const chosen = filter.from || filter.to;

  return (
    <div className="delivery">
      <div className="delivery-head">
        <p data-testid="metrics-period">
          <strong>{localDay(Date.parse(period.from))}</strong> to <strong>{lastDay}</strong> (
          {formatNumber(metrics.weeks)} {metrics.weeks === 1 ? 'week' : 'weeks'})
          <span className="muted small">
            {chosen ? ' · from the date filter' : ' · the last 4 weeks; set From and To above for another period'}
          </span>
        </p>
        <label className="delivery-bucket">
          <span className="muted small">Charts by</span>
          <select aria-label="Charts by" value={bucket} onChange={(e) => setBucket(e.target.value as Bucket)}>
            <option value="week">week</option>
            <option value="day">day</option>
          </select>
        </label>
      </div>
      {incidentsProblem && (
        <ProblemNotice
          problem={incidentsProblem}
          title="Could not read the incidents: the failures and times to restore below leave them out"
        />
      )}
      {groups.length === 0 ? (
        <p className="muted empty-state">
          {metrics.groups.length === 0
            ? 'No runs yet, so nothing to measure. Release a service from Services; each run it makes counts here.'
            : 'No service and environment matches the service and environment filters. Clear them to see every one.'}
        </p>
      ) : (
        groups.map((g) => (
          <DeliveryGroupView
            key={`${g.service}/${g.environment}`}
            group={g}
            metrics={metrics}
            runs={runs}
            incidents={incidents}
          />
        ))
      )}
      <p className="muted small delivery-rules">
        Deployment frequency counts confirmed runs. A deployment is a run that reached DEPLOY; it failed if it was
        rolled back, failed, or an incident names it as its cause. Time to restore runs from an incident's detection to
        its mitigation (or resolution), and from a failed deployment's failure to its rollback's end (or the next
        confirmed run). Lead time runs from the first run of a version, in any environment, to its confirmed run here.
        Medians of an even count are the mean of the middle two.
      </p>
    </div>
  );
}

function DeliveryGroupView({
  group,
  metrics,
  runs,
  incidents,
}: {
  group: DeliveryGroup;
  metrics: DeliveryMetrics;
  runs: readonly RunSummary[];
  incidents: readonly IncidentSummary[];
}) {
  const { deploymentFrequency: df, changeFailureRate: cfr, timeToRestore: ttr, leadTime: lead } = group;
  const byId = new Map(runs.map((r) => [r.id, r]));
  const incidentById = new Map(incidents.map((i) => [i.id, i]));
  const weeks = formatNumber(metrics.weeks);
  return (
    <section className="delivery-group" aria-label={`${group.service} ${group.environment}`}>
      <h3>
        {group.service} → <span className={`env env-${group.environment}`}>{group.environment}</span>
      </h3>
      <div className="delivery-figures">
        <Figure
          name="Deployment frequency"
          value={`${formatNumber(df.perWeek)} a week`}
          basis={`${df.count} went live in ${weeks} ${metrics.weeks === 1 ? 'week' : 'weeks'}`}
        />
        <Figure
          name="Change failure rate"
          value={cfr.rate === undefined ? '–' : formatShare(cfr.rate)}
          basis={
            cfr.deployments.length === 0
              ? 'no deployment in the period'
              : `${cfr.failures.length} of ${cfr.deployments.length} deployments`
          }
        />
        <Figure
          name="Time to restore"
          value={ttr.medianMs === undefined ? '–' : formatSpan(ttr.medianMs)}
          basis={`median of ${ttr.values.length}${ttr.open.length > 0 ? `; ${ttr.open.length} not restored yet` : ''}`}
        />
        <Figure
          name="Lead time"
          value={lead.medianMs === undefined ? '–' : formatSpan(lead.medianMs)}
          basis={`median of ${lead.values.length}`}
        />
      </div>
      <DeliveryCharts group={group} metrics={metrics} />
      <details className="delivery-basis">
        <summary>What these are computed from</summary>
        <h4>Went live ({df.count})</h4>
        <Basis empty="Nothing went live in the period.">
          {df.live.map((id) => (
            <li key={id}>
              <RunLink run={byId.get(id)} id={id} /> live {formatWhen(byId.get(id)?.endedAt ?? '')}
            </li>
          ))}
        </Basis>
        <h4>
          Deployments ({cfr.deployments.length}), failures ({cfr.failures.length})
        </h4>
        <Basis empty="No deployment in the period.">
          {cfr.deployments.map((id) => {
            const run = byId.get(id);
            const failure = cfr.failures.find((f) => f.runId === id);
            return (
              <li key={id} className={failure ? 'delivery-failure' : undefined}>
                <RunLink run={run} id={id} /> {run && <RunStatusBadge status={run.status} />}
                {failure ? (
                  <strong>
                    {' '}
                    failure
                    {failure.incidents.length > 0
                      ? `: caused ${failure.incidents.map((i) => incidentName(i, incidentById)).join(', ')}`
                      : ''}
                  </strong>
                ) : (
                  ' ok'
                )}
              </li>
            );
          })}
        </Basis>
        <h4>Restores ({ttr.values.length})</h4>
        <Basis empty="Nothing to restore in the period.">
          {ttr.values.map((v) => (
            <li key={`${v.kind}-${v.id}`}>
              {v.kind === 'incident' ? incidentName(v.id, incidentById) : <RunLink run={byId.get(v.id)} id={v.id} />}:{' '}
              {formatWhen(v.from)} → {formatWhen(v.to)}, <strong>{formatSpan(v.ms)}</strong>{' '}
              <span className="muted">
                (
                {typeof v.healthyBy === 'string' ? (
                  healthyWords[v.healthyBy]
                ) : (
                  <>
                    healthy again with <RunLink run={byId.get(v.healthyBy.runId)} id={v.healthyBy.runId} />
                  </>
                )}
                )
              </span>
            </li>
          ))}
          {ttr.open.map((id) => (
            <li key={`open-${id}`} className="muted">
              {incidentById.has(id) ? incidentName(id, incidentById) : <RunLink run={byId.get(id)} id={id} />}: not
              restored yet (no value; still a failure)
            </li>
          ))}
        </Basis>
        <h4>Lead times ({lead.values.length})</h4>
        <Basis empty="Nothing went live in the period.">
          {lead.values.map((v) => (
            <li key={v.runId}>
              <code>{v.version}</code>: first run <RunLink run={byId.get(v.firstRunId)} id={v.firstRunId} />{' '}
              {formatWhen(v.createdAt)} → live {formatWhen(v.liveAt)}, <strong>{formatSpan(v.ms)}</strong>
            </li>
          ))}
        </Basis>
      </details>
    </section>
  );
}

const healthyWords = { rollback: 'its rollback ended', mitigated: 'mitigated', resolved: 'resolved' } as const;

function Figure({ name, value, basis }: { name: string; value: string; basis: string }) {
  return (
    <div className="delivery-figure" role="group" aria-label={name}>
      <div className="delivery-figure-name">{name}</div>
      <div className="delivery-figure-value" data-testid="figure-value">
        {value}
      </div>
      <div className="muted small" data-testid="figure-basis">
        {basis}
      </div>
    </div>
  );
}

function Basis({ empty, children }: { empty: string; children: ReactNode[] }) {
  return children.length === 0 ? (
    <p className="muted small">{empty}</p>
  ) : (
    <ul className="delivery-basis-list">{children}</ul>
  );
}

function RunLink({ run, id }: { run: RunSummary | undefined; id: string }) {
  const open = useHistory((s) => s.openRun);
  return (
    <button className="link-button" onClick={() => void open(id)} title={`Open the run ${id}`}>
      {run ? `${run.service} ${run.version} → ${run.environment}` : id}
    </button>
  );
}

function incidentName(id: string, incidents: ReadonlyMap<string, IncidentSummary>): string {
  const incident = incidents.get(id);
  return incident ? `incident “${incident.title}”` : `incident ${id}`;
}
