import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  hodgesLehmann,
  percentiles,
  pnorm,
  pnormUpper,
  qnorm,
  quantile,
  rankSumTest,
  RANK_SUM_ROOT_TOLERANCE,
  twoProportionTest,
  zeroin,
  type Alternative,
} from '../../../shared/statistics';

// R's answers, written by test/fixtures/statistics/make-reference.R; NaN and infinities are strings there.
type Encoded = number | 'NaN' | 'NA' | 'Inf' | '-Inf';
interface WilcoxResult {
  readonly w: number;
  readonly pValue: Encoded;
  readonly estimate?: number;
  readonly confInt?: readonly [Encoded, Encoded];
  readonly confLevel?: number;
  readonly error?: string;
  readonly warnings: readonly string[];
}
interface WilcoxCase {
  readonly name: string;
  readonly confLevel: number;
  readonly correct: boolean;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly results: Readonly<Record<Alternative, WilcoxResult>>;
}
interface PropResult {
  readonly statistic: Encoded;
  readonly pValue: Encoded;
  readonly estimates: readonly [number, number];
  readonly confInt: readonly [number, number];
  readonly warnings: readonly string[];
}
interface PropCase {
  readonly name: string;
  readonly successes: readonly [number, number];
  readonly trials: readonly [number, number];
  readonly confLevel: number;
  readonly correct: boolean;
  readonly results: Readonly<Record<Alternative, PropResult>>;
}
interface QuantileCase {
  readonly name: string;
  readonly values: readonly number[];
  readonly probs: readonly number[];
  readonly quantiles: readonly number[];
}
interface Reference {
  readonly wilcox: readonly WilcoxCase[];
  readonly prop: readonly PropCase[];
  readonly quantile: readonly QuantileCase[];
}

const reference = JSON.parse(
  readFileSync(new URL('../../fixtures/statistics/reference.json', import.meta.url), 'utf8'),
) as Reference;
const alternatives: readonly Alternative[] = ['two.sided', 'greater', 'less'];

