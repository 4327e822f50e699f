/**
 * Judging a release from evidence: the samples Shipdeck gathers about the
 * new release and its baseline, the rules (thresholds) a service sets, and
 * the verdict of each metric as a decision card a person can read.
 */

/** What VERIFY measures, how long and how often, and what happens on each outcome (`verify:` in a spec). */
export interface VerifySpec {
  /** Paths probed over HTTP on each release's own port (the spec's `metrics.http`). */
  readonly http: readonly string[];
  readonly container: boolean;
  readonly host: boolean;
  /** Probes per second per release and host. */
  readonly rate: number;
  /** The longest VERIFY samples before it must decide; a gray zone still open by then asks a person. */
  readonly durationMs: number;
  /** Samples per metric wanted for the baseline (PREPARE) and for a verdict. */
  readonly minSamples: number;
  /** What a failed rule does: roll back by itself, or stop and ask. */
  readonly onFail: 'rollback' | 'ask';
  /** What a pass does: confirm the release by itself, or wait for a person. */
  readonly onPass: 'confirm' | 'ask';
}

/** The rules, as DESIGN.md sets them by default; each service may change them. */
export interface Thresholds {
  /** Error rate: at or over `investigate` the run pauses and asks; over `rollback` it rolls back at once. */
  readonly errorRate: { readonly investigate: number; readonly rollback: number };
  /** Response time: a p95 over `p95` is critical (the run ends early); any answer slower than `max` rolls back. */
  readonly latencyMs: { readonly p95: number; readonly max: number };
  /** Slower than the baseline by more than this share (significantly) rolls back. */
  readonly degradation: number;
  /** Shifts smaller than this are noise, whatever the share (a 0.3 ms baseline is 10% slower by 0.03 ms). */
  readonly degradationFloorMs: number;
  /** Failed health checks in a row that roll back. */
  readonly healthFailures: number;
  /** Probes in a row that could not measure (a lost link) before the metric is an Error. */
  readonly consecutiveErrors: number;
  /** The tests' significance level. */
  readonly alpha: number;
}

export const defaultThresholds: Thresholds = {
  errorRate: { investigate: 0.05, rollback: 0.1 },
  latencyMs: { p95: 2000, max: 3000 },
  degradation: 0.1,
  degradationFloorMs: 5,
  healthFailures: 3,
  consecutiveErrors: 3,
  alpha: 0.05,
};

export const defaultVerify: VerifySpec = {
  http: [],
  container: true,
  host: true,
  rate: 20,
  durationMs: 30_000,
  minSamples: 50,
  onFail: 'rollback',
  onPass: 'confirm',
};

/** Which release a sample is about: the one live before (baseline) or the new one (candidate). */
export type Role = 'baseline' | 'candidate';

/** One HTTP probe: its answer's status (0 when none came) and how long it took. */
export interface HttpSample {
  readonly kind: 'http';
  readonly t: number;
  readonly host: string;
  readonly role: Role;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  /** Why no answer came, when it could not be measured (link lost) rather than failed (refused, timed out). */
  readonly unmeasured?: string;
}

/** One health check of the candidate (the spec's healthcheck path and status). */
export interface HealthSample {
  readonly kind: 'health';
  readonly t: number;
  readonly host: string;
  readonly role: Role;
  readonly ok: boolean;
  readonly detail: string;
  readonly unmeasured?: string;
}

/** A container's resources, from the Docker API. */
export interface ContainerSample {
  readonly kind: 'container';
  readonly t: number;
  readonly host: string;
  readonly role: Role;
  readonly cpuPercent: number;
  readonly memoryBytes: number;
  readonly restarts: number;
  /** Error lines its log printed since the sample before. */
  readonly errorLines: number;
  readonly unmeasured?: string;
}

/** The host's load, memory and disk, read over SSH. */
export interface HostSample {
  readonly kind: 'host';
  readonly t: number;
  readonly host: string;
  readonly role: Role;
  readonly load1: number;
  readonly memoryUsedShare: number;
  readonly diskUsedShare: number;
  readonly unmeasured?: string;
}

export type Sample = HttpSample | HealthSample | ContainerSample | HostSample;

/** Every sample a run took, as journaled: PREPARE's baseline, and VERIFY's baseline and candidate. */
export interface RunSamples {
  readonly prepared: readonly Sample[];
  readonly baseline: readonly Sample[];
  readonly candidate: readonly Sample[];
}

/** Samples taken where old and new run side by side at the same time, or the old before and the new after. */
export type Comparison = 'concurrent' | 'before-after';

export type VerdictState = 'pass' | 'fail' | 'inconclusive' | 'error';

/** What a verdict asks for. */
export type Action = 'none' | 'rollback' | 'ask' | 'wait';

/** One metric's verdict and its reasoning: values, test, interval, threshold. */
export interface DecisionCard {
  readonly metric:
    | 'error rate'
    | 'latency shift'
    | 'p95 latency'
    | 'slowest answer'
    | 'health'
    | 'restarts'
    | 'cpu'
    | 'memory'
    | 'error lines';
  readonly verdict: VerdictState;
  readonly action: Action;
  /** The sentence a person reads first. */
  readonly reason: string;
  readonly baseline?: string;
  readonly candidate: string;
  readonly test?: string;
  readonly pValue?: number;
  readonly interval?: { readonly low: number; readonly high: number; readonly level: number; readonly unit: string };
  readonly threshold: string;
  readonly samples: { readonly baseline: number; readonly candidate: number; readonly needed: number };
}

/** All cards and what they add up to. */
export interface Judgement {
  readonly at: number;
  readonly comparison: Comparison;
  readonly cards: readonly DecisionCard[];
  /** pass: every rule passed; rollback: a rule says roll back; ask: a person must decide; wait: more samples needed. */
  readonly decision: 'pass' | 'rollback' | 'ask' | 'wait';
  readonly reason: string;
}
