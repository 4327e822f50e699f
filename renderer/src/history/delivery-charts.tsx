import type { DeliveryGroup, DeliveryMetrics } from '../../../shared/delivery';
import { formatSpan } from './delivery-format';

const width = 300;
const height = 110;
const pad = { left: 34, right: 8, top: 10, bottom: 20 };
const plotW = width - pad.left - pad.right;
const plotH = height - pad.top - pad.bottom;

/** A group's metrics over time: deployments and change failure rate per bucket, lead times and restores as points. */
export function DeliveryCharts({ group, metrics }: { group: DeliveryGroup; metrics: DeliveryMetrics }) {
  const per = metrics.period.bucket === 'day' ? 'day' : 'week';
  const labels = metrics.buckets.map((b) =>
    new Date(b.start).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }),
  );
  const deployments = group.deploymentFrequency.perBucket.map((runs) => runs.length);
  const rates = group.changeFailureRate.perBucket;
  return (
    <div className="delivery-charts">
      <figure className="chart">
        <figcaption className="chart-title">Deployments per {per}</figcaption>
        <Bars
          label={`Deployments per ${per}: ${deployments.map((n, i) => `${labels[i]} ${n}`).join(', ')}`}
          values={deployments}
          max={Math.max(1, ...deployments)}
          labels={labels}
          text={(n) => (n > 0 ? String(n) : '')}
          axis={(max) => String(max)}
        />
      </figure>
      <figure className="chart">
        <figcaption className="chart-title">Change failure rate per {per}</figcaption>
        <Bars
          label={`Change failure rate per ${per}: ${rates.map((r, i) => `${labels[i]} ${r.rate === undefined ? 'no deployment' : `${r.failures} of ${r.deployments}`}`).join(', ')}`}
          values={rates.map((r) => r.rate ?? 0)}
          max={1}
          labels={labels}
          text={(_, i) => (rates[i]!.deployments > 0 ? `${rates[i]!.failures}/${rates[i]!.deployments}` : '–')}
          axis={() => '100%'}
          bad
        />
      </figure>
      <figure className="chart">
        <figcaption className="chart-title">Lead time and time to restore</figcaption>
        <Points group={group} metrics={metrics} />
        <ul className="chart-legend">
          <li>
            <svg width="10" height="10" aria-hidden="true">
              <circle cx="5" cy="5" r="4" className="delivery-lead" />
            </svg>
            lead time
          </li>
          <li>
            <svg width="10" height="10" aria-hidden="true">
              <rect x="1" y="1" width="8" height="8" className="delivery-restore" />
            </svg>
            time to restore
          </li>
        </ul>
      </figure>
    </div>
  );
}

function Bars({
  label,
  values,
  max,
  labels,
  text,
  axis,
  bad,
}: {
  label: string;
  values: readonly number[];
  max: number;
  labels: readonly string[];
  text: (value: number, index: number) => string;
  axis: (max: number) => string;
  bad?: boolean;
}) {
  const slot = values.length > 0 ? plotW / values.length : plotW;
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  // A label under every bar while they fit; else every few.
  const every = Math.max(1, Math.ceil(values.length / 7));
  return (
    <svg className="chart-svg" viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={label}>
      <line className="grid" x1={pad.left} x2={width - pad.right} y1={pad.top} y2={pad.top} />
      <line className="axis" x1={pad.left} x2={width - pad.right} y1={pad.top + plotH} y2={pad.top + plotH} />
      <text x={pad.left - 4} y={pad.top + 3} textAnchor="end">
        {axis(max)}
      </text>
      <text x={pad.left - 4} y={pad.top + plotH} textAnchor="end">
        0
      </text>
      {values.map((v, i) => {
        const h = (v / max) * plotH;
        const x = pad.left + i * slot + (slot - barW) / 2;
        return (
          <g key={i}>
            <rect
              className={bad ? 'delivery-bar bad' : 'delivery-bar'}
              x={x}
              y={pad.top + plotH - h}
              width={barW}
              height={h}
            />
            {slot >= 18 && (
              <text x={x + barW / 2} y={pad.top + plotH - h - 2} textAnchor="middle">
                {text(v, i)}
              </text>
            )}
            {i % every === 0 && (
              <text x={x + barW / 2} y={height - 6} textAnchor="middle">
                {labels[i]}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

function Points({ group, metrics }: { group: DeliveryGroup; metrics: DeliveryMetrics }) {
  const from = Date.parse(metrics.period.from);
  const to = Date.parse(metrics.period.to);
  const leads = group.leadTime.values.map((v) => ({
    t: Date.parse(v.liveAt),
    ms: v.ms,
    what: `lead time ${v.version} ${formatSpan(v.ms)}`,
  }));
  const restores = group.timeToRestore.values.map((v) => ({
    t: Date.parse(v.from),
    ms: v.ms,
    what: `time to restore ${v.id} ${formatSpan(v.ms)}`,
  }));
  const max = niceSpan(Math.max(...leads.map((p) => p.ms), ...restores.map((p) => p.ms), 0));
  const x = (t: number) =>
    pad.left + (to > from ? ((Math.min(Math.max(t, from), to) - from) / (to - from)) * plotW : 0);
  const y = (ms: number) => pad.top + plotH - (ms / max) * plotH;
  const label =
    leads.length + restores.length === 0
      ? 'No lead time or restore in the period'
      : `${[...leads, ...restores].map((p) => p.what).join(', ')}`;
  return (
    <svg className="chart-svg" viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={label}>
      <line className="grid" x1={pad.left} x2={width - pad.right} y1={pad.top} y2={pad.top} />
      <line className="axis" x1={pad.left} x2={width - pad.right} y1={pad.top + plotH} y2={pad.top + plotH} />
      <text x={pad.left - 4} y={pad.top + 3} textAnchor="end">
        {formatSpan(max)}
      </text>
      <text x={pad.left - 4} y={pad.top + plotH} textAnchor="end">
        0
      </text>
      <text x={pad.left} y={height - 6}>
        {new Date(from).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}
      </text>
      <text x={width - pad.right} y={height - 6} textAnchor="end">
        {new Date(to - 1).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}
      </text>
      {leads.length + restores.length === 0 && (
        <text className="chart-empty" x={pad.left + plotW / 2} y={pad.top + plotH / 2} textAnchor="middle">
          nothing yet
        </text>
      )}
      {leads.map((p, i) => (
        <circle key={`l${i}`} className="delivery-lead" cx={x(p.t)} cy={y(p.ms)} r={3.5}>
          <title>{p.what}</title>
        </circle>
      ))}
      {restores.map((p, i) => (
        <rect key={`r${i}`} className="delivery-restore" x={x(p.t) - 3.5} y={y(p.ms) - 3.5} width={7} height={7}>
          <title>{p.what}</title>
        </rect>
      ))}
    </svg>
  );
}

const minute = 60_000;
/** The axis top for the longest span: the first round span at least as long (15 min, 30 min, 1 h, … 1 week, then whole weeks). */
function niceSpan(ms: number): number {
  const steps = [15, 30, 60, 120, 240, 360, 720, 1440, 2880, 4320, 10080].map((m) => m * minute);
  return steps.find((s) => s >= ms) ?? Math.ceil(ms / (10080 * minute)) * 10080 * minute;
}
