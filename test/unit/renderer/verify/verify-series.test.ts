import { describe, expect, it } from 'vitest';
import type { ContainerSample, HttpSample, Sample } from '../../../../shared/verify';
import { niceCeil } from '../../../../shared/report-charts';
import {
  answerTimes,
  containerSeries,
  errorBuckets,
  errorShare,
  linearTicks,
  logTicks,
  quantile,
  recentRate,
  roleSeries,
  sufficiency,
  TimeAxis,
  timeTicks,
} from '../../../../renderer/src/verify/verify-series';
import { ecdf } from '../../../../shared/ecdf';

const t0 = 1_700_000_000_000;

function probe(t: number, status: number, ms: number, extra: Partial<HttpSample> = {}): HttpSample {
  return { kind: 'http', t: t0 + t, host: 'lab-1', role: 'candidate', path: '/cgi-bin/app', status, ms, ...extra };
}

function stats(
  t: number,
  cpuPercent: number,
  memoryBytes: number,
  extra: Partial<ContainerSample> = {},
): ContainerSample {
  return {
    kind: 'container',
    t: t0 + t,
    host: 'lab-1',
    role: 'candidate',
    cpuPercent,
    memoryBytes,
    restarts: 0,
    errorLines: 0,
    ...extra,
  };
}

describe('errorBuckets', () => {
  it('counts 5xx and unanswered probes per second, and keeps unmeasured ones apart', () => {
    const samples: Sample[] = [
      probe(0, 200, 10),
      probe(400, 500, 12),
      probe(999, 0, 1000),
      probe(1000, 200, 9),
      probe(1500, 404, 9),
      probe(3200, 0, 0, { unmeasured: 'the SSH link to lab-1 was lost' }),
      stats(100, 1, 1),
    ];
    expect(errorBuckets(samples)).toEqual([
      { t: t0, probes: 3, errors: 2, unmeasured: 0, share: 2 / 3 },
      { t: t0 + 1000, probes: 2, errors: 0, unmeasured: 0, share: 0 },
      { t: t0 + 3000, probes: 0, errors: 0, unmeasured: 1, share: undefined },
    ]);
  });

  it('sorts buckets by time whatever order the samples came in, with a bucket size of choice', () => {
    const samples = [probe(5100, 200, 1), probe(100, 503, 1), probe(2600, 200, 1)];
    expect(errorBuckets(samples, 2500).map((b) => [b.t - t0, b.errors])).toEqual([
      [0, 1],
      [2500, 0],
      [5000, 0],
    ]);
  });

  it('the overall share counts measured probes only', () => {
    expect(errorShare([probe(0, 500, 1), probe(1, 200, 1), probe(2, 0, 0, { unmeasured: 'lost' })])).toEqual({
      errors: 1,
      probes: 2,
      share: 0.5,
    });
    expect(errorShare([])).toEqual({ errors: 0, probes: 0, share: undefined });
  });
});

describe('answer times', () => {
  it('keeps answered, measured probes only (a 5xx is an answer; no answer is not)', () => {
    expect(
      answerTimes([
        probe(0, 200, 10),
        probe(1, 500, 20),
        probe(2, 0, 1000),
        probe(3, 200, 5, { unmeasured: 'lost' }),
        stats(0, 1, 1),
      ]),
    ).toEqual([10, 20]);
  });
});

describe('ecdf', () => {
  it('gives each distinct value the share at or under it', () => {
    expect(ecdf([3, 1, 2, 2])).toEqual([
      { x: 1, p: 0.25 },
      { x: 2, p: 0.75 },
      { x: 3, p: 1 },
    ]);
  });

  it('is empty without values', () => {
    expect(ecdf([])).toEqual([]);
  });

  it('thins many values to at most maxPoints, keeping the ends and rising steadily', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const points = ecdf(values, 101);
    expect(points).toHaveLength(101);
    expect(points[0]).toEqual({ x: 1, p: 0.0001 });
    expect(points[points.length - 1]).toEqual({ x: 10_000, p: 1 });
    expect(points[50]).toEqual({ x: 5_001, p: 0.5001 });
    for (let i = 1; i < points.length; i++) {
      expect(points[i]!.x).toBeGreaterThan(points[i - 1]!.x);
      expect(points[i]!.p).toBeGreaterThan(points[i - 1]!.p);
    }
  });

  it('thinned ties still count every copy', () => {
    const points = ecdf([...Array(500).fill(5), ...Array(500).fill(7)], 10);
    expect(points).toEqual([
      { x: 5, p: 0.5 },
      { x: 7, p: 1 },
    ]);
  });

  it('quantile by nearest rank', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantile(sorted, 0.5)).toBe(5);
    expect(quantile(sorted, 0.95)).toBe(10);
    expect(quantile(sorted, 0)).toBe(1);
    expect(quantile([], 0.5)).toBeUndefined();
  });
});

