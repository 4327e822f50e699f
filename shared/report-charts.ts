/**
 * What the report's charts draw, computed from a run's samples: latency of
 * the baseline against the new release (its distribution and over time), the
 * error rate, and the containers' CPU and memory. Pure data; report-html.ts
 * turns it into inline SVG and the Markdown into one line per chart.
 */
import { ecdf } from './ecdf';
import { formatMs } from './judge-rules';
import { percentiles } from './statistics';
import type { ContainerSample, HttpSample, Role, Sample } from './verify';

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

export interface ChartSeries {
  readonly role: Role;
  readonly label: string;
  readonly points: readonly ChartPoint[];
}

export interface ChartAxis {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** A log axis, for answer times that span orders of magnitude. */
  readonly log: boolean;
  /** Values are shares from 0 to 1, shown as percentages. */
  readonly share?: boolean;
}

export interface ReportChart {
  readonly id: 'latency-ecdf' | 'latency-time' | 'error-rate' | 'cpu' | 'memory';
  readonly title: string;
  /** ecdf: a step line of the share of answers at or under x; time: a line over seconds since sampling began. */
  readonly kind: 'ecdf' | 'time';
  readonly x: ChartAxis;
  readonly y: ChartAxis;
  readonly series: readonly ChartSeries[];
  /** The chart in one sentence: what a reader without the picture needs (and the SVG's label). */
  readonly summary: string;
}

/** Points kept per series, so a long VERIFY still prints quickly and small. */
const maxPoints = 300;

/** The charts a run's samples allow (none without samples); `labels` name the two releases. */
export function reportCharts(
  samples: { readonly baseline: readonly Sample[]; readonly candidate: readonly Sample[] },
  labels: Record<Role, string>,
): ReportChart[] {
  const all = [...samples.baseline, ...samples.candidate];
  if (all.length === 0) return [];
  const t0 = Math.min(...all.map((s) => s.t));
  const roles: Role[] = ['baseline', 'candidate'];
  const byRole = (role: Role) =>
    (role === 'baseline' ? samples.baseline : samples.candidate).filter((s) => s.role === role);
  const http = (role: Role) =>
    byRole(role).filter((s): s is HttpSample => s.kind === 'http' && s.unmeasured === undefined);
  const answered = (role: Role) => http(role).filter((s) => s.status > 0);
  const containers = (role: Role) =>
    byRole(role).filter((s): s is ContainerSample => s.kind === 'container' && s.unmeasured === undefined);
  const charts: ReportChart[] = [];

  const times = roles
    .map((role) => ({ role, values: answered(role).map((s) => s.ms) }))
    .filter((r) => r.values.length > 0);
  if (times.length > 0) {
    const every = times.flatMap((r) => r.values);
    const low = Math.max(0.01, Math.min(...every));
    const high = Math.max(...every);
    const log = high / low > 20;
    charts.push({
      id: 'latency-ecdf',
      title: 'Latency distribution',
      kind: 'ecdf',
      x: { label: 'answer time (ms)', min: log ? low : 0, max: log ? high : niceCeil(high), log },
      y: { label: 'share of answers at or under', min: 0, max: 1, log: false, share: true },
      series: times.map((r) => ({
        role: r.role,
        label: labels[r.role],
        points: ecdf(r.values, maxPoints).map(({ x, p }) => ({ x, y: p })),
      })),
      summary: times.map((r) => `${labels[r.role]}: ${latencyText(r.values)}`).join('; '),
    });
    const series = times.map((r) => ({
      role: r.role,
      label: labels[r.role],
      points: perSecond(answered(r.role), t0, (group) => median(group.map((s) => s.ms))),
    }));
    charts.push({
      id: 'latency-time',
      title: 'Latency over time (median per second)',
      kind: 'time',
      x: timeAxis(series),
      y: {
        label: 'median answer time (ms)',
        min: 0,
        max: niceCeil(Math.max(...series.flatMap((s) => s.points.map((p) => p.y)))),
        log: false,
      },
      series,
      summary: series
        .map(
          (s) =>
            `${s.label}: median per second from ${formatNumber(Math.min(...s.points.map((p) => p.y)))} to ${formatNumber(Math.max(...s.points.map((p) => p.y)))} ms`,
        )
        .join('; '),
    });
  }

  const probed = roles.filter((role) => http(role).length > 0);
  if (probed.length > 0) {
    const series = probed.map((role) => ({
      role,
      label: labels[role],
      points: perSecond(http(role), t0, (group) => (100 * group.filter(isErrorProbe).length) / group.length),
    }));
    charts.push({
      id: 'error-rate',
      title: 'Error rate per second',
      kind: 'time',
      x: timeAxis(series),
      y: {
        label: 'errors (% of probes)',
        min: 0,
        max: niceCeil(Math.max(...series.flatMap((s) => s.points.map((p) => p.y))), 5),
        log: false,
      },
      series,
      summary: probed.map((role) => `${labels[role]}: ${errorText(http(role))}`).join('; '),
    });
  }

  const measured = roles.filter((role) => containers(role).length > 0);
  if (measured.length > 0) {
    const cpu = measured.map((role) => ({
      role,
      label: labels[role],
      points: perSecond(containers(role), t0, (group) => mean(group.map((s) => s.cpuPercent))),
    }));
    charts.push({
      id: 'cpu',
      title: 'CPU of the containers',
      kind: 'time',
      x: timeAxis(cpu),
      y: {
        label: 'CPU (% of one core, mean of hosts)',
        min: 0,
        max: niceCeil(Math.max(...cpu.flatMap((s) => s.points.map((p) => p.y))), 1),
        log: false,
      },
      series: cpu,
      summary: measured
        .map((role) => `${labels[role]}: mean ${formatNumber(mean(containers(role).map((s) => s.cpuPercent)))}%`)
        .join('; '),
    });
    const memory = measured.map((role) => ({
      role,
      label: labels[role],
      points: perSecond(containers(role), t0, (group) => mean(group.map((s) => s.memoryBytes)) / 1e6),
    }));
    charts.push({
      id: 'memory',
      title: 'Memory of the containers',
      kind: 'time',
      x: timeAxis(memory),
      y: {
        label: 'memory (MB, mean of hosts)',
        min: 0,
        max: niceCeil(Math.max(...memory.flatMap((s) => s.points.map((p) => p.y))), 1),
        log: false,
      },
      series: memory,
      summary: measured
        .map(
          (role) => `${labels[role]}: mean ${formatNumber(mean(containers(role).map((s) => s.memoryBytes)) / 1e6)} MB`,
        )
        .join('; '),
    });
  }
  return charts;
}

