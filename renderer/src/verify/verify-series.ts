/**
 * What the verification charts draw, computed from samples: pure, so the
 * arithmetic is tested without a DOM and the charts only place points.
 */
import { ecdf, type EcdfPoint } from '../../../shared/ecdf';
import type { ContainerSample, HttpSample, Sample } from '../../../shared/verify';

/** A probe counts as an error when it got a 5xx or no answer at all, as the judge counts it. */
export function isErrorProbe(sample: HttpSample): boolean {
  return sample.status === 0 || sample.status >= 500;
}

function measuredHttp(samples: readonly Sample[]): HttpSample[] {
  return samples.filter((s): s is HttpSample => s.kind === 'http' && s.unmeasured === undefined);
}

/** The answer times (ms) of the HTTP probes that got an answer: what the latency rules judge. */
export function answerTimes(samples: readonly Sample[]): number[] {
  return measuredHttp(samples)
    .filter((s) => s.status > 0)
    .map((s) => s.ms);
}

/** A point of an empirical distribution: the share `p` of values at or under `x`. */
/** The value at share `q` (0..1) of sorted values, nearest rank: for a marker on the chart, not a verdict. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** Ticks for a log axis between `min` and `max`: 1, 2 and 5 times powers of ten (only powers of ten over a wide range). */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min)) return [];
  const wide = Math.log10(max / min) > 3;
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of wide ? [1] : [1, 2, 5]) {
      const value = m * 10 ** e;
      if (value >= min * 0.999 && value <= max * 1.001) ticks.push(Number(value.toPrecision(3)));
    }
  }
  return ticks;
}

/** Evenly spaced ticks from 0 to `max` (which niceCeil chose), in round steps: 20 by 5, 5 by 1, 10 by 2. */
export function linearTicks(max: number): number[] {
  if (!(max > 0)) return [0];
  const leading = Math.round(max / 10 ** Math.floor(Math.log10(max)));
  const count = leading === 2 ? 4 : 5;
  return Array.from({ length: count + 1 }, (_, i) => Number(((max * i) / count).toPrecision(6)));
}

/** One second of HTTP probes of one role. */
export interface ErrorBucket {
  /** The bucket's start, ms since the epoch. */
  readonly t: number;
  /** Probes that were measured (answered, refused or timed out). */
  readonly probes: number;
  /** Of those, 5xx or no answer. */
  readonly errors: number;
  /** Probes that could not be measured (a lost link): not in `probes`. */
  readonly unmeasured: number;
  /** errors / probes, or undefined when nothing was measured in that second. */
  readonly share: number | undefined;
}

const bucketOf = (t: number, bucketMs: number) => Math.floor(t / bucketMs) * bucketMs;

/** The share of error probes per `bucketMs` (1 s by default), oldest first; seconds without probes are absent. */
export function errorBuckets(samples: readonly Sample[], bucketMs = 1000): ErrorBucket[] {
  const byBucket = new Map<number, { probes: number; errors: number; unmeasured: number }>();
  for (const s of samples) {
    if (s.kind !== 'http') continue;
    const t = bucketOf(s.t, bucketMs);
    const b = byBucket.get(t) ?? { probes: 0, errors: 0, unmeasured: 0 };
    if (s.unmeasured !== undefined) b.unmeasured++;
    else {
      b.probes++;
      if (isErrorProbe(s)) b.errors++;
    }
    byBucket.set(t, b);
  }
  return [...byBucket]
    .sort(([a], [b]) => a - b)
    .map(([t, b]) => ({ t, ...b, share: b.probes > 0 ? b.errors / b.probes : undefined }));
}

/** A value over time: one point per bucket. */
export interface TimePoint {
  readonly t: number;
  readonly v: number;
}

/** A container figure (CPU %, memory bytes) per bucket, averaged over the hosts and samples in it; unmeasured samples are left out. */
export function containerSeries(
  samples: readonly Sample[],
  pick: (s: ContainerSample) => number,
  bucketMs = 1000,
): TimePoint[] {
  const byBucket = new Map<number, { sum: number; n: number }>();
  for (const s of samples) {
    if (s.kind !== 'container' || s.unmeasured !== undefined) continue;
    const t = bucketOf(s.t, bucketMs);
    const b = byBucket.get(t) ?? { sum: 0, n: 0 };
    b.sum += pick(s);
    b.n++;
    byBucket.set(t, b);
  }
  return [...byBucket].sort(([a], [b]) => a - b).map(([t, b]) => ({ t, v: b.sum / b.n }));
}

/** The overall share of error probes (measured only), with its counts. */
export function errorShare(samples: readonly Sample[]): { errors: number; probes: number; share: number | undefined } {
  const probes = measuredHttp(samples);
  const errors = probes.filter(isErrorProbe).length;
  return { errors, probes: probes.length, share: probes.length > 0 ? errors / probes.length : undefined };
}

/** A stretch of time with samples; a longer pause than the axis allows starts a new one. */
export interface TimeSegment {
  readonly start: number;
  readonly end: number;
  /** Where the segment starts on the axis, in ms of axis time. */
  readonly offset: number;
}

