import { judge, judgedSamples } from '../../../shared/judge';
import type { VerificationRecord } from '../../../shared/run';
import type { ServiceSpec, VerificationSpec } from '../../../shared/service-spec';
import type { Comparison, Judgement, Role, RunSamples, Sample } from '../../../shared/verify';
import type { HostRelease } from '../../../shared/deploy-plan';
import type { Server } from '../../../shared/server';
import type { Fleet } from '../fleet/fleet';
import { Sampler, type SampleTarget } from './sampler';

/** One host of the run: the release live before (the baseline, if any) and the new one. */
export interface VerifyHost {
  readonly server: Server;
  readonly previous?: HostRelease;
  readonly next: HostRelease;
}

export interface VerificationOptions {
  readonly spec: ServiceSpec & { readonly verification: VerificationSpec };
  readonly hosts: readonly VerifyHost[];
  readonly fleet: Fleet;
  /** Journal a batch of samples (and tell the windows), with the verification's state after it. */
  readonly onSamples: (
    phase: 'PREPARE' | 'VERIFY',
    baseline: readonly Sample[],
    candidate: readonly Sample[],
    record: VerificationRecord,
  ) => void;
  readonly onJudgement: (record: VerificationRecord) => void;
  /** A resumed run's samples journaled before Shipdeck stopped: kept and judged with the new ones. */
  readonly journaled?: RunSamples;
  readonly now?: () => number;
}

/** How often VERIFY judges what it has gathered. */
const judgeEveryMs = 1000;

/**
 * The evidence of one run: the baseline sampled in PREPARE, then in VERIFY
 * the old and the new release probed side by side, judged every second until
 * the rules decide (or VERIFY's time is up and a gray zone asks a person).
 */
export class Verification {
  private readonly prepared: Sample[] = [];
  private readonly baseline: Sample[] = [];
  private readonly candidate: Sample[] = [];
  private comparison: Comparison = 'concurrent';
  private state: VerificationRecord['state'] = 'baseline';
  private latest: Judgement | undefined;
  private acted: VerificationRecord['acted'];

  constructor(private readonly options: VerificationOptions) {
    this.prepared.push(...(options.journaled?.prepared ?? []));
    this.baseline.push(...(options.journaled?.baseline ?? []));
    this.candidate.push(...(options.journaled?.candidate ?? []));
  }

  get record(): VerificationRecord {
    const { verify, thresholds } = this.options.spec.verification;
    const { baseline } = this.judged();
    return {
      comparison: this.comparison,
      thresholds,
      state: this.state,
      baselineSamples: countHttp(this.state === 'baseline' ? this.prepared : baseline),
      candidateSamples: countHttp(this.candidate),
      needed: verify.minSamples,
      ...(this.latest ? { judgement: this.latest } : {}),
      ...(this.acted ? { acted: this.acted } : {}),
    };
  }

  /** PREPARE: sample the live releases until the baseline has its samples (or the time for them is up). */
  async sampleBaseline(aborted: () => boolean): Promise<void> {
    const { verify } = this.options.spec.verification;
    const live = this.options.hosts.filter((h) => h.previous);
    if (live.length === 0 || verify.http.length === 0) return;
    const sampler = await this.sampler(
      live.map((h) => ({ host: h, role: 'baseline' as const, release: h.previous! })),
      false,
      (samples) => {
        this.prepared.push(...samples);
        this.options.onSamples('PREPARE', samples, [], this.record);
      },
    );
    // Enough time for the samples at the probe rate across the hosts, and a margin; never longer than VERIFY.
    const budgetMs = Math.min(verify.durationMs, (verify.minSamples / (verify.rate * live.length)) * 1000 + 3000);
    const started = this.now();
    sampler.start();
    try {
      while (!aborted() && this.now() - started < budgetMs && countHttp(this.prepared) < verify.minSamples)
        await sleep(200);
    } finally {
      sampler.stop();
    }
  }

