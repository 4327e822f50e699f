import { containerLogs, startContainer, stopContainer } from '../../../shared/commands/container';
import { imageId } from '../../../shared/commands/image';
import { switchSteps } from '../../../shared/commands/proxy';
import {
  answeredByStep,
  blueGreenDeploySteps,
  retainSteps,
  warmStandbySteps,
} from '../../../shared/commands/release-steps';
import { hostAuditStep } from '../../../shared/commands/host-audit';
import { lockStep, unlockStep } from '../../../shared/commands/lock';
import {
  choosePort,
  listeningPorts,
  servicePaths,
  type HostPlanInput,
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
import type { SshLink } from '../fleet/ssh-link';
import type Docker from 'dockerode';
import { readLockHolder } from './deploy-lock';
import { homeOf, readHostState, type HostServiceState } from './host-state';
import { StepRunner, type StepEvent } from './step-runner';

/** One host of a release: where it runs, what it ran before, and what the deploy will do. */
export interface HostDeploy {
  readonly server: Server;
  readonly input: HostPlanInput;
  readonly state: HostServiceState;
  readonly steps: readonly Step[];
  readonly next: HostRelease;
}

/** A release planned on every host of an environment, before anything changes. */
export interface DeployPlan {
  readonly spec: ServiceSpec;
  readonly release: string;
  readonly holder: LockHolder;
  readonly hosts: readonly HostDeploy[];
}

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
    const secrets = this.options.secretsOf?.(spec) ?? {};
    const readings = await Promise.all(
      servers.map(async (server) => {
        const link = await this.options.fleet.link(server);
        const docker = (await this.options.fleet.docker(server)).docker;
        const home = await homeOf(link);
        const state = await readHostState(link, docker, home, spec.service);
        const imageId = await this.checkImage(link, server, `${spec.image}:${release}`);
        // A standby of this very release, made from the same image and settings, is reused warm rather than started again.
        const standby = state.standby.find((r) => r.release === release);
        const warm =
          standby &&
          (options.reuseStandby || (await sameConfiguration(docker, standby, imageId, { ...spec.env, ...secrets })))
            ? standby
            : undefined;
        return { server, home, state, warm, listening: await listeningOn(link) };
      }),
    );
    // Ports are chosen one host after another, so that hosts sharing a network (as the lab's do) never get the same one.
    const given = new Set<number>();
    const hosts = readings.map(({ server, home, state, warm, listening }) => {
      const held = new Set([...given, ...[state.live, ...state.standby].flatMap((r) => (r ? [r.port] : []))]);
      const port = choosePort(spec.port, listening, held);
      given.add(port);
      const input: HostPlanInput = {
        host: server.name,
        home,
        ...(state.live ? { live: state.live } : {}),
        standby: state.standby,
        proxy: this.options.proxyOf(server, spec),
        port,
      };
      // A release the host still keeps as a standby (an incident's rollback, or one released again) is started again rather than run anew.
      const { steps, next } = warm
        ? warmStandbySteps(spec, warm, input)
        : blueGreenDeploySteps(spec, release, input, secrets);
      return { server, input, state, next, steps: [lockStep(input, spec.service, holder), ...steps] };
    });
    return { spec, release, holder, hosts };
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
    const { kept, steps } = retainSteps(host.server.name, ranked, live, plan.spec.retain);
    for (const step of steps) await this.runStep(host.server, step);
    return kept;
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

  /**
   * Traffic back to the previous release, which must be up first: started if
   * it was stopped (a no-op when it runs warm) and answering its health check.
   */
  private async switchBack(host: HostDeploy, spec?: ServiceSpec): Promise<void> {
    const previous = host.input.live!;
    const runner = await this.runner(host.server);
    if (spec) {
      const warm = await this.runningNow(host.server, previous.container);
      await runner.run({
        kind: 'command',
        host: host.server.name,
        command: startContainer(previous.container, `Make sure ${previous.release} runs (started if it was stopped)`),
      });
      await runner.run({
        kind: 'health',
        host: host.server.name,
        purpose: `Check that ${previous.release} answers before traffic goes back to it`,
        port: previous.port,
        check: spec.healthcheck,
      });
      // A warm standby held its port all along, so nothing else can answer there; one started again must prove it.
      if (!warm) await runner.run(answeredByStep(host.server.name, previous, false));
    }
    for (const step of switchSteps(
      host.input,
      previous.port,
      `Send traffic back to ${previous.release} (port ${previous.port})`,
    ))
      await runner.run(step);
    this.options.onSwitched?.(host.server, false);
  }

  /** Whether a container runs now, read through the Docker API over the host's shared link (no CLI on the rollback path). */
  private async runningNow(server: Server, container: string): Promise<boolean> {
    try {
      const docker = (await this.options.fleet.docker(server)).docker;
      return (await docker.getContainer(container).inspect()).State.Running === true;
    } catch {
      return false;
    }
  }

  private async writeState(
    host: HostDeploy,
    plan: DeployPlan,
    action: string,
    live: HostRelease,
    demoted: HostRelease | undefined,
  ): Promise<void> {
    const standby = [demoted, ...host.input.standby].filter(
      (r, i, all): r is HostRelease =>
        r !== undefined && r.container !== live.container && all.findIndex((o) => o?.container === r.container) === i,
    );
    const state: HostServiceState = {
      service: plan.spec.service,
      live,
      standby: action === 'confirm' ? host.input.standby.filter((r) => r.container !== live.container) : standby,
      history: [
        ...host.state.history,
        {
          at: new Date().toISOString(),
          by: plan.holder.who,
          action,
          release: action === 'rollback' ? live.release : plan.release,
        },
      ].slice(-200),
    };
    await this.runStep(host.server, {
      kind: 'write-file',
      host: host.server.name,
      purpose: `Record that ${live.release} is live`,
      path: servicePaths(host.input.home, plan.spec.service).state,
      content: `${JSON.stringify(state, null, 2)}\n`,
    });
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

  /** The image's id on the host; a clear error when it is not there. */
  private async checkImage(link: SshLink, server: Server, image: string): Promise<string> {
    let id = '';
    const result = await link.exec(imageId(image), { onStdout: (t) => (id += t) });
    if (result.exitCode !== 0) {
      throw new ProblemError({
        code: 'not-found',
        message: `The image ${image} is not on ${server.name}`,
        where: server.name,
        hint: `Build or load it there first (docker pull ${image}, or docker load), then plan again.`,
      });
    }
    return id.trim();
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

/**
 * Whether a kept container runs what a new one would: the same image (the tag
 * may have been rebuilt since) and the same environment, secrets included
 * (variables the image itself sets aside). Compared in memory, never written.
 */
async function sameConfiguration(
  docker: Docker,
  kept: HostRelease,
  imageId: string,
  env: Readonly<Record<string, string>>,
): Promise<boolean> {
  const info = await docker
    .getContainer(kept.container)
    .inspect()
    .catch(() => undefined);
  if (!info || info.Image !== imageId) return false;
  const imageEnv = new Set(
    (
      await docker
        .getImage(imageId)
        .inspect()
        .catch(() => undefined)
    )?.Config?.Env ?? [],
  );
  const wanted = new Set(Object.entries({ ...env, PORT: String(kept.port) }).map(([k, v]) => `${k}=${v}`));
  const actual = new Set(info.Config.Env ?? []);
  return [...wanted].every((e) => actual.has(e)) && [...actual].every((e) => wanted.has(e) || imageEnv.has(e));
}

/** Ports something listens on at the host, read from /proc (over SFTP, or exec where the server has none; IPv4 and IPv6). */
async function listeningOn(link: SshLink): Promise<Set<number>> {
  const read = (path: string) => link.readFile(path).catch(() => '');
  const [v4, v6] = await Promise.all([read('/proc/net/tcp'), read('/proc/net/tcp6')]);
  return new Set([...listeningPorts(v4), ...listeningPorts(v6)]);
}