describe('axis ticks', () => {
  it('a log axis gets 1, 2 and 5 times powers of ten inside its range', () => {
    expect(logTicks(3, 600)).toEqual([5, 10, 20, 50, 100, 200, 500]);
    expect(logTicks(0.4, 12)).toEqual([0.5, 1, 2, 5, 10]);
  });

  it('a wide log axis gets powers of ten only', () => {
    expect(logTicks(0.2, 3000)).toEqual([1, 10, 100, 1000]);
  });

  it('refuses a range that a log scale cannot draw', () => {
    expect(logTicks(0, 10)).toEqual([]);
    expect(logTicks(10, 5)).toEqual([]);
  });

  it('rounds a top up to 1, 2 or 5 times a power of ten', () => {
    expect(niceCeil(0.7)).toBe(1);
    expect(niceCeil(13)).toBe(20);
    expect(niceCeil(20)).toBe(20);
    expect(niceCeil(51)).toBe(100);
    expect(niceCeil(3, 12)).toBe(20);
    expect(niceCeil(0)).toBe(1);
    expect(linearTicks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(linearTicks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(linearTicks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(linearTicks(0.1)).toEqual([0, 0.02, 0.04, 0.06, 0.08, 0.1]);
  });
});

describe('TimeAxis', () => {
  it('closes pauses longer than the gap allowed, each as a short break', () => {
    // PREPARE's baseline at 0..4 s, then VERIFY from 120 s to 130 s.
    const axis = new TimeAxis(
      [0, 1000, 2000, 3000, 4000, 120_000, 125_000, 130_000].map((t) => t0 + t),
      5000,
      2000,
    );
    expect(axis.segments).toEqual([
      { start: t0, end: t0 + 4000, offset: 0 },
      { start: t0 + 120_000, end: t0 + 130_000, offset: 6000 },
    ]);
    expect(axis.span).toBe(16_000);
    expect(axis.at(t0 + 2000)).toBe(2000);
    expect(axis.at(t0 + 121_000)).toBe(7000);
    expect(axis.at(t0 + 60_000)).toBeUndefined();
    expect(axis.breaks()).toEqual([{ at: 5000, pausedMs: 116_000 }]);
  });

  it('ticks every few seconds from the first sample, one at least in each stretch', () => {
    const axis = new TimeAxis(
      [0, 30_000, 200_000, 201_000].map((t) => t0 + t),
      40_000,
    );
    expect(timeTicks(axis, 4).map((t) => (t - t0) / 1000)).toEqual([0, 10, 20, 30, 200]);
  });

  it('an empty axis has no span and no ticks', () => {
    const axis = new TimeAxis([]);
    expect(axis.span).toBe(0);
    expect(timeTicks(axis, 5)).toEqual([]);
  });
});

describe('containerSeries', () => {
  it('averages a figure over the hosts per second and leaves out what was not measured', () => {
    const samples = [
      stats(0, 10, 100),
      stats(200, 20, 300, { host: 'lab-2' }),
      stats(1100, 5, 50),
      stats(1200, 99, 99, { unmeasured: 'lost' }),
      probe(0, 200, 1),
    ];
    expect(containerSeries(samples, (s) => s.cpuPercent)).toEqual([
      { t: t0, v: 15 },
      { t: t0 + 1000, v: 5 },
    ]);
    expect(containerSeries(samples, (s) => s.memoryBytes).map((p) => p.v)).toEqual([200, 50]);
  });

  it('roleSeries puts it all together, answer times sorted', () => {
    const series = roleSeries([probe(0, 200, 30), probe(10, 200, 10), probe(20, 500, 20), stats(0, 1, 2)]);
    expect(series.times).toEqual([10, 20, 30]);
    expect(series.curve).toHaveLength(3);
    expect(series.errorShare.errors).toBe(1);
    expect(series.cpu).toEqual([{ t: t0, v: 1 }]);
  });
});

describe('sufficiency', () => {
  it('says how many samples are missing and how long they take at the rate seen', () => {
    expect(sufficiency(12, 50, 20)).toEqual({
      gathered: 12,
      needed: 50,
      share: 0.24,
      enough: false,
      missing: 38,
      etaSeconds: 2,
    });
    expect(sufficiency(12, 50)).toEqual({ gathered: 12, needed: 50, share: 0.24, enough: false, missing: 38 });
  });

  it('is full, and asks nothing more, once enough were gathered (or none are needed)', () => {
    expect(sufficiency(312, 50, 20)).toEqual({ gathered: 312, needed: 50, share: 1, enough: true, missing: 0 });
    expect(sufficiency(0, 0)).toEqual({ gathered: 0, needed: 0, share: 1, enough: true, missing: 0 });
  });

  it('ignores nonsense: negative or fractional counts, a zero rate', () => {
    expect(sufficiency(-3, 10.7, 0)).toEqual({ gathered: 0, needed: 10, share: 0, enough: false, missing: 10 });
  });

  it('measures the recent rate over the last seconds only', () => {
    // 1 a second long ago, then 20 a second over the last 2 s.
    const times = [
      ...Array.from({ length: 10 }, (_, i) => i * 1000),
      ...Array.from({ length: 41 }, (_, i) => 20_000 + i * 50),
    ];
    expect(recentRate(times, 5000)).toBeCloseTo(20, 5);
    expect(recentRate([5])).toBeUndefined();
    expect(recentRate([5, 5])).toBeUndefined();
  });
});