  /**
   * VERIFY: probe old and new at the same time and judge every second. Resolves
   * with the judgement to act on: rollback, ask or pass (never wait).
   */
  async run(aborted: () => boolean): Promise<Judgement> {
    const { verify, thresholds } = this.options.spec.verification;
    this.state = 'sampling';
    const targets = this.options.hosts.flatMap((h) => [
      ...(h.previous ? [{ host: h, role: 'baseline' as const, release: h.previous }] : []),
      { host: h, role: 'candidate' as const, release: h.next },
    ]);
    // Without an old release beside the new one, the comparison is with PREPARE's: before/after, the weaker one.
    if (!this.options.hosts.every((h) => h.previous)) this.comparison = 'before-after';
    const sampler = await this.sampler(targets, true, (samples) => {
      const baseline = samples.filter((s) => s.role === 'baseline');
      const candidate = samples.filter((s) => s.role === 'candidate');
      this.baseline.push(...baseline);
      this.candidate.push(...candidate);
      this.options.onSamples('VERIFY', baseline, candidate, this.record);
    });
    const started = this.now();
    sampler.start();
    try {
      for (;;) {
        await sleep(judgeEveryMs);
        // Every sample gathered so far is journaled before the judgement: the one acted on weighs exactly what the journal holds.
        sampler.flush();
        const final = this.now() - started >= verify.durationMs;
        // The old release answering beside the new one makes the comparison concurrent; if it never did, before/after.
        if (this.comparison === 'concurrent' && final && countHttp(this.baseline) === 0)
          this.comparison = 'before-after';
        this.latest = judge({
          ...this.judged(),
          comparison: this.comparison,
          thresholds,
          verify,
          final,
          now: this.now(),
        });
        this.options.onJudgement(this.record);
        if (aborted() || this.latest.decision !== 'wait') break;
      }
    } finally {
      // Nothing came since the flush above (judging is synchronous); probes still in flight are dropped.
      sampler.stop();
    }
    // Decided is journaled (and shown) here, even when a pass waits for a person and nothing settles it.
    this.state = 'decided';
    this.options.onJudgement(this.record);
    return this.latest;
  }

  /** Record what the run did about the judgement. */
  settle(acted: NonNullable<VerificationRecord['acted']>): VerificationRecord {
    this.acted = acted;
    this.state = 'decided';
    const record = this.record;
    this.options.onJudgement(record);
    return record;
  }

  private async sampler(
    targets: readonly { host: VerifyHost; role: Role; release: HostRelease }[],
    health: boolean,
    onSamples: (samples: readonly Sample[]) => void,
  ): Promise<Sampler> {
    const resolved: SampleTarget[] = await Promise.all(
      targets.map(async ({ host, role, release }) => {
        const link = await this.options.fleet.link(host.server);
        return {
          host: host.server.name,
          role,
          port: release.port,
          container: release.container,
          link,
          docker: await this.options.fleet.docker(host.server),
          probe: this.options.fleet.probe(host.server, link),
        };
      }),
    );
    const { verify } = this.options.spec.verification;
    return new Sampler(resolved, {
      verify,
      healthcheck: this.options.spec.healthcheck,
      health,
      onSamples,
      ...(this.options.now ? { now: this.options.now } : {}),
    });
  }

  /** The samples the judgement weighs, as the report and Judge again take them from the journal. */
  private judged() {
    return judgedSamples(
      { prepared: this.prepared, baseline: this.baseline, candidate: this.candidate },
      this.comparison,
    );
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

function countHttp(samples: readonly Sample[]): number {
  return samples.filter((s) => s.kind === 'http' && s.unmeasured === undefined).length;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Judge a past run's samples again with other rules (advisory; nothing is deployed or recorded). */
export function judgeRecorded(
  samples: RunSamples,
  comparison: Comparison,
  verification: VerificationSpec,
  thresholds: VerificationSpec['thresholds'],
  now: number,
): Judgement {
  return judge({
    ...judgedSamples(samples, comparison),
    comparison,
    thresholds,
    verify: verification.verify,
    final: true,
    now,
  });
}