/** An error is a 5xx or no answer at all, as the judge counts it. */
function isErrorProbe(sample: HttpSample): boolean {
  return sample.status === 0 || sample.status >= 500;
}

/** One value per time bucket (a second, or more when sampling ran long), x in seconds since `t0`. */
function perSecond<S extends Sample>(
  samples: readonly S[],
  t0: number,
  value: (group: readonly S[]) => number,
): ChartPoint[] {
  if (samples.length === 0) return [];
  const span = Math.max(...samples.map((s) => s.t)) - t0;
  const bucketMs = Math.max(1000, Math.ceil(span / maxPoints / 1000) * 1000);
  const buckets = new Map<number, S[]>();
  for (const s of samples) {
    const key = Math.floor((s.t - t0) / bucketMs);
    const group = buckets.get(key);
    if (group) group.push(s);
    else buckets.set(key, [s]);
  }
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([key, group]) => ({ x: ((key + 0.5) * bucketMs) / 1000, y: value(group) }));
}

function timeAxis(series: readonly ChartSeries[]): ChartAxis {
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  return { label: 'seconds since sampling began', min: 0, max: niceCeil(Math.max(1, ...xs)), log: false };
}

function latencyText(values: readonly number[]): string {
  const p = percentiles(values);
  // Worded as the latency card words its values, so the caption and the card can be read side by side.
  return `median ${formatMs(p.p50)}, p95 ${formatMs(p.p95)} over ${p.n} answers`;
}

function errorText(samples: readonly HttpSample[]): string {
  const errors = samples.filter(isErrorProbe).length;
  return `${formatNumber((100 * errors) / samples.length)}% errors (${errors} of ${samples.length} probes)`;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function median(values: readonly number[]): number {
  return values.length === 0 ? 0 : percentiles(values).p50;
}

/** The smallest 1, 2 or 5 times a power of ten at or over `value` (at least `floor`): an axis top people read easily. */
export function niceCeil(value: number, floor = 0): number {
  const v = Math.max(value, floor);
  if (!(v > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * power >= v * 0.999999) return Number((m * power).toPrecision(3));
  return 10 * power;
}

/** Three significant figures at most, without a trailing `.0`: 3.5, 505, 0.12. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (Math.abs(n) >= 100) return String(Math.round(n));
  return String(Number(n.toPrecision(Math.abs(n) >= 10 ? 3 : 2)));
}