function decode(v: Encoded): number {
  if (v === 'NaN' || v === 'NA') return NaN;
  if (v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return v;
}

/** Relative agreement for closed-form figures (p-values, statistics): both sides compute the same formulas in doubles. */
function expectClose(actual: number, expected: number, relative = 1e-12, absolute = 1e-300): void {
  if (!Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(absolute, relative * Math.abs(expected)));
}

// Interval ends and the estimate are uniroot roots with tol = 1e-4 on the
// location scale: two searches within tol of the same root can differ by 2 tol.
function expectRoot(actual: number, expected: number): void {
  if (!Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(2 * RANK_SUM_ROOT_TOLERANCE);
}

describe('rankSumTest against R wilcox.test(exact = FALSE, conf.int = TRUE)', () => {
  const computed = reference.wilcox.filter((c) => alternatives.every((a) => c.results[a].error === undefined));
  for (const c of computed) {
    for (const alternative of alternatives) {
      it(`${c.name}, ${alternative}`, () => {
        const r = c.results[alternative];
        const ours = rankSumTest(c.x, c.y, { alternative, confLevel: c.confLevel, correct: c.correct });
        expect(ours.w).toBe(r.w);
        expectClose(ours.pValue, decode(r.pValue));
        expectRoot(ours.estimate, r.estimate!);
        expectRoot(ours.confInt[0], decode(r.confInt![0]));
        expectRoot(ours.confInt[1], decode(r.confInt![1]));
        expect(ours.confLevel).toBe(r.confLevel);
        expect([ours.nX, ours.nY, ours.allTied]).toEqual([c.x.length, c.y.length, false]);
      });
    }
  }

  it('covers the fixture: every latency case, each alternative', () => {
    expect(computed.length).toBeGreaterThanOrEqual(25);
  });

  it('lands on the same roots as R, not merely near them', () => {
    // The same Brent steps on the same step function: the worst gap over the whole fixture stays far below tol.
    let worst = 0;
    for (const c of computed) {
      for (const alternative of alternatives) {
        const r = c.results[alternative];
        const ours = rankSumTest(c.x, c.y, { alternative, confLevel: c.confLevel, correct: c.correct });
        const pairs: [number, number][] = [
          [ours.estimate, r.estimate!],
          [ours.confInt[0], decode(r.confInt![0])],
          [ours.confInt[1], decode(r.confInt![1])],
        ];
        for (const [a, b] of pairs) if (Number.isFinite(b)) worst = Math.max(worst, Math.abs(a - b));
      }
    }
    expect(worst).toBeLessThan(RANK_SUM_ROOT_TOLERANCE / 100);
  });

  it('estimate is the uniroot root, close to but not the Hodges-Lehmann median', () => {
    const c = reference.wilcox.find((k) => k.name === 'lognormal-n200-plus-10pct')!;
    const ours = rankSumTest(c.x, c.y);
    const hl = hodgesLehmann(c.x, c.y);
    expect(ours.estimate).not.toBe(hl);
    expect(Math.abs(ours.estimate - hl)).toBeLessThan(0.5);
  });

  it('finds the +500 ms shift and the +10% slowdown in the latency cases', () => {
    for (const c of reference.wilcox.filter((k) => k.name.startsWith('lognormal-n') && k.name.includes('plus-500ms'))) {
      const ours = rankSumTest(c.x, c.y, { alternative: 'greater' });
      expect(ours.pValue).toBeLessThan(1e-10);
      expect(ours.confInt[0]).toBeGreaterThan(450);
    }
    const slower = reference.wilcox.find((k) => k.name === 'lognormal-n500-plus-10pct')!;
    expect(rankSumTest(slower.x, slower.y, { alternative: 'greater' }).pValue).toBeLessThan(0.001);
  });
});

describe('rankSumTest edge cases', () => {
  it('all values equal (R stops): pValue 1, estimate 0, NaN interval, allTied', () => {
    const c = reference.wilcox.find((k) => k.name === 'all-values-equal')!;
    expect(c.results['two.sided'].error).toBeDefined();
    expect(c.results['two.sided'].warnings).toContain(
      'cannot compute confidence interval when all observations are tied',
    );
    for (const alternative of alternatives) {
      const ours = rankSumTest(c.x, c.y, { alternative });
      expect(ours).toMatchObject({
        w: c.results[alternative].w,
        pValue: 1,
        estimate: 0,
        allTied: true,
        nX: 10,
        nY: 10,
      });
      expect(ours.confInt.every(Number.isNaN)).toBe(true);
    }
  });

  it("each sample constant but different (R stops): R's W and p-value, the one possible shift as estimate and interval", () => {
    const c = reference.wilcox.find((k) => k.name === 'each-sample-constant')!;
    const ends: Record<Alternative, [number, number]> = {
      'two.sided': [20, 20],
      greater: [20, Infinity],
      less: [-Infinity, 20],
    };
    for (const alternative of alternatives) {
      expect(c.results[alternative].error).toBeDefined();
      const ours = rankSumTest(c.x, c.y, { alternative });
      expect(ours.w).toBe(c.results[alternative].w);
      expectClose(ours.pValue, decode(c.results[alternative].pValue));
      expect(ours.estimate).toBe(20);
      expect(ours.confInt).toEqual(ends[alternative]);
      expect(ours.allTied).toBe(false);
    }
  });

  it('identical samples: no shift, p-value 1', () => {
    const c = reference.wilcox.find((k) => k.name === 'identical-samples-n50')!;
    const ours = rankSumTest(c.x, c.y);
    expect(ours).toMatchObject({ w: 1250, pValue: 1, estimate: 0 });
  });

  it('fewer than 2 values on a side: a RangeError naming the sample', () => {
    expect(() => rankSumTest([1], [1, 2, 3])).toThrow(RangeError);
    expect(() => rankSumTest([1], [1, 2, 3])).toThrow(/x has 1 value;/);
    expect(() => rankSumTest([1, 2], [])).toThrow(/y has 0 values;/);
  });

  it('a value that is not a number: a RangeError naming it', () => {
    expect(() => rankSumTest([1, NaN, 3], [1, 2, 3])).toThrow(/x\[1\] is NaN/);
    expect(() => rankSumTest([1, 2, 3], [1, 2, Infinity])).toThrow(/y\[2\] is Infinity/);
  });

  it('a confidence level outside (0, 1): a RangeError', () => {
    expect(() => rankSumTest([1, 2], [3, 4], { confLevel: 95 })).toThrow(/confLevel is 95/);
    expect(() => rankSumTest([1, 2], [3, 4], { confLevel: 0 })).toThrow(RangeError);
  });

  it('does not change its inputs', () => {
    const x = [3, 1, 2];
    const y = [6, 4, 5];
    rankSumTest(x, y);
    hodgesLehmann(x, y);
    percentiles(x);
    expect([x, y]).toEqual([
      [3, 1, 2],
      [6, 4, 5],
    ]);
  });

  it('2,000 against 2,000 samples in well under 100 ms', () => {
    let seed = 7;
    const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
    const latency = () =>
      Math.round(180 * Math.exp(0.35 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())));
    const x = Array.from({ length: 2000 }, () => latency() * 1.1);
    const y = Array.from({ length: 2000 }, latency);
    rankSumTest(x, y);
    const started = performance.now();
    const result = rankSumTest(x, y, { alternative: 'greater' });
    const elapsed = performance.now() - started;
    expect(result.pValue).toBeLessThan(1e-6);
    expect(elapsed).toBeLessThan(100);
  });
});

describe('hodgesLehmann', () => {
  const bruteForce = (x: readonly number[], y: readonly number[]) => {
    const diffs = x.flatMap((a) => y.map((b) => a - b)).sort((a, b) => a - b);
    const half = Math.floor(diffs.length / 2);
    return diffs.length % 2 === 1 ? diffs[half]! : (diffs[half - 1]! + diffs[half]!) / 2;
  };

  it('equals the median of every pairwise difference, on every fixture sample', () => {
    for (const c of reference.wilcox) expect(hodgesLehmann(c.x, c.y)).toBe(bruteForce(c.x, c.y));
  });

  it('on odd and even pair counts, ties, negatives and a single pair', () => {
    const samples: [number[], number[]][] = [
      [[1], [0.5]],
      [[1, 2, 3], [1]],
      [
        [1, 2],
        [1, 2],
      ],
      [
        [-3.5, 0, 0, 7.25],
        [0, 0.1, -2],
      ],
      [
        [1e9, 1e9 + 0.5],
        [-1e-9, 3],
      ],
    ];
    for (const [x, y] of samples) expect(hodgesLehmann(x, y)).toBe(bruteForce(x, y));
  });

  it('NaN for an empty sample, a RangeError for a value that is not finite', () => {
    expect(hodgesLehmann([], [1])).toBeNaN();
    expect(() => hodgesLehmann([1, NaN], [1])).toThrow(/x\[1\] is NaN/);
  });
});

describe('twoProportionTest against R prop.test', () => {
  for (const c of reference.prop) {
    for (const alternative of alternatives) {
      it(`${c.name}, ${alternative}`, () => {
        const r = c.results[alternative];
        const ours = twoProportionTest(c.successes, c.trials, {
          alternative,
          confLevel: c.confLevel,
          correct: c.correct,
        });
        expect(ours.estimates).toEqual(r.estimates);
        expectClose(ours.confInt[0], r.confInt[0], 1e-13, 1e-15);
        expectClose(ours.confInt[1], r.confInt[1], 1e-13, 1e-15);
        expect(ours.confLevel).toBe(c.confLevel);
        const pooled = (c.successes[0] + c.successes[1]) / (c.trials[0] + c.trials[1]);
        if (pooled === 0 || pooled === 1) {
          // R divides 0 by a zero expected count and answers NaN; we report no evidence of a difference.
          expect([decode(r.statistic), decode(r.pValue)]).toEqual([NaN, NaN]);
          expect(ours.statistic).toBe(0);
          expect(ours.pValue).toBe(alternative === 'two.sided' ? 1 : 0.5);
        } else {
          // The capped Yates case leaves a rounding residue near 1e-30 in both.
          expectClose(ours.statistic, decode(r.statistic), 1e-12, 1e-25);
          expectClose(ours.pValue, decode(r.pValue), 1e-12, 1e-15);
        }
      });
    }
  }

  it('tells 15/200 from 2/200, and not 7/100 from 5/100 (the 5-10% band is left to the thresholds)', () => {
    expect(twoProportionTest([15, 2], [200, 200], { alternative: 'greater' }).pValue).toBeLessThan(0.01);
    expect(twoProportionTest([7, 5], [100, 100], { alternative: 'greater' }).pValue).toBeGreaterThan(0.3);
  });

  it('trials of 0: a RangeError naming trials', () => {
    expect(() => twoProportionTest([0, 1], [0, 10])).toThrow(RangeError);
    expect(() => twoProportionTest([0, 1], [0, 10])).toThrow(/trials\[0\] is 0/);
  });

  it('successes over trials: a RangeError naming successes', () => {
    expect(() => twoProportionTest([3, 11], [10, 10])).toThrow(RangeError);
    expect(() => twoProportionTest([3, 11], [10, 10])).toThrow(/successes\[1\] is 11, more than trials\[1\] \(10\)/);
  });

  it('negative, fractional or NaN counts: a RangeError naming the argument', () => {
    expect(() => twoProportionTest([-1, 0], [10, 10])).toThrow(/successes\[0\] is -1/);
    expect(() => twoProportionTest([1.5, 0], [10, 10])).toThrow(/successes\[0\] is 1.5/);
    expect(() => twoProportionTest([NaN, 0], [10, 10])).toThrow(/successes\[0\] is NaN/);
    expect(() => twoProportionTest([1, 0], [10, NaN])).toThrow(/trials\[1\] is NaN/);
  });
});

describe('quantile and percentiles against R quantile(type = 7)', () => {
  for (const c of reference.quantile) {
    it(c.name, () => {
      c.probs.forEach((p, i) => expectClose(quantile(c.values, p), c.quantiles[i]!, 1e-15, 0));
      const figures = percentiles(c.values);
      expectClose(figures.p50, c.quantiles[0]!, 1e-15, 0);
      expectClose(figures.p95, c.quantiles[1]!, 1e-15, 0);
      expectClose(figures.p99, c.quantiles[2]!, 1e-15, 0);
      expect(figures.max).toBe(Math.max(...c.values));
      expect(figures.n).toBe(c.values.length);
    });
  }

  it('the ends of the range are the minimum and maximum', () => {
    expect([quantile([5, 1, 3], 0), quantile([5, 1, 3], 1)]).toEqual([1, 5]);
  });

  it('NaN for an empty sample; a RangeError for p outside [0, 1] or a NaN value', () => {
    expect(quantile([], 0.5)).toBeNaN();
    expect(percentiles([])).toEqual({ p50: NaN, p95: NaN, p99: NaN, max: NaN, n: 0 });
    expect(() => quantile([1, 2], 1.5)).toThrow(/p is 1.5/);
    expect(() => quantile([1, 2], NaN)).toThrow(RangeError);
    expect(() => quantile([1, NaN], 0.5)).toThrow(/values\[1\] is NaN/);
    expect(() => percentiles([NaN])).toThrow(RangeError);
  });
});

describe('pnorm and qnorm', () => {
  // Values from R 4.2: sprintf("%.17g", pnorm(z)) and qnorm(p).
  const pnormR: [number, number][] = [
    [0, 0.5],
    [-1.959963984540054, 0.025000000000000012],
    [1, 0.84134474606854293],
    [-3, 0.0013498980316300946],
    [-8, 6.2209605742717849e-16],
    [-20, 2.7536241186062337e-89],
    [-40, 0],
  ];
  it('pnorm matches R', () => {
    for (const [z, p] of pnormR) expectClose(pnorm(z), p, 1e-14, 0);
    expect([pnorm(-Infinity), pnorm(Infinity)]).toEqual([0, 1]);
    expect(pnorm(NaN)).toBeNaN();
  });

  it('the upper tail is computed, not 1 - lower', () => {
    expectClose(pnormUpper(8), 6.2209605742717849e-16, 1e-14, 0);
    expectClose(pnormUpper(-1), pnorm(1), 1e-16, 0);
  });

  const qnormR: [number, number][] = [
    [0.5, 0],
    [0.975, 1.9599639845400536],
    [0.025, -1.9599639845400538],
    [0.95, 1.6448536269514715],
    [0.999, 3.0902323061678132],
    [1e-10, -6.3613409024040557],
    [1e-300, -37.047096299361201],
  ];
  it('qnorm matches R, and inverts pnorm', () => {
    for (const [p, z] of qnormR) expectClose(qnorm(p), z, 1e-14, 1e-300);
    for (const p of [1e-12, 0.001, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999]) expectClose(pnorm(qnorm(p)), p, 1e-12, 0);
    expect([qnorm(0), qnorm(1)]).toEqual([-Infinity, Infinity]);
    expect([qnorm(-0.1), qnorm(1.1), qnorm(NaN)].every(Number.isNaN)).toBe(true);
  });
});

describe('zeroin (R_zeroin2)', () => {
  it('finds a root within the tolerance, and an endpoint that is already a root', () => {
    const f = (x: number) => x * x * x - 2;
    const root = zeroin(f, 0, 2, f(0), f(2), 1e-10);
    expect(Math.abs(root - Math.cbrt(2))).toBeLessThan(1e-9);
    expect(zeroin(f, Math.cbrt(2), 3, 0, f(3), 1e-4)).toBe(Math.cbrt(2));
  });
});
