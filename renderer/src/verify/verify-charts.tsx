/**
 * The new release against its baseline, drawn as plain SVG at the chart's
 * real width: the distribution of answer times, the error rate per second,
 * and the containers' CPU and memory over time. Colours come from classes,
 * so both themes read them; the baseline is also dashed, for anyone who
 * cannot tell the colours apart.
 */
import type { ReactNode } from 'react';
import type { Role } from '../../../shared/verify';
import { useWidth } from '../common/use-width';
import { formatMs } from './verify-format';
import { niceCeil } from '../../../shared/report-charts';
import {
  linearTicks,
  logTicks,
  meanOf,
  quantile,
  TimeAxis,
  timeTicks,
  type RoleSeries,
  type TimePoint,
} from './verify-series';

const height = 150;
const margin = { left: 44, right: 12, top: 10, bottom: 32 };
const plotBottom = height - margin.bottom;
const roles: readonly Role[] = ['baseline', 'candidate'];

/** The two releases a chart compares, named as the run names them. */
export interface ChartNames {
  readonly baseline: string;
  readonly candidate: string;
}

/** Both roles' series. */
export type BothSeries = Readonly<Record<Role, RoleSeries>>;

interface Tick {
  readonly at: number;
  readonly label: string;
}

const formatPercent = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)}%`;
const formatMiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** A chart's frame: its title, the SVG (an image whose name says what it shows), the legend. */
function ChartFrame({
  title,
  label,
  names,
  extraLegend,
  children,
}: {
  title: string;
  label: string;
  names: ChartNames;
  extraLegend?: ReactNode;
  children: (width: number) => ReactNode;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  return (
    <figure className="chart">
      <figcaption className="chart-title">{title}</figcaption>
      <div ref={ref} className="chart-box">
        <svg
          role="img"
          aria-label={label}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          className="chart-svg"
        >
          {children(width)}
        </svg>
      </div>
      <ul className="chart-legend" aria-hidden="true">
        {[...roles].reverse().map((role) => (
          <li key={role}>
            <svg width="24" height="10" className="legend-swatch">
              <line x1="1" y1="5" x2="23" y2="5" className={`series series-${role}`} />
            </svg>
            {role === 'candidate' ? `new ${names.candidate}` : `baseline ${names.baseline}`}
          </li>
        ))}
        {extraLegend}
      </ul>
    </figure>
  );
}

/** The plot area's axes, grid and tick labels. */
function Axes({
  width,
  xTicks,
  yTicks,
  xTitle,
}: {
  width: number;
  xTicks: readonly Tick[];
  yTicks: readonly Tick[];
  xTitle: string;
}) {
  return (
    <g className="axes">
      {yTicks.map((t) => (
        <g key={`y${t.at}`}>
          <line x1={margin.left} x2={width - margin.right} y1={t.at} y2={t.at} className="grid" />
          <text x={margin.left - 5} y={t.at} dy="0.32em" textAnchor="end">
            {t.label}
          </text>
        </g>
      ))}
      {xTicks.map((t) => (
        <g key={`x${t.at}`}>
          <line x1={t.at} x2={t.at} y1={plotBottom} y2={plotBottom + 4} className="axis" />
          <text x={t.at} y={plotBottom + 14} textAnchor="middle">
            {t.label}
          </text>
        </g>
      ))}
      <line x1={margin.left} x2={width - margin.right} y1={plotBottom} y2={plotBottom} className="axis" />
      <line x1={margin.left} x2={margin.left} y1={margin.top} y2={plotBottom} className="axis" />
      <text x={(margin.left + width - margin.right) / 2} y={height - 3} textAnchor="middle" className="axis-title">
        {xTitle}
      </text>
    </g>
  );
}

/** A value from 0 to `max` as a y position. */
const yOf = (value: number, max: number) =>
  margin.top + (1 - Math.min(1, Math.max(0, value / max))) * (plotBottom - margin.top);

/** "850", "1.2k" on a tick of milliseconds. */
function msTick(value: number): string {
  return value >= 1000 ? `${Number((value / 1000).toPrecision(3))}k` : String(Number(value.toPrecision(3)));
}

function NoData({ width, text }: { width: number; text: string }) {
  return (
    <text x={width / 2} y={height / 2} textAnchor="middle" className="chart-empty">
      {text}
    </text>
  );
}

/** The latency distribution of both releases: the share of answers at or under each time, on a log scale. */
export function LatencyChart({ series, names }: { series: BothSeries; names: ChartNames }) {
  const describe = (role: Role) => {
    const { times } = series[role];
    const name = role === 'candidate' ? `new ${names.candidate}` : `baseline ${names.baseline}`;
    if (times.length === 0) return `${name}: no answers yet`;
    return `${name}: median ${formatMs(quantile(times, 0.5)!)}, p95 ${formatMs(quantile(times, 0.95)!)} over ${times.length} answers`;
  };
  const label = `Latency distribution of answered probes (share of answers at or under each time, log scale). ${describe('candidate')}; ${describe('baseline')}.`;
  return (
    <ChartFrame title="Latency distribution" label={label} names={names}>
      {(width) => {
        const all = [...series.baseline.times, ...series.candidate.times];
        if (all.length === 0) return <NoData width={width} text="No answers yet" />;
        let lo = Math.max(0.1, Math.min(...roles.map((r) => series[r].times[0] ?? Infinity)));
        let hi = Math.max(lo, ...roles.map((r) => series[r].times[series[r].times.length - 1] ?? 0));
        if (hi < lo * 2) {
          lo /= 1.5;
          hi *= 1.5;
        }
        // A little room at both ends, so a curve at the edge (every answer 500 ms) stays in sight.
        const pad = (hi / lo) ** 0.04;
        lo /= pad;
        hi *= pad;
        const right = width - margin.right;
        const x = (v: number) =>
          margin.left +
          ((Math.log(Math.max(v, lo)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * (right - margin.left);
        const y = (share: number) => yOf(share, 1);
        const ticks = logTicks(lo, hi);
        const xTicks = thin(
          ticks.map((v) => ({ at: x(v), label: msTick(v) })),
          width,
        );
        const yTicks = [0, 0.25, 0.5, 0.75, 1].map((p) => ({ at: y(p), label: `${p * 100}%` }));
        return (
          <>
            <Axes width={width} xTicks={xTicks} yTicks={yTicks} xTitle="answer time (ms, log scale)" />
            <line x1={margin.left} x2={right} y1={y(0.95)} y2={y(0.95)} className="ref-line" />
            <text x={margin.left + 4} y={y(0.95) - 3} className="ref-label">
              p95
            </text>
            {roles.map((role) => {
              const curve = series[role].curve;
              if (curve.length === 0) return null;
              let d = `M${x(curve[0]!.x).toFixed(1)},${y(0).toFixed(1)}V${y(curve[0]!.p).toFixed(1)}`;
              for (const point of curve.slice(1)) d += `H${x(point.x).toFixed(1)}V${y(point.p).toFixed(1)}`;
              d += `H${right}`;
              return <path key={role} d={d} className={`series series-${role}`} />;
            })}
          </>
        );
      }}
    </ChartFrame>
  );
}

/** Keep every other tick until the labels no longer crowd each other. */
function thin(ticks: Tick[], width: number): Tick[] {
  let shown = ticks;
  while (shown.length > Math.max(2, Math.floor((width - margin.left) / 42)))
    shown = shown.filter((_, i) => i % 2 === 0);
  return shown;
}

/** A reference line across a time chart: a threshold, with its label. */
interface Reference {
  readonly value: number;
  readonly label: string;
  readonly tone: 'warn' | 'bad';
}

/** Lines over time for both roles on one axis that closes long pauses (PREPARE's baseline and VERIFY lie apart). */
function TimeLines({
  width,
  series,
  max,
  format,
  references = [],
  marks = [],
}: {
  width: number;
  series: Readonly<Record<Role, readonly TimePoint[]>>;
  max: number;
  format: (v: number) => string;
  references?: readonly Reference[];
  marks?: readonly number[];
}) {
  const axis = new TimeAxis([...series.baseline.map((p) => p.t), ...series.candidate.map((p) => p.t), ...marks]);
  const right = width - margin.right;
  const x = (t: number) => {
    const at = axis.at(t) ?? 0;
    return axis.span === 0 ? (margin.left + right) / 2 : margin.left + (at / axis.span) * (right - margin.left);
  };
  const first = axis.segments[0]?.start ?? 0;
  const xTicks = timeTicks(axis, Math.floor((width - margin.left) / 56)).map((t) => ({
    at: x(t),
    label: secondsLabel(t - first),
  }));
  const yTicks = linearTicks(max).map((v) => ({ at: yOf(v, max), label: format(v) }));
  return (
    <>
      <Axes
        width={width}
        xTicks={xTicks}
        yTicks={yTicks}
        xTitle={
          axis.segments.length > 1 ? 'time since the first sample (pauses closed)' : 'time since the first sample'
        }
      />
      {axis.breaks().map((b) => {
        const at = margin.left + (b.at / axis.span) * (right - margin.left);
        return (
          <g key={b.at} className="time-break">
            <title>{`${Math.round(b.pausedMs / 1000)} s without samples`}</title>
            <line x1={at} x2={at} y1={margin.top} y2={plotBottom} />
          </g>
        );
      })}
      {references
        .filter((r) => r.value <= max)
        .map((r) => (
          <g key={r.label}>
            <line
              x1={margin.left}
              x2={right}
              y1={yOf(r.value, max)}
              y2={yOf(r.value, max)}
              className={`ref-line ref-${r.tone}`}
            />
            <text x={right - 2} y={yOf(r.value, max) - 3} textAnchor="end" className={`ref-label ref-${r.tone}`}>
              {r.label}
            </text>
          </g>
        ))}
      {marks.map((t) => (
        <rect key={t} x={x(t) - 1.5} y={plotBottom - 6} width={3} height={6} className="unmeasured-mark" />
      ))}
      {roles.map((role) => (
        <path key={role} d={linePath(series[role], axis, x, (v) => yOf(v, max))} className={`series series-${role}`} />
      ))}
      {/* Few points (resources are read every few seconds): each one marked, so a lone reading still shows. */}
      {roles.map(
        (role) =>
          series[role].length <= 40 &&
          series[role].map((p) => (
            <circle key={`${role}${p.t}`} cx={x(p.t)} cy={yOf(p.v, max)} r={2.5} className={`series-dot dot-${role}`} />
          )),
      )}
    </>
  );
}

/** "0 s", "45 s", "2:05" since the first sample. */
function secondsLabel(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A polyline through the points, broken where a pause was closed. */
function linePath(
  points: readonly TimePoint[],
  axis: TimeAxis,
  x: (t: number) => number,
  y: (v: number) => number,
): string {
  let d = '';
  let previous: TimePoint | undefined;
  let alone = false;
  const segmentOf = (t: number) => axis.segments.findIndex((s) => t >= s.start && t <= s.end);
  for (const point of points) {
    const joined = previous !== undefined && segmentOf(point.t) === segmentOf(previous.t);
    const px = x(point.t).toFixed(1);
    const py = y(point.v).toFixed(1);
    if (!joined && alone) d += 'h2';
    d += joined ? `L${px},${py}` : `M${px},${py}`;
    alone = !joined;
    previous = point;
  }
  // A lone point would draw nothing: give it a short stroke.
  if (alone) d += 'h2';
  return d;
}

/** The share of probes that got a 5xx or no answer, per second, with the thresholds that ask and roll back. */
export function ErrorRateChart({
  series,
  names,
  thresholds,
}: {
  series: BothSeries;
  names: ChartNames;
  thresholds?: { investigate: number; rollback: number };
}) {
  const points = (role: Role) =>
    series[role].errors.filter((b) => b.share !== undefined).map((b) => ({ t: b.t, v: b.share! * 100 }));
  const lines = { baseline: points('baseline'), candidate: points('candidate') };
  const marks = roles.flatMap((role) =>
    series[role].errors.filter((b) => b.probes === 0 && b.unmeasured > 0).map((b) => b.t),
  );
  const top = Math.max(0, ...lines.baseline.map((p) => p.v), ...lines.candidate.map((p) => p.v));
  const max = niceCeil(top * 1.1, thresholds ? thresholds.rollback * 100 * 1.2 : 5);
  const describe = (role: Role) => {
    const { errors, probes, share } = series[role].errorShare;
    const name = role === 'candidate' ? `new ${names.candidate}` : `baseline ${names.baseline}`;
    return share === undefined
      ? `${name}: no probes yet`
      : `${name}: ${formatPercent(share * 100)} (${errors} of ${probes} probes)`;
  };
  const references: Reference[] = thresholds
    ? [
        {
          value: thresholds.investigate * 100,
          label: `asks ${formatPercent(thresholds.investigate * 100)}`,
          tone: 'warn',
        },
        {
          value: thresholds.rollback * 100,
          label: `rolls back ${formatPercent(thresholds.rollback * 100)}`,
          tone: 'bad',
        },
      ]
    : [];
  const label = `Error rate per second (share of probes answered 5xx or not at all). ${describe('candidate')}; ${describe('baseline')}.${marks.length ? ` ${marks.length} seconds could not be measured.` : ''}`;
  const extra =
    marks.length > 0 ? (
      <li>
        <svg width="10" height="10" className="legend-swatch">
          <rect x="3" y="2" width="4" height="8" className="unmeasured-mark" />
        </svg>
        not measured
      </li>
    ) : undefined;
  return (
    <ChartFrame title="Error rate" label={label} names={names} extraLegend={extra}>
      {(width) =>
        lines.baseline.length + lines.candidate.length + marks.length === 0 ? (
          <NoData width={width} text="No probes yet" />
        ) : (
          <TimeLines
            width={width}
            series={lines}
            max={max}
            format={(v) => `${Number(v.toPrecision(3))}%`}
            references={references}
            marks={marks}
          />
        )
      }
    </ChartFrame>
  );
}

/** A container figure over time, both releases: CPU or memory. */
export function ResourceChart({
  series,
  names,
  what,
}: {
  series: BothSeries;
  names: ChartNames;
  what: 'cpu' | 'memory';
}) {
  const lines = { baseline: series.baseline[what], candidate: series.candidate[what] };
  const scale = what === 'memory' ? 1024 * 1024 : 1;
  const scaled = {
    baseline: lines.baseline.map((p) => ({ t: p.t, v: p.v / scale })),
    candidate: lines.candidate.map((p) => ({ t: p.t, v: p.v / scale })),
  };
  const top = Math.max(0, ...scaled.baseline.map((p) => p.v), ...scaled.candidate.map((p) => p.v));
  const max = niceCeil(top * 1.1, 1);
  const format = what === 'memory' ? formatMiB : formatPercent;
  const describe = (role: Role) => {
    const mean = meanOf(lines[role]);
    const name = role === 'candidate' ? `new ${names.candidate}` : `baseline ${names.baseline}`;
    return mean === undefined ? `${name}: not measured yet` : `${name}: mean ${format(mean)}`;
  };
  const title = what === 'cpu' ? 'CPU' : 'Memory';
  const label = `${title} of the containers over time${what === 'cpu' ? ' (percent)' : ' (MiB)'}. ${describe('candidate')}; ${describe('baseline')}.`;
  return (
    <ChartFrame title={what === 'cpu' ? 'CPU (%)' : 'Memory (MiB)'} label={label} names={names}>
      {(width) =>
        scaled.baseline.length + scaled.candidate.length === 0 ? (
          <NoData width={width} text="No container samples yet" />
        ) : (
          <TimeLines width={width} series={scaled} max={max} format={(v) => String(Number(v.toPrecision(3)))} />
        )
      }
    </ChartFrame>
  );
}
