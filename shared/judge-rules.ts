import { percentiles, qnorm, rankSumTest, twoProportionTest } from './statistics';
import type { Comparison, DecisionCard, HealthSample, HttpSample, Sample, Thresholds, VerifySpec } from './verify';

/**
 * The rules VERIFY judges a release by: each looks at the samples and gives a
 * decision card (or none where it does not apply). `judge` adds them up.
 */

export interface JudgeInput {
  /** Every sample of the candidate taken in VERIFY. */
  readonly candidate: readonly Sample[];
  /** The baseline's samples: beside the candidate at the same time (concurrent), or from PREPARE (before-after). */
  readonly baseline: readonly Sample[];
  readonly comparison: Comparison;
  readonly thresholds: Thresholds;
  readonly verify: Pick<VerifySpec, 'minSamples'>;
  /** VERIFY's time is up: a gray zone becomes a question for a person instead of a wait. */
  readonly final: boolean;
  readonly now: number;
}

/** An answer time as the cards say it: `4.3 ms`, `505 ms`, `1.20 s`. */
export function formatMs(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

/** Every rule's card for these samples, in the order the cards are shown. */
export function decisionCards(input: JudgeInput): DecisionCard[] {
  return [
    health(input),
    errorRate(input),
    latencyShift(input),
    p95(input),
    slowest(input),
    restarts(input),
    ...resources(input),
  ].filter((c): c is DecisionCard => c !== undefined);
}

const measured = <T extends { unmeasured?: string }>(samples: readonly T[]) =>
  samples.filter((s) => s.unmeasured === undefined);
const http = (samples: readonly Sample[]) => samples.filter((s): s is HttpSample => s.kind === 'http');
const isError = (s: HttpSample) => s.status === 0 || s.status >= 500;
const pct = (share: number) => `${(share * 100).toFixed(1).replace(/\.0$/, '')}%`;
const ms = formatMs;

/** The longest trailing run, on any one host, of samples that could not be measured: a lost link, if long enough. */
function unmeasuredStreak(samples: readonly { host: string; unmeasured?: string }[]): { count: number; why?: string } {
  let worst: { count: number; why?: string } = { count: 0 };
  for (const host of new Set(samples.map((s) => s.host))) {
    const mine = samples.filter((s) => s.host === host);
    let count = 0;
    for (let i = mine.length - 1; i >= 0 && mine[i]!.unmeasured !== undefined; i--) count++;
    if (count > worst.count) worst = { count, why: mine[mine.length - 1]!.unmeasured! };
  }
  return worst;
}

function errorCard(
  metric: DecisionCard['metric'],
  why: string,
  count: number,
  input: JudgeInput,
  threshold: string,
): DecisionCard {
  return {
    metric,
    verdict: 'error',
    action: 'ask',
    reason: `Could not measure ${metric}: ${count} probes in a row failed to reach the release (${why}). That is no reason to roll back by itself.`,
    candidate: 'not measured',
    threshold,
    samples: { baseline: 0, candidate: 0, needed: input.verify.minSamples },
  };
}

/** Health: failed checks in a row roll back; checks that could not run are an Error. */
function health(input: JudgeInput): DecisionCard | undefined {
  const all = input.candidate.filter((s): s is HealthSample => s.kind === 'health');
  if (all.length === 0) return undefined;
  const limit = input.thresholds.healthFailures;
  const threshold = `${limit} failed checks in a row roll back`;
  const streak = unmeasuredStreak(all);
  if (streak.count >= input.thresholds.consecutiveErrors)
    return errorCard('health', streak.why!, streak.count, input, threshold);
  const checks = measured(all);
  let failedInARow = 0;
  for (let i = checks.length - 1; i >= 0 && !checks[i]!.ok; i--) failedInARow++;
  const samples = { baseline: 0, candidate: checks.length, needed: limit };
  const last = checks[checks.length - 1];
  if (failedInARow >= limit)
    return {
      metric: 'health',
      verdict: 'fail',
      action: 'rollback',
      reason: `${failedInARow} health checks failed in a row (last: ${last!.detail}).`,
      candidate: `${failedInARow} failed in a row`,
      threshold,
      samples,
    };
  const okCount = checks.filter((c) => c.ok).length;
  return {
    metric: 'health',
    verdict: 'pass',
    action: 'none',
    reason: `${okCount} of ${checks.length} health checks passed; ${failedInARow} failed in a row at the end.`,
    candidate: `${okCount}/${checks.length} ok`,
    threshold,
    samples,
  };
}

/** Wilson's score interval for a share: sound near 0 and with few trials, where the normal one is not. */
function wilson(errors: number, n: number, level: number): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const z = qnorm(1 - (1 - level) / 2);
  const p = errors / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Error rate: the candidate's share of 5xx or unanswered probes, with its 95%
 * interval, against the bands. Wholly over `rollback`: roll back at once;
 * wholly under `investigate`: pass; wholly between: ask; otherwise more
 * samples decide, and when the time is up the estimate does.
 */
function errorRate(input: JudgeInput): DecisionCard | undefined {
  const all = http(input.candidate);
  if (all.length === 0) return undefined;
  const { investigate, rollback } = input.thresholds.errorRate;
  const threshold = `over ${pct(rollback)} rolls back at once; ${pct(investigate)} to ${pct(rollback)} pauses and asks`;
  const streak = unmeasuredStreak(all);
  if (streak.count >= input.thresholds.consecutiveErrors)
    return errorCard('error rate', streak.why!, streak.count, input, threshold);
  const candidate = measured(all);
  const baseline = measured(http(input.baseline));
  const errors = candidate.filter(isError).length;
  const baseErrors = baseline.filter(isError).length;
  const n = candidate.length;
  const level = 1 - input.thresholds.alpha;
  const interval = wilson(errors, n, level);
  const share = n > 0 ? errors / n : 0;
  const vsBaseline =
    n > 0 && baseline.length > 0 && (errors > 0 || baseErrors > 0)
      ? twoProportionTest([errors, baseErrors], [n, baseline.length], { alternative: 'greater' })
      : undefined;
  const card = {
    metric: 'error rate' as const,
    candidate: `${pct(share)} (${errors} of ${n})`,
    ...(baseline.length > 0
      ? { baseline: `${pct(baseErrors / baseline.length)} (${baseErrors} of ${baseline.length})` }
      : {}),
    test: vsBaseline
      ? 'Wilson interval; two-proportion test against the baseline (prop.test, one-sided)'
      : 'Wilson interval of the share',
    ...(vsBaseline ? { pValue: vsBaseline.pValue } : {}),
    interval: { low: interval.low * 100, high: interval.high * 100, level, unit: '%' },
    threshold,
    samples: { baseline: baseline.length, candidate: n, needed: input.verify.minSamples },
  };
  const range = `${pct(interval.low)} to ${pct(interval.high)}`;
  if (n >= 20 && interval.low > rollback)
    return {
      ...card,
      verdict: 'fail',
      action: 'rollback',
      reason: `The error rate is ${pct(share)}: over ${pct(rollback)} even at the low end of its interval (${range}).`,
    };
  if (n >= input.verify.minSamples && interval.high < investigate)
    return {
      ...card,
      verdict: 'pass',
      action: 'none',
      reason: `The error rate is ${pct(share)}, under ${pct(investigate)} even at the high end of its interval (${range}).`,
    };
  if (n >= input.verify.minSamples && interval.low >= investigate && interval.high <= rollback)
    return {
      ...card,
      verdict: 'inconclusive',
      action: 'ask',
      reason: `The error rate is ${pct(share)} (${range}): between ${pct(investigate)} and ${pct(rollback)}, which pauses the run for a person to decide.`,
    };
  if (!input.final)
    return {
      ...card,
      verdict: 'inconclusive',
      action: 'wait',
      reason: `The error rate is ${pct(share)} (${range}) on ${n} probes: more samples will tell.`,
    };
  if (share > rollback)
    return {
      ...card,
      verdict: 'fail',
      action: 'rollback',
      reason: `The error rate is ${pct(share)} at the end of VERIFY, over ${pct(rollback)}.`,
    };
  if (share >= investigate)
    return {
      ...card,
      verdict: 'inconclusive',
      action: 'ask',
      reason: `The error rate is ${pct(share)} at the end of VERIFY, between ${pct(investigate)} and ${pct(rollback)}: a person decides.`,
    };
  return {
    ...card,
    verdict: 'pass',
    action: 'none',
    reason: `The error rate is ${pct(share)} at the end of VERIFY, under ${pct(investigate)}.`,
  };
}

const answered = (samples: readonly Sample[]) =>
  measured(http(samples))
    .filter((s) => s.status > 0)
    .map((s) => s.ms);

/**
 * Latency against the baseline: the Hodges-Lehmann shift of the candidate's
 * answer times with its interval (Mann-Whitney). Degraded when the whole
 * one-sided interval is above the allowed shift (the threshold share of the
 * baseline's median, and never under the noise floor); clearly fine when the
 * whole two-sided interval is below it.
 */
function latencyShift(input: JudgeInput): DecisionCard | undefined {
  const candidate = answered(input.candidate);
  const baseline = answered(input.baseline);
  if (http(input.candidate).length === 0) return undefined;
  const { degradation, degradationFloorMs, alpha } = input.thresholds;
  const needed = input.verify.minSamples;
  const samples = { baseline: baseline.length, candidate: candidate.length, needed };
  const threshold = `slower by over ${pct(degradation)} of the baseline's median (and at least ${ms(degradationFloorMs)}), significantly, rolls back`;
  const weaker = input.comparison === 'before-after' ? ' (before/after: the weaker comparison)' : '';
  if (baseline.length < needed || candidate.length < needed) {
    const card = {
      metric: 'latency shift' as const,
      candidate: `${candidate.length} answers`,
      baseline: `${baseline.length} answers`,
      threshold,
      samples,
    };
    if (baseline.length === 0 && input.final)
      return {
        ...card,
        verdict: 'inconclusive',
        action: 'ask',
        reason: 'No baseline was measured, so latency cannot be compared: a person decides.',
      };
    return {
      ...card,
      verdict: 'inconclusive',
      action: input.final ? 'ask' : 'wait',
      reason: `Too few samples to compare latency yet (${candidate.length} and ${baseline.length} of ${needed} each).`,
    };
  }
  const base = percentiles(baseline);
  const allowed = Math.max(degradation * base.p50, degradationFloorMs);
  const oneSided = rankSumTest(candidate, baseline, { alternative: 'greater', confLevel: 1 - alpha });
  const twoSided = rankSumTest(candidate, baseline, { alternative: 'two.sided', confLevel: 1 - alpha });
  const cand = percentiles(candidate);
  const card = {
    metric: 'latency shift' as const,
    candidate: `median ${ms(cand.p50)}, p95 ${ms(cand.p95)}`,
    baseline: `median ${ms(base.p50)}, p95 ${ms(base.p95)}`,
    test: `Mann-Whitney U, Hodges-Lehmann shift${weaker}`,
    pValue: oneSided.pValue,
    interval: { low: twoSided.confInt[0], high: twoSided.confInt[1], level: 1 - alpha, unit: 'ms' },
    threshold: `${threshold}: here ${ms(allowed)}`,
    samples,
  };
  const shift = `${twoSided.estimate >= 0 ? '+' : ''}${ms(twoSided.estimate)}`;
  // Every answer of both took the same time: there is no shift to find, and no interval either.
  if (twoSided.allTied)
    return {
      ...card,
      verdict: 'pass',
      action: 'none',
      reason: `Every answer of both releases took ${ms(base.p50)}: no shift.`,
    };
  if (oneSided.confInt[0] > allowed)
    return {
      ...card,
      verdict: 'fail',
      action: 'rollback',
      reason: `Answers are ${shift} slower than the baseline (at least ${ms(oneSided.confInt[0])} at ${pct(1 - alpha)} confidence), over the ${ms(allowed)} allowed.`,
    };
  if (twoSided.confInt[1] < allowed)
    return {
      ...card,
      verdict: 'pass',
      action: 'none',
      reason: `Answers shift by ${shift} against the baseline, within the ${ms(allowed)} allowed.`,
    };
  return {
    ...card,
    verdict: 'inconclusive',
    action: input.final ? 'ask' : 'wait',
    reason: `Answers shift by ${shift} (${ms(twoSided.confInt[0])} to ${ms(twoSided.confInt[1])}): too close to the ${ms(allowed)} allowed to tell${input.final ? ', so a person decides' : ' yet'}.`,
  };
}

/** p95 over its limit is critical: the run ends early and rolls back. */
function p95(input: JudgeInput): DecisionCard | undefined {
  const candidate = answered(input.candidate);
  if (http(input.candidate).length === 0) return undefined;
  const limit = input.thresholds.latencyMs.p95;
  const samples = { baseline: 0, candidate: candidate.length, needed: input.verify.minSamples };
  const threshold = `p95 over ${ms(limit)} is critical and rolls back`;
  if (candidate.length < input.verify.minSamples)
    return {
      metric: 'p95 latency',
      verdict: 'inconclusive',
      action: input.final ? 'ask' : 'wait',
      reason: `Too few answers for a p95 yet (${candidate.length} of ${input.verify.minSamples}).`,
      candidate: `${candidate.length} answers`,
      threshold,
      samples,
    };
  const value = percentiles(candidate).p95;
  if (value > limit)
    return {
      metric: 'p95 latency',
      verdict: 'fail',
      action: 'rollback',
      reason: `p95 is ${ms(value)}, over the critical ${ms(limit)}.`,
      candidate: ms(value),
      threshold,
      samples,
    };
  return {
    metric: 'p95 latency',
    verdict: 'pass',
    action: 'none',
    reason: `p95 is ${ms(value)}, under ${ms(limit)}.`,
    candidate: ms(value),
    threshold,
    samples,
  };
}

/** Answers slower than `max` roll back; one straggler in a hundred is allowed (the p99 decides, not a single outlier). */
function slowest(input: JudgeInput): DecisionCard | undefined {
  const all = measured(http(input.candidate));
  if (all.length === 0) return undefined;
  const limit = input.thresholds.latencyMs.max;
  // A probe that got no answer in time took at least its timeout: it counts as slow here and as an error in the error rate.
  const times = all.map((s) => s.ms);
  const samples = { baseline: 0, candidate: times.length, needed: input.verify.minSamples };
  const threshold = `answers slower than ${ms(limit)} (p99) roll back`;
  const tail = percentiles(times);
  const over = times.filter((t) => t > limit).length;
  if (times.length >= 20 && tail.p99 > limit)
    return {
      metric: 'slowest answer',
      verdict: 'fail',
      action: 'rollback',
      reason: `${over} of ${times.length} answers took over ${ms(limit)} (p99 ${ms(tail.p99)}).`,
      candidate: `p99 ${ms(tail.p99)}, max ${ms(tail.max)}`,
      threshold,
      samples,
    };
  return {
    metric: 'slowest answer',
    verdict: times.length >= 20 ? 'pass' : 'inconclusive',
    action: times.length >= 20 ? 'none' : input.final ? 'ask' : 'wait',
    reason: `p99 is ${ms(tail.p99)}, under ${ms(limit)}.`,
    candidate: `p99 ${ms(tail.p99)}, max ${ms(tail.max)}`,
    threshold,
    samples,
  };
}

/** A container that restarts during VERIFY is crash-looping: roll back. */
function restarts(input: JudgeInput): DecisionCard | undefined {
  const stats = measured(input.candidate.filter((s) => s.kind === 'container'));
  if (stats.length === 0) return undefined;
  const byHost = new Map<string, { first: number; last: number }>();
  for (const s of stats) {
    const seen = byHost.get(s.host);
    byHost.set(s.host, { first: seen?.first ?? s.restarts, last: s.restarts });
  }
  const restarted = [...byHost].filter(([, r]) => r.last > r.first);
  const samples = { baseline: 0, candidate: stats.length, needed: 1 };
  const threshold = 'any restart during VERIFY rolls back';
  if (restarted.length > 0)
    return {
      metric: 'restarts',
      verdict: 'fail',
      action: 'rollback',
      reason: `The new container restarted during VERIFY on ${restarted.map(([h, r]) => `${h} (${r.last - r.first}×)`).join(', ')}: it crash-loops.`,
      candidate: restarted.map(([h, r]) => `${h}: ${r.last - r.first}`).join(', '),
      threshold,
      samples,
    };
  return {
    metric: 'restarts',
    verdict: 'pass',
    action: 'none',
    reason: 'No restart during VERIFY.',
    candidate: '0',
    threshold,
    samples,
  };
}

/** CPU, memory and error lines: shown beside the baseline, for a person; they decide nothing by default. */
function resources(input: JudgeInput): DecisionCard[] {
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
  const of = (samples: readonly Sample[]) => measured(samples.filter((s) => s.kind === 'container'));
  const cand = of(input.candidate);
  const base = of(input.baseline);
  if (cand.length === 0) return [];
  const samples = { baseline: base.length, candidate: cand.length, needed: 1 };
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const info = (metric: DecisionCard['metric'], candidate: string, baseline: string | undefined): DecisionCard => ({
    metric,
    verdict: 'pass',
    action: 'none',
    reason: `${metric}: ${candidate}${baseline ? ` against ${baseline}` : ''} (shown, not judged).`,
    candidate,
    ...(baseline ? { baseline } : {}),
    threshold: 'shown beside the baseline; no rule by default',
    samples,
  });
  return [
    info(
      'cpu',
      `${mean(cand.map((s) => s.cpuPercent)).toFixed(1)}%`,
      base.length ? `${mean(base.map((s) => s.cpuPercent)).toFixed(1)}%` : undefined,
    ),
    info(
      'memory',
      mb(mean(cand.map((s) => s.memoryBytes))),
      base.length ? mb(mean(base.map((s) => s.memoryBytes))) : undefined,
    ),
    info(
      'error lines',
      `${cand.reduce((a, s) => a + s.errorLines, 0)}`,
      base.length ? `${base.reduce((a, s) => a + s.errorLines, 0)}` : undefined,
    ),
  ];
}