/**
 * A time axis that closes long pauses: the baseline measured in PREPARE and
 * the new release in VERIFY may lie minutes apart, and a chart mostly empty
 * would hide both. A pause over `maxGapMs` is drawn as a break `breakMs` wide.
 */
export class TimeAxis {
  readonly segments: readonly TimeSegment[];
  /** The axis's whole length in ms of axis time. */
  readonly span: number;

  constructor(times: readonly number[], maxGapMs = 5000, breakMs = 2000) {
    const sorted = [...new Set(times)].sort((a, b) => a - b);
    const segments: TimeSegment[] = [];
    let offset = 0;
    for (const t of sorted) {
      const last = segments[segments.length - 1];
      if (last && t - last.end <= maxGapMs) {
        segments[segments.length - 1] = { ...last, end: t };
        continue;
      }
      if (last) offset = last.offset + (last.end - last.start) + breakMs;
      segments.push({ start: t, end: t, offset });
    }
    this.segments = segments;
    const last = segments[segments.length - 1];
    this.span = last ? last.offset + (last.end - last.start) : 0;
  }

  /** Where time `t` lies on the axis (ms of axis time), or undefined outside every segment. */
  at(t: number): number | undefined {
    for (const s of this.segments) if (t >= s.start && t <= s.end) return s.offset + (t - s.start);
    return undefined;
  }

  /** The breaks: axis positions where a pause was closed, with how long it really was. */
  breaks(): { readonly at: number; readonly pausedMs: number }[] {
    return this.segments.slice(1).map((s, i) => {
      const before = this.segments[i]!;
      return { at: (before.offset + (before.end - before.start) + s.offset) / 2, pausedMs: s.start - before.end };
    });
  }
}

/** Samples gathered against samples needed, for the sufficiency meter. */
export interface Sufficiency {
  readonly gathered: number;
  readonly needed: number;
  /** 0..1: how full the meter is. */
  readonly share: number;
  readonly enough: boolean;
  readonly missing: number;
  /** Seconds until enough at the given rate, when a rate is known and more are needed. */
  readonly etaSeconds?: number;
}

/** How far sampling got: gathered of needed, what is missing, and how long that takes at `perSecond`. */
export function sufficiency(gathered: number, needed: number, perSecond?: number): Sufficiency {
  const g = Math.max(0, Math.floor(gathered));
  const n = Math.max(0, Math.floor(needed));
  const missing = Math.max(0, n - g);
  const share = n === 0 ? 1 : Math.min(1, g / n);
  return {
    gathered: g,
    needed: n,
    share,
    enough: missing === 0,
    missing,
    ...(missing > 0 && perSecond !== undefined && perSecond > 0 ? { etaSeconds: Math.ceil(missing / perSecond) } : {}),
  };
}

/** Samples per second of one role over its last `windowMs`, from their times (undefined with fewer than two). */
export function recentRate(times: readonly number[], windowMs = 5000): number | undefined {
  if (times.length < 2) return undefined;
  let last = -Infinity;
  for (const t of times) if (t > last) last = t;
  const recent = times.filter((t) => t > last - windowMs);
  if (recent.length < 2) return undefined;
  const first = Math.min(...recent);
  const span = (last - first) / 1000;
  return span > 0 ? (recent.length - 1) / span : undefined;
}

/** Everything the charts draw for one role. */
export interface RoleSeries {
  /** Answer times, sorted. */
  readonly times: readonly number[];
  readonly curve: readonly EcdfPoint[];
  readonly errors: readonly ErrorBucket[];
  readonly errorShare: ReturnType<typeof errorShare>;
  readonly cpu: readonly TimePoint[];
  readonly memory: readonly TimePoint[];
}

/** The charts' series for one role's samples. */
export function roleSeries(samples: readonly Sample[]): RoleSeries {
  const times = answerTimes(samples).sort((a, b) => a - b);
  return {
    times,
    curve: ecdf(times),
    errors: errorBuckets(samples),
    errorShare: errorShare(samples),
    cpu: containerSeries(samples, (s) => s.cpuPercent),
    memory: containerSeries(samples, (s) => s.memoryBytes),
  };
}

/** The mean of a series' values (undefined when empty). */
export function meanOf(points: readonly TimePoint[]): number | undefined {
  return points.length > 0 ? points.reduce((sum, p) => sum + p.v, 0) / points.length : undefined;
}

const tickSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];

/** Ticks for a time axis (real times, ms): every `step` seconds from its first time, at most about `most` of them; a segment with none gets one at its start. */
export function timeTicks(axis: TimeAxis, most: number): number[] {
  const first = axis.segments[0];
  if (!first) return [];
  const spanSeconds = axis.span / 1000;
  const step = (tickSteps.find((s) => spanSeconds / s <= Math.max(1, most)) ?? 3600) * 1000;
  const ticks: number[] = [];
  for (const segment of axis.segments) {
    const before = ticks.length;
    for (let t = first.start + Math.ceil((segment.start - first.start) / step) * step; t <= segment.end; t += step)
      ticks.push(t);
    if (ticks.length === before) ticks.push(segment.start);
  }
  return ticks;
}
