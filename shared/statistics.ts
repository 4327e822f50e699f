// The statistics a release is judged with. Each function follows R's own
// algorithm (stats 4.2: quantile type 7, wilcox.test, prop.test, pnorm, qnorm,
// uniroot), so a decision card shows the figures an analyst gets from R on the
// same samples; test/fixtures/statistics/reference.json holds R's answers.

/** Which way the alternative hypothesis points, in R's spelling: 'greater' means x is larger than y. */
export type Alternative = 'two.sided' | 'greater' | 'less';

const DBL_EPSILON = Number.EPSILON;
const M_SQRT_32 = 5.656854249492381;
const M_1_SQRT_2PI = 0.3989422804014327;

// Cody's rational approximations, as in R's pnorm_both (nmath/pnorm.c). R's constants
// carry more digits than a double holds; each is written as the double it parses to.
const PNORM_A = [
  2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356, 0.06568233791820745,
] as const;
const PNORM_B = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673] as const;
const PNORM_C = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726, 6848.190450536283,
  11602.65143764735, 9842.714838383978, 1.0765576773720192e-8,
] as const;
const PNORM_D = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097, 34900.95272114598,
  38912.00328609327, 19685.429676859992,
] as const;
const PNORM_P = [
  0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934, 2.9112874951168793e-5,
  0.023073441764940174,
] as const;
const PNORM_Q = [
  1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824, 7.297515550839662e-5,
] as const;

/** Both tails of the standard normal at z: [P(Z <= z), P(Z > z)]. The upper tail is computed directly, never as 1 - lower, so small p-values keep their digits. */
function normalTails(z: number): [number, number] {
  if (Number.isNaN(z)) return [NaN, NaN];
  if (z === Infinity) return [1, 0];
  if (z === -Infinity) return [0, 1];
  const y = Math.abs(z);
  // R's do_del: the density exp(-z²/2) split at a 1/16 grid point so the exponent keeps its precision;
  // `ratio` times it is the tail beyond |z|.
  const tails = (at: number, ratio: number): [number, number] => {
    const xsq = Math.trunc(at * 16) / 16;
    const del = (at - xsq) * (at + xsq);
    const far = Math.exp(-xsq * (xsq / 2)) * Math.exp(-(del / 2)) * ratio;
    return z > 0 ? [1 - far, far] : [far, 1 - far];
  };
  if (y <= 0.67448975) {
    let xnum = 0;
    let xden = 0;
    if (y > DBL_EPSILON * 0.5) {
      const xsq = z * z;
      xnum = PNORM_A[4] * xsq;
      xden = xsq;
      for (let i = 0; i < 3; i++) {
        xnum = (xnum + PNORM_A[i]!) * xsq;
        xden = (xden + PNORM_B[i]!) * xsq;
      }
    }
    const temp = (z * (xnum + PNORM_A[3])) / (xden + PNORM_B[3]);
    return [0.5 + temp, 0.5 - temp];
  }
  if (y <= M_SQRT_32) {
    let xnum = PNORM_C[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + PNORM_C[i]!) * y;
      xden = (xden + PNORM_D[i]!) * y;
    }
    return tails(y, (xnum + PNORM_C[7]) / (xden + PNORM_D[7]));
  }
  if (y < 37.5193) {
    const xsq = 1 / (z * z);
    let xnum = PNORM_P[5] * xsq;
    let xden = xsq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + PNORM_P[i]!) * xsq;
      xden = (xden + PNORM_Q[i]!) * xsq;
    }
    const temp = (xsq * (xnum + PNORM_P[4])) / (xden + PNORM_Q[4]);
    return tails(z, (M_1_SQRT_2PI - temp) / y);
  }
  return z > 0 ? [1, 0] : [0, 1];
}

/** Standard normal CDF P(Z <= z), R's pnorm (Cody 1969; relative error near 1e-16). */
export function pnorm(z: number): number {
  return normalTails(z)[0];
}

/** Standard normal upper tail P(Z > z), R's pnorm(z, lower.tail = FALSE), accurate far into the tail. */
export function pnormUpper(z: number): number {
  return normalTails(z)[1];
}

/** Standard normal quantile, R's qnorm (Wichura's AS241, about 1e-16); -Infinity at 0, Infinity at 1, NaN outside [0, 1]. */
export function qnorm(p: number): number {
  return normalQuantile(p, true);
}

