import { containerLogs, stopContainer } from '../../../shared/commands/container';
import { hostAuditStep } from '../../../shared/commands/host-audit';
import { unlockStep } from '../../../shared/commands/lock';
import {
  servicePaths,
  type HostRelease,
  type LockHolder,
  type ProxyTarget,
  type Step,
} from '../../../shared/deploy-plan';
import { problemOf, ProblemError } from '../../../shared/problem';
import type { Redaction } from '../../../shared/redaction';
import type { Server } from '../../../shared/server';
import type { ServiceSpec } from '../../../shared/service-spec';
import type { Fleet } from '../fleet/fleet';
import { readLockHolder } from './deploy-lock';
import { planHosts, type DeployPlan, type HostDeploy } from './host-plan';
import { hostStateStep, keepRetained, switchBack } from './host-settling';
import { StepRunner, type StepEvent } from './step-runner';

/** What a Deployer works through: the fleet, each server's nginx, the run's listeners and the redaction. */
export interface DeployerOptions {
  readonly fleet: Fleet;
  /** The nginx of each server, where the service's upstream lives. */
  readonly proxyOf: (server: Server, spec: ServiceSpec) => ProxyTarget;
  readonly onEvent?: (event: StepEvent) => void;
  /** Told when a host's traffic moves to the new release (true) or back (false). */
  readonly onSwitched?: (server: Server, switched: boolean) => void;
  /** Asked before each step of DEPLOY: a reason stops the deploy there and undoes what was switched. */
  readonly abortReason?: () => string | undefined;
  /** The values of the spec's secrets, read when the steps are made (plan, resume). */
  readonly secretsOf?: (spec: ServiceSpec) => Readonly<Record<string, string>>;
  /** The engine's redaction, which each step's output goes through as it streams. */
  readonly redaction: Redaction;
}

/**
 * Ships a release blue-green to every host of an environment: the new
 * container starts beside the live one, and traffic moves only once it is
 * healthy. If any host fails, every host already switched goes back, so the
 * fleet is never left half on the new release.
 */
export class Deployer {
  constructor(private readonly options: DeployerOptions) {}

  /** PREPARE: read each host's state and plan every step, changing nothing. */
  async plan(
    spec: ServiceSpec,
    release: string,
    servers: readonly Server[],
    holder: LockHolder,
    options: { readonly reuseStandby?: boolean } = {},
  ): Promise<DeployPlan> {
    return planHosts(this.options, spec, release, servers, holder, options);
  }

  /**
   * DEPLOY: take every host's lock first (so no one starts on later hosts
   * meanwhile), then switch the hosts batch by batch (blue-green: all at
   * once; rolling: `batch` at a time, each batch checked healthy before the
   * next). On any failure every host already switched goes back and every
   * lock is freed, so the fleet is never left half on the new release.
   */
  async deploy(plan: DeployPlan): Promise<void> {
    this.checkAbort();
    const locked: HostDeploy[] = [];
    const lockFailures: unknown[] = [];
    await Promise.all(
      plan.hosts.map(async (host) => {
        try {
          await (await this.runner(host.server)).run(host.steps[0]!);
          locked.push(host);
        } catch (error) {
          lockFailures.push(await this.lockProblem(host, plan, error));
        }
      }),
    );
    if (lockFailures.length > 0) {
      await Promise.all(locked.map((h) => this.runStep(h.server, unlockStep(h.input, plan.spec.service))));
      throw new ProblemError(problemOf(lockFailures[0]));
    }
    await this.switchInBatches(plan, locked, 1);
  }

  /** DEPLOY under a lock this run already holds (resuming): the hosts' steps carry no lock step. */
  async deployLocked(plan: DeployPlan): Promise<void> {
    this.checkAbort();
    await this.switchInBatches(plan, [...plan.hosts], 0);
  }

