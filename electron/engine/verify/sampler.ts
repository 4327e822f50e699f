import { levelOf, LineSplitter } from '../../../shared/log';
import { ProblemError } from '../../../shared/problem';
import type { HealthcheckSpec } from '../../../shared/service-spec';
import type {
  ContainerSample,
  HealthSample,
  HostSample,
  HttpSample,
  Role,
  Sample,
  VerifySpec,
} from '../../../shared/verify';
import type { DockerLink } from '../fleet/docker-link';
import type { HostProbe } from '../fleet/host-probe';
import { httpGetOverLink } from '../fleet/http-over-link';
import type { SshLink } from '../fleet/ssh-link';

/** One release on one host to sample: its port and container, through the host's links. */
export interface SampleTarget {
  readonly host: string;
  readonly role: Role;
  readonly port: number;
  readonly container: string;
  readonly link: SshLink;
  readonly docker: DockerLink;
  readonly probe: HostProbe;
}

export interface SamplerOptions {
  readonly verify: VerifySpec;
  readonly healthcheck: HealthcheckSpec;
  /** Health checks too (the candidate in VERIFY), not only HTTP probes. */
  readonly health: boolean;
  readonly onSamples: (samples: readonly Sample[]) => void;
  readonly now?: () => number;
}

/** Probes in flight per target at most: a release that stalls gets no pile of requests from us. */
const maxInFlight = 32;
const resourceEveryMs = 1000;

/**
 * Samples releases while it runs: HTTP probes at a steady rate to each
 * target's own port through an SSH tunnel (open loop: a slow answer does not
 * slow the rate), health checks, container resources and error lines from the
 * Docker API, and the host's load, memory and disk over SSH. What could not
 * be measured (the link dropped) is recorded as such, never as a failure.
 */
export class Sampler {
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private readonly stops: (() => void)[] = [];
  private pending: Sample[] = [];
  private stopped = false;

  constructor(
    private readonly targets: readonly SampleTarget[],
    private readonly options: SamplerOptions,
  ) {}

  start(): void {
    const { verify } = this.options;
    const paths = verify.http.length > 0 ? verify.http : [this.options.healthcheck.path];
    for (const target of this.targets) {
      const inFlight = { count: 0 };
      let next = 0;
      if (verify.http.length > 0)
        this.every(1000 / verify.rate, () => void this.http(target, paths[next++ % paths.length]!, inFlight));
      if (this.options.health && target.role === 'candidate')
        this.every(Math.max(200, Math.min(1000, this.options.healthcheck.intervalMs)), () => void this.health(target));
      if (verify.container) this.followErrors(target);
      if (verify.container) {
        // The first reading only primes the CPU share (a difference of two readings).
        void this.container(target);
        this.every(resourceEveryMs, () => void this.container(target));
      }
      if (verify.host) this.every(resourceEveryMs, () => void this.hostStats(target));
    }
    // Samples leave in batches, about once a second.
    this.every(1000, () => this.flush());
  }