// R computes qnorm(p, lower.tail = FALSE) from p itself, not from 1 - p; the
// Wilcoxon interval does so too, and matching it keeps the roots identical.
function normalQuantile(p: number, lowerTail: boolean): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return lowerTail ? -Infinity : Infinity;
  if (p === 1) return lowerTail ? Infinity : -Infinity;
  const lower = lowerTail ? p : 0.5 - p + 0.5;
  const q = lower - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301227 + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) * r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((r * 5226.495278852854 + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) * r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  const tail = q > 0 ? (lowerTail ? 0.5 - p + 0.5 : p) : lower;
  let r = Math.sqrt(-Math.log(tail));
  let value: number;
  if (r <= 5) {
    r += -1.6;
    value =
      (((((((r * 0.0007745450142783414 + 0.022723844989269184) * r + 0.2417807251774506) * r + 1.2704582524523684) * r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((r * 1.0507500716444169e-9 + 0.0005475938084995345) * r + 0.015198666563616457) * r + 0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r += -5;
    value =
      (((((((r * 2.0103343992922881e-7 + 2.7115555687434876e-5) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((r * 2.0442631033899397e-15 + 1.421511758316446e-7) * r + 1.8463183175100548e-5) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -value : value;
}

function requireFinite(values: readonly number[], caller: string, name: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(
        `${caller}: ${name}[${i}] is ${String(v)}; every value must be a finite number (drop failed or missing samples before judging)`,
      );
    }
  }
}

function requireConfLevel(confLevel: number, caller: string): void {
  if (!(Number.isFinite(confLevel) && confLevel > 0 && confLevel < 1)) {
    throw new RangeError(
      `${caller}: confLevel is ${String(confLevel)}; it must be a number strictly between 0 and 1, such as 0.95`,
    );
  }
}

function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

// R's type 7 on an already sorted sample: interpolate between the order
// statistics around 1 + (n - 1) p, and only where they differ (as R does).
function sortedQuantile(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const index = 1 + (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const low = sorted[lo - 1]!;
  const high = sorted[hi - 1]!;
  if (index > lo && high !== low) {
    const h = index - lo;
    return (1 - h) * low + h * high;
  }
  return low;
}

/** Sample quantile, R's default (type 7), p in [0, 1]; NaN for an empty sample. Throws a RangeError for p outside [0, 1] or a value that is not finite. */
export function quantile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1))
    throw new RangeError(`quantile: p is ${String(p)}; it must be between 0 and 1 (0.95 for p95)`);
  requireFinite(values, 'quantile', 'values');
  return sortedQuantile(sortedCopy(values), p);
}

/** p50, p95 and p99 (type 7, as quantile), the maximum and the sample size, sorting once; NaN figures for an empty sample. */
export function percentiles(values: readonly number[]): {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
} {
  requireFinite(values, 'percentiles', 'values');
  const sorted = sortedCopy(values);
  const n = sorted.length;
  return {
    p50: sortedQuantile(sorted, 0.5),
    p95: sortedQuantile(sorted, 0.95),
    p99: sortedQuantile(sorted, 0.99),
    max: n === 0 ? NaN : sorted[n - 1]!,
    n,
  };
}

/** R: wilcox.test(x, y, alternative, conf.int = TRUE, conf.level, exact = FALSE, correct = TRUE) — the normal approximation with tie and continuity corrections. */
export interface RankSumTest {
  /** R's W statistic: the rank sum of x minus n.x(n.x + 1)/2. */
  readonly w: number;
  readonly pValue: number;
  /** R's "difference in location" (x - y) for exact = FALSE: the root of the uncorrected standardized statistic (uniroot), not simply the median of pairwise differences. */
  readonly estimate: number;
  /** The shift interval for x - y; one-sided alternatives have an infinite end. NaN ends when allTied. */
  readonly confInt: readonly [number, number];
  readonly confLevel: number;
  readonly nX: number;
  readonly nY: number;
  /**
   * Every observation of both samples has the same value, so there is no
   * spread to rank and R stops ("cannot compute confidence interval when all
   * observations are tied"). Here: w = nX nY / 2, pValue 1, estimate 0, confInt [NaN, NaN].
   */
  readonly allTied: boolean;
}

/** The Wilcoxon statistic of x - d against y, standardized: ranking is a merge of the two presorted samples, so each evaluation is O(n). */
class ShiftedRankSum {
  private readonly nx: number;
  private readonly ny: number;

  constructor(
    private readonly xs: Float64Array,
    private readonly ys: Float64Array,
  ) {
    this.nx = xs.length;
    this.ny = ys.length;
  }

  /** R's W statistic and the tie-corrected standard deviation of x - d against y. */
  statistic(d: number): { w: number; sigma: number } {
    const { xs, ys, nx, ny } = this;
    let i = 0;
    let j = 0;
    let position = 0;
    let rankSumX = 0;
    let tieSum = 0;
    // Subtracting d keeps xs sorted (rounding is monotone), and equal values
    // meet in one run: each run of t ties shares the average rank.
    while (i < nx || j < ny) {
      const xv = i < nx ? xs[i]! - d : Infinity;
      const yv = j < ny ? ys[j]! : Infinity;
      const v = xv < yv ? xv : yv;
      let inX = 0;
      while (i < nx && xs[i]! - d === v) {
        inX++;
        i++;
      }
      let inY = 0;
      while (j < ny && ys[j]! === v) {
        inY++;
        j++;
      }
      const t = inX + inY;
      rankSumX += inX * (position + (t + 1) / 2);
      tieSum += t * t * t - t;
      position += t;
    }
    const w = rankSumX - (nx * (nx + 1)) / 2;
    const sigma = Math.sqrt(((nx * ny) / 12) * (nx + ny + 1 - tieSum / ((nx + ny) * (nx + ny - 1))));
    return { w, sigma };
  }

  /** R's W(d) inside wilcox.test: (W - nx ny / 2 - correction) / sigma, the continuity correction chosen by the alternative. */
  standardized(d: number, alternative: Alternative, correct: boolean): number {
    const { w, sigma } = this.statistic(d);
    const dz = w - (this.nx * this.ny) / 2;
    const correction = correct
      ? alternative === 'two.sided'
        ? Math.sign(dz) * 0.5
        : alternative === 'greater'
          ? 0.5
          : -0.5
      : 0;
    return (dz - correction) / sigma;
  }
}

/** R's uniroot tolerance for the Wilcoxon interval and estimate (tol.root = 1e-4), on the location scale. */
export const RANK_SUM_ROOT_TOLERANCE = 1e-4;

/**
 * Brent's zero finder exactly as R's R_zeroin2 (stats/src/zeroin.c), given f at
 * both ends, so that roots land where R's do; returns the last approximation.
 */
export function zeroin(
  f: (x: number) => number,
  ax: number,
  bx: number,
  fax: number,
  fbx: number,
  tol: number,
  maxIterations = 1000,
): number {
  let a = ax;
  let b = bx;
  let fa = fax;
  let fb = fbx;
  let c = a;
  let fc = fa;
  if (fa === 0) return a;
  if (fb === 0) return b;
  // R's fcn2 turns non-finite values into ±DBL_MAX so the search can go on.
  const evaluate = (x: number) => {
    const v = f(x);
    if (Number.isFinite(v)) return v;
    return v === -Infinity ? -Number.MAX_VALUE : Number.MAX_VALUE;
  };
  for (let remaining = maxIterations + 1; remaining > 0; remaining--) {
    const previousStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolerance = 2 * DBL_EPSILON * Math.abs(b) + tol / 2;
    let step = (c - b) / 2;
    if (Math.abs(step) <= tolerance || fb === 0) return b;
    if (Math.abs(previousStep) >= tolerance && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const cb = c - b;
      if (a === c) {
        // Two distinct points: the secant.
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        // Three: inverse quadratic interpolation.
        const qa = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1));
        q = (qa - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolerance * q) / 2 && p < Math.abs((previousStep * q) / 2)) step = p / q;
    }
    if (Math.abs(step) < tolerance) step = step > 0 ? tolerance : -tolerance;
    a = b;
    fa = fb;
    b += step;
    fb = evaluate(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return b;
}

/**
 * The Wilcoxon rank sum (Mann-Whitney) test of x against y with the shift
 * estimate and its confidence interval, as R's wilcox.test(x, y,
 * conf.int = TRUE, exact = FALSE): ties get the average rank.
 * Throws a RangeError when a sample has fewer than 2 values, holds a value
 * that is not finite, or confLevel is not in (0, 1). When every value of both
 * samples is the same, returns allTied (see RankSumTest). When each sample is
 * constant but they differ, where R stops too, every pairwise difference is
 * the same number: estimate and interval are that number.
 */
export function rankSumTest(
  x: readonly number[],
  y: readonly number[],
  options: { alternative?: Alternative; confLevel?: number; correct?: boolean } = {},
): RankSumTest {
  const alternative = options.alternative ?? 'two.sided';
  const confLevel = options.confLevel ?? 0.95;
  const correct = options.correct ?? true;
  for (const [name, sample] of [
    ['x', x],
    ['y', y],
  ] as const) {
    if (sample.length < 2)
      throw new RangeError(
        `rankSumTest: ${name} has ${sample.length} value${sample.length === 1 ? '' : 's'}; at least 2 are needed on each side (gather more samples before judging)`,
      );
    requireFinite(sample, 'rankSumTest', name);
  }
  requireConfLevel(confLevel, 'rankSumTest');
  const xs = sortedCopy(x);
  const ys = sortedCopy(y);
  const nX = xs.length;
  const nY = ys.length;
  const ranks = new ShiftedRankSum(xs, ys);
  const { w, sigma } = ranks.statistic(0);
  if (sigma === 0) return { w, pValue: 1, estimate: 0, confInt: [NaN, NaN], confLevel, nX, nY, allTied: true };

  const z = ranks.standardized(0, alternative, correct);
  const [lowerTail, upperTail] = normalTails(z);
  const pValue =
    alternative === 'less' ? lowerTail : alternative === 'greater' ? upperTail : 2 * Math.min(lowerTail, upperTail);

  const muMin = xs[0]! - ys[nY - 1]!;
  const muMax = xs[nX - 1]! - ys[0]!;
  if (muMin === muMax) {
    const confInt: [number, number] =
      alternative === 'greater' ? [muMin, Infinity] : alternative === 'less' ? [-Infinity, muMin] : [muMin, muMin];
    return { w, pValue, estimate: muMin, confInt, confLevel, nX, nY, allTied: false };
  }

  const alpha = 1 - confLevel;
  const wAt = (d: number) => ranks.standardized(d, alternative, correct);
  const wMin = wAt(muMin);
  const wMax = wAt(muMax);
  // R's root(): the statistic falls as the shift grows, so a quantile beyond
  // its range at either end is answered by that end without a search.
  const root = (zq: number) => {
    const fLower = wMin - zq;
    if (fLower <= 0) return muMin;
    const fUpper = wMax - zq;
    if (fUpper >= 0) return muMax;
    return zeroin((d) => wAt(d) - zq, muMin, muMax, fLower, fUpper, RANK_SUM_ROOT_TOLERANCE);
  };
  const confInt: [number, number] =
    alternative === 'two.sided'
      ? [root(normalQuantile(alpha / 2, false)), root(normalQuantile(alpha / 2, true))]
      : alternative === 'greater'
        ? [root(normalQuantile(alpha, false)), Infinity]
        : [-Infinity, root(normalQuantile(alpha, true))];

  // R sets correct <- FALSE before the estimate: its root is that of the uncorrected statistic.
  const centred = (d: number) => ranks.standardized(d, alternative, false);
  const fMin = centred(muMin);
  const fMax = centred(muMax);
  if (Math.sign(fMin) * Math.sign(fMax) > 0)
    throw new Error(
      `rankSumTest: the rank statistic does not change sign between ${muMin} and ${muMax}; this is a bug, please report it with the samples`,
    );
  const estimate = zeroin(centred, muMin, muMax, fMin, fMax, RANK_SUM_ROOT_TOLERANCE);
  return { w, pValue, estimate, confInt, confLevel, nX, nY, allTied: false };
}

// Doubles mapped to integers in the same order, so a binary search over the
// keys between two doubles visits every double between them.
const bitsView = new BigUint64Array(1);
const floatView = new Float64Array(bitsView.buffer);
const SIGN_BIT = 1n << 63n;

function orderKey(v: number): bigint {
  floatView[0] = v;
  const bits = bitsView[0]!;
  return bits < SIGN_BIT ? bits : -(bits - SIGN_BIT) - 1n;
}

function fromOrderKey(key: bigint): number {
  bitsView[0] = key >= 0n ? key : -key - 1n + SIGN_BIT;
  return floatView[0]!;
}

/** The k-th smallest (1-based) of all x_i - y_j, exactly, without forming the n.x n.y differences. */
function kthPairwiseDifference(xs: Float64Array, ys: Float64Array, k: number): number {
  const nx = xs.length;
  const ny = ys.length;
  // How many differences are <= t: x_i - y_j grows with i and falls with j, so one pass with two pointers.
  const countAtMost = (t: number) => {
    let count = 0;
    let j = 0;
    for (let i = 0; i < nx; i++) {
      while (j < ny && xs[i]! - ys[j]! > t) j++;
      count += ny - j;
    }
    return count;
  };
  let lo = orderKey(xs[0]! - ys[ny - 1]!);
  let hi = orderKey(xs[nx - 1]! - ys[0]!);
  while (lo < hi) {
    const mid = lo + (hi - lo) / 2n;
    if (countAtMost(fromOrderKey(mid)) >= k) hi = mid;
    else lo = mid + 1n;
  }
  // -0 sorts just below +0 here, but a difference of equal values is +0.
  const found = fromOrderKey(lo);
  return found === 0 ? 0 : found;
}

/** The Hodges-Lehmann estimate: the median of all pairwise differences x_i - y_j (exact, for display and as a cross-check); NaN if a sample is empty. */
export function hodgesLehmann(x: readonly number[], y: readonly number[]): number {
  requireFinite(x, 'hodgesLehmann', 'x');
  requireFinite(y, 'hodgesLehmann', 'y');
  if (x.length === 0 || y.length === 0) return NaN;
  const xs = sortedCopy(x);
  const ys = sortedCopy(y);
  const pairs = xs.length * ys.length;
  const half = Math.floor(pairs / 2);
  if (pairs % 2 === 1) return kthPairwiseDifference(xs, ys, half + 1);
  return (kthPairwiseDifference(xs, ys, half) + kthPairwiseDifference(xs, ys, half + 1)) / 2;
}

/** R: prop.test(c(x1, x2), c(n1, n2), alternative, conf.level, correct = TRUE) */
export interface TwoProportionTest {
  /** X-squared, with Yates' correction min(0.5, |p1 - p2| / (1/n1 + 1/n2)) when correct. */
  readonly statistic: number;
  readonly pValue: number;
  readonly estimates: readonly [number, number];
  /** For p1 - p2, clipped to [-1, 1]; one-sided alternatives have 1 or -1 as the open end. */
  readonly confInt: readonly [number, number];
  readonly confLevel: number;
}

/**
 * The two-sample test for equal proportions, as R's prop.test with its
 * Wald interval for p1 - p2 (with its own continuity correction).
 * Throws a RangeError naming the argument when a count is not a whole number,
 * trials are not positive or successes exceed trials. Where both samples are
 * all failures (or all successes) R returns NaN (a zero expected count);
 * here those empty cells add nothing: statistic 0, pValue 1 (0.5 one-sided).
 */
export function twoProportionTest(
  successes: readonly [number, number],
  trials: readonly [number, number],
  options: { alternative?: Alternative; confLevel?: number; correct?: boolean } = {},
): TwoProportionTest {
  const alternative = options.alternative ?? 'two.sided';
  const confLevel = options.confLevel ?? 0.95;
  const correct = options.correct ?? true;
  for (const k of [0, 1] as const) {
    const n = trials[k];
    const x = successes[k];
    if (!Number.isInteger(n) || n <= 0)
      throw new RangeError(
        `twoProportionTest: trials[${k}] is ${String(n)}; it must be a whole number of at least 1 (no requests, no error rate to compare)`,
      );
    if (!Number.isInteger(x) || x < 0)
      throw new RangeError(
        `twoProportionTest: successes[${k}] is ${String(x)}; it must be a whole number of at least 0`,
      );
    if (x > n)
      throw new RangeError(
        `twoProportionTest: successes[${k}] is ${x}, more than trials[${k}] (${n}); count each request once`,
      );
  }
  requireConfLevel(confLevel, 'twoProportionTest');
  const [x1, x2] = successes;
  const [n1, n2] = trials;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const delta = p1 - p2;
  const inverseTrials = 1 / n1 + 1 / n2;
  // R caps Yates' correction so it never moves the difference past zero.
  const yates = Math.min(correct ? 0.5 : 0, Math.abs(delta) / inverseTrials);
  const zq = alternative === 'two.sided' ? qnorm((1 + confLevel) / 2) : qnorm(confLevel);
  const width = zq * Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2) + yates * inverseTrials;
  const confInt: [number, number] =
    alternative === 'two.sided'
      ? [Math.max(delta - width, -1), Math.min(delta + width, 1)]
      : alternative === 'greater'
        ? [Math.max(delta - width, -1), 1]
        : [-1, Math.min(delta + width, 1)];

  const pooled = (x1 + x2) / (n1 + n2);
  // The 2x2 table in R's (column-major) order: successes, then failures.
  const observed = [x1, x2, n1 - x1, n2 - x2];
  const expected = [n1 * pooled, n2 * pooled, n1 * (1 - pooled), n2 * (1 - pooled)];
  let statistic = 0;
  for (let cell = 0; cell < 4; cell++) {
    const e = expected[cell]!;
    if (e === 0) continue; // a cell nothing was expected in, and nothing observed
    statistic += (Math.abs(observed[cell]! - e) - yates) ** 2 / e;
  }
  // One degree of freedom: P(X² > s) = 2 P(Z > sqrt(s)).
  const root = Math.sqrt(statistic);
  const pValue =
    alternative === 'two.sided'
      ? 2 * pnormUpper(root)
      : alternative === 'less'
        ? pnorm(Math.sign(delta) * root)
        : pnormUpper(Math.sign(delta) * root);
  return { statistic, pValue, estimates: [p1, p2], confInt, confLevel };
}