  private async switchInBatches(plan: DeployPlan, locked: readonly HostDeploy[], firstStep: number): Promise<void> {
    const switched: HostDeploy[] = [];
    const attempted: HostDeploy[] = [];
    const size = plan.spec.strategy.kind === 'rolling' ? plan.spec.strategy.batch : plan.hosts.length;
    for (let start = 0; start < plan.hosts.length; start += size) {
      const batch = plan.hosts.slice(start, start + size);
      const failures: unknown[] = [];
      await Promise.all(
        batch.map(async (host) => {
          const runner = await this.runner(host.server);
          attempted.push(host);
          const switchAt = host.steps.findIndex(
            (s) => s.kind === 'write-file' && s.path === host.input.proxy.upstreamFile,
          );
          try {
            for (const [i, step] of host.steps.entries()) {
              if (i < firstStep) continue;
              // Once traffic starts to move the switch runs whole (an abort waits for its end), and the host counts as switched, so that a failure sends it back rather than leaving nginx on a stopped container.
              if (switchAt < 0 || i < switchAt) this.checkAbort();
              if (i === switchAt) switched.push(host);
              await runner.run(step);
            }
            if (!switched.includes(host)) switched.push(host);
            this.options.onSwitched?.(host.server, true);
          } catch (error) {
            failures.push(await this.withContainerLog(host, error));
          }
        }),
      );
      if (failures.length > 0) {
        // Back to where each switched host was, earlier batches included; a host that never switched still serves its live release.
        await Promise.all(switched.filter((h) => h.input.live).map((h) => this.switchBack(h)));
        // The new containers count against `retain` too; one that never went live ranks after the kept releases.
        await Promise.all(attempted.map((h) => this.keepRetained(h, plan, [...h.input.standby, h.next], h.input.live)));
        await Promise.all(locked.map((h) => this.runStep(h.server, unlockStep(h.input, plan.spec.service))));
        throw new ProblemError(problemOf(failures[0]));
      }
    }
    await Promise.all(
      plan.hosts.map(async (host) => {
        await this.writeState(host, plan, 'deploy', host.next, host.input.live);
        await this.audit(
          host,
          plan,
          'deploy',
          host.next.release,
          host.input.live ? `traffic moved from ${host.input.live.release}` : 'first release on this host',
        );
      }),
    );
  }

  /** A line in the host's audit log for what this deploy did there. */
  private async audit(
    host: HostDeploy,
    plan: DeployPlan,
    action: string,
    release: string,
    detail?: string,
  ): Promise<void> {
    await this.runStep(
      host.server,
      hostAuditStep(host.input, plan.spec.service, {
        who: plan.holder.who,
        action,
        release,
        runId: plan.holder.runId,
        ...(detail ? { detail } : {}),
      }),
    );
  }

  /** ROLLBACK: traffic back to the warm previous release on every host, verified, then the lock is freed. */
  async rollback(plan: DeployPlan): Promise<void> {
    await Promise.all(
      plan.hosts.map(async (host) => {
        if (!host.input.live) return;
        await this.switchBack(host, plan.spec);
        // The release rolled back from is the newest kept; older ones beyond `retain` go.
        const kept = await this.keepRetained(host, plan, [host.next, ...host.input.standby], host.input.live);
        await this.writeState(
          { ...host, input: { ...host.input, standby: kept } },
          plan,
          'rollback',
          host.input.live,
          undefined,
        );
        await this.audit(host, plan, 'rollback', host.input.live.release, `traffic back from ${host.next.release}`);
        await this.runStep(host.server, unlockStep(host.input, plan.spec.service));
      }),
    );
  }

  /** CONFIRM: the new release is live; releases beyond `retain` are removed; the lock is freed. */
  async confirm(plan: DeployPlan): Promise<void> {
    await Promise.all(
      plan.hosts.map(async (host) => {
        // The release that was live before is the warm rollback target: kept first.
        const kept = await this.keepRetained(host, plan, [host.input.live, ...host.input.standby], host.next);
        await this.writeState(
          { ...host, input: { ...host.input, standby: kept } },
          plan,
          'confirm',
          host.next,
          undefined,
        );
        await this.audit(host, plan, 'confirm', host.next.release);
        await this.runStep(host.server, unlockStep(host.input, plan.spec.service));
      }),
    );
  }