  /** Stop every probe; what was gathered is delivered first. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const stop of this.stops) stop();
    this.flush();
  }

  private every(ms: number, tick: () => void): void {
    this.timers.push(setInterval(() => !this.stopped && tick(), ms));
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private add(sample: Sample): void {
    if (!this.stopped) this.pending.push(sample);
  }

  /** Deliver what was gathered since the last batch (the judge takes it before it judges). */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.options.onSamples(batch);
  }

  private async http(target: SampleTarget, path: string, inFlight: { count: number }): Promise<void> {
    if (inFlight.count >= maxInFlight) return;
    inFlight.count++;
    const started = performance.now();
    const t = this.now();
    const base = { kind: 'http' as const, t, host: target.host, role: target.role, path };
    try {
      const answer = await httpGetOverLink(target.link, target.port, path, this.options.healthcheck.timeoutMs);
      this.add({ ...base, status: answer.status, ms: performance.now() - started } satisfies HttpSample);
    } catch (error) {
      const ms = performance.now() - started;
      const unmeasured = await unmeasuredReason(target, error);
      this.add({ ...base, status: 0, ms, ...(unmeasured ? { unmeasured } : {}) } satisfies HttpSample);
    } finally {
      inFlight.count--;
    }
  }

  private async health(target: SampleTarget): Promise<void> {
    const check = this.options.healthcheck;
    const base = { kind: 'health' as const, t: this.now(), host: target.host, role: target.role };
    try {
      const answer = await httpGetOverLink(target.link, target.port, check.path, check.timeoutMs);
      this.add({
        ...base,
        ok: answer.status === check.status,
        detail: `${check.path} answered ${answer.status}`,
      } satisfies HealthSample);
    } catch (error) {
      const unmeasured = await unmeasuredReason(target, error);
      this.add({
        ...base,
        ok: false,
        detail: `${check.path}: ${(error as Error).message}`,
        ...(unmeasured ? { unmeasured } : {}),
      } satisfies HealthSample);
    }
  }

  // Docker's CPU share is a difference between two readings of the container's and the system's CPU time.
  private readonly cpuBefore = new Map<string, { container: number; system: number }>();
  private readonly errorLines = new Map<string, number>();

  private async container(target: SampleTarget): Promise<void> {
    const base = { kind: 'container' as const, t: this.now(), host: target.host, role: target.role };
    const key = `${target.host}/${target.container}`;
    try {
      const container = target.docker.docker.getContainer(target.container);
      const [info, stats] = await Promise.all([
        container.inspect(),
        container.stats({ stream: false, 'one-shot': true } as { stream: false }),
      ]);
      const s = stats as unknown as {
        cpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number; online_cpus?: number };
        memory_stats: { usage?: number; stats?: Record<string, number> };
      };
      const before = this.cpuBefore.get(key);
      const now = { container: s.cpu_stats.cpu_usage.total_usage, system: s.cpu_stats.system_cpu_usage ?? 0 };
      this.cpuBefore.set(key, now);
      const cpuPercent =
        before && now.system > before.system
          ? ((now.container - before.container) / (now.system - before.system)) * (s.cpu_stats.online_cpus ?? 1) * 100
          : 0;
      // What the container really holds: usage without the page cache it could give back.
      const memoryBytes =
        (s.memory_stats.usage ?? 0) -
        (s.memory_stats.stats?.inactive_file ?? s.memory_stats.stats?.total_inactive_file ?? 0);
      const errorLines = this.errorLines.get(key) ?? 0;
      this.errorLines.set(key, 0);
      if (before)
        this.add({
          ...base,
          cpuPercent,
          memoryBytes,
          restarts: info.RestartCount,
          errorLines,
        } satisfies ContainerSample);
    } catch (error) {
      const unmeasured =
        (await unmeasuredReason(target, error)) ?? `Docker could not be read: ${(error as Error).message}`;
      this.add({
        ...base,
        cpuPercent: 0,
        memoryBytes: 0,
        restarts: 0,
        errorLines: 0,
        unmeasured,
      } satisfies ContainerSample);
    }
  }

  /** Count the error lines the container logs while it is sampled. */
  private followErrors(target: SampleTarget): void {
    const key = `${target.host}/${target.container}`;
    const splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };
    target.docker
      .followLogs(
        target.container,
        { tail: 0 },
        (frame) => {
          for (const line of splitters[frame.stream].push(frame.text))
            if (levelOf(line) === 'error') this.errorLines.set(key, (this.errorLines.get(key) ?? 0) + 1);
        },
        () => {},
      )
      .then(
        (stop) => (this.stopped ? stop() : this.stops.push(stop)),
        () => {},
      );
  }

  private async hostStats(target: SampleTarget): Promise<void> {
    const base = { kind: 'host' as const, t: this.now(), host: target.host, role: target.role };
    // One host reading serves both releases on it: only the candidate's target reads it.
    if (target.role !== 'candidate') return;
    try {
      const facts = await target.probe.facts();
      this.add({
        ...base,
        load1: facts.load[0],
        memoryUsedShare: facts.memory.totalBytes ? 1 - facts.memory.availableBytes / facts.memory.totalBytes : 0,
        diskUsedShare: facts.disk.totalBytes ? facts.disk.usedBytes / facts.disk.totalBytes : 0,
      } satisfies HostSample);
    } catch (error) {
      this.add({
        ...base,
        load1: 0,
        memoryUsedShare: 0,
        diskUsedShare: 0,
        unmeasured: (await unmeasuredReason(target, error)) ?? (error as Error).message,
      } satisfies HostSample);
    }
  }
}

/** How long a failed probe waits to see whether its link is dying, before it blames the release. */
const linkSettleMs = 500;

/**
 * Why a probe could not measure (the SSH link is down or going), or undefined
 * when the release itself failed to answer. Only a refused connection to the
 * release's port blames the release at once; any other failure counts against
 * it only if the link is still up a moment later, since a link being cut fails
 * its channels before it reports itself closed.
 */
async function unmeasuredReason(target: SampleTarget, error: unknown): Promise<string | undefined> {
  const down = `the SSH connection to ${target.host} is down`;
  if (!target.link.isOpen) return down;
  if (error instanceof ProblemError && error.problem.code === 'disconnected') return error.problem.message;
  if (/connection refused|connect failed/i.test((error as Error).message)) return undefined;
  await new Promise((r) => setTimeout(r, linkSettleMs));
  return target.link.isOpen ? undefined : down;
}