  /** Remove the service's containers on the host beyond `retain` (ranked by the caller), returning those kept. */
  private async keepRetained(
    host: HostDeploy,
    plan: DeployPlan,
    ranked: readonly (HostRelease | undefined)[],
    live: HostRelease | undefined,
  ): Promise<HostRelease[]> {
    return keepRetained((step) => this.runStep(host.server, step), host, plan, ranked, live);
  }

  private checkAbort(): void {
    const reason = this.options.abortReason?.();
    if (reason !== undefined)
      throw new ProblemError({
        code: 'conflict',
        message: `Aborted: ${reason}`,
        hint: 'Every host already switched went back to its previous release.',
        details: { aborted: 'yes' },
      });
  }

  /**
   * A host that failed keeps its new container for diagnosis, stopped so that
   * it frees its port; the problem carries the container's last log lines.
   */
  private async withContainerLog(host: HostDeploy, error: unknown): Promise<unknown> {
    if (error instanceof ProblemError && (error.problem.code === 'conflict' || error.problem.details?.aborted)) {
      // Aborted before this host switched: its new container stays stopped, as for a failure.
      await this.runStep(host.server, {
        kind: 'command',
        host: host.server.name,
        command: stopContainer(host.next.container, `Stop ${host.next.release}, left unused by the abort`),
        allowFailure: true,
      });
      return error;
    }
    const link = await this.options.fleet.link(host.server);
    let log = '';
    await link.exec(containerLogs(host.next.container, 20, `Read the last lines ${host.next.release} wrote`), {
      onStdout: (t) => (log += t),
      onStderr: (t) => (log += t),
    });
    await this.runStep(host.server, {
      kind: 'command',
      host: host.server.name,
      command: stopContainer(host.next.container, `Stop ${host.next.release}, which failed, keeping it for diagnosis`),
      allowFailure: true,
    });
    if (!(error instanceof ProblemError)) return error;
    const lines = log.trim() ? log.trim().split('\n').slice(-20).join('\n') : '(it wrote nothing)';
    return new ProblemError({ ...error.problem, details: { ...error.problem.details, containerLog: lines } });
  }

  /** Traffic back to the previous release (see `switchBack`), then the switch is told. */
  private async switchBack(host: HostDeploy, spec?: ServiceSpec): Promise<void> {
    await switchBack(this.options.fleet, await this.runner(host.server), host, spec);
    this.options.onSwitched?.(host.server, false);
  }

  /** The host's state file rewritten for the outcome (see `hostStateStep`). */
  private async writeState(
    host: HostDeploy,
    plan: DeployPlan,
    action: string,
    live: HostRelease,
    demoted: HostRelease | undefined,
  ): Promise<void> {
    await this.runStep(host.server, hostStateStep(host, plan, action, live, demoted));
  }

  /** A lock that could not be taken names its holder: who, since when, for which release. */
  private async lockProblem(host: HostDeploy, plan: DeployPlan, error: unknown): Promise<ProblemError> {
    const lock = servicePaths(host.input.home, plan.spec.service).lock;
    const { holder } = await readLockHolder(await this.options.fleet.link(host.server), lock);
    if (holder)
      return new ProblemError({
        code: 'conflict',
        message: `${plan.spec.service} on ${host.server.name} is locked by ${holder.who} since ${holder.since} for ${holder.release}`,
        where: `${host.server.name}:${lock}`,
        hint: 'Wait for that run to end, or force the unlock with a reason if it is abandoned.',
        details: { ...holder },
      });
    return error instanceof ProblemError
      ? error
      : new ProblemError({
          code: 'conflict',
          message: `Could not take the deploy lock of ${plan.spec.service} on ${host.server.name}`,
          where: host.server.name,
        });
  }

  private async runStep(server: Server, step: Step): Promise<void> {
    await (await this.runner(server)).run(step);
  }

  private async runner(server: Server): Promise<StepRunner> {
    return new StepRunner(
      await this.options.fleet.link(server),
      (event) => this.options.onEvent?.(event),
      this.options.redaction,
      async () => (await this.options.fleet.docker(server)).docker,
    );
  }
}
