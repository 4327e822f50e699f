import { imageId } from '../../../shared/commands/image';
import { blueGreenDeploySteps, warmStandbySteps } from '../../../shared/commands/release-steps';
import { lockStep } from '../../../shared/commands/lock';
import {
  choosePort,
  listeningPorts,
  type HostPlanInput,
  type HostRelease,
  type LockHolder,
  type ProxyTarget,
  type Step,
} from '../../../shared/deploy-plan';
import { ProblemError } from '../../../shared/problem';
import type { Server } from '../../../shared/server';
import type { ServiceSpec } from '../../../shared/service-spec';
import type { Fleet } from '../fleet/fleet';
import type { SshLink } from '../fleet/ssh-link';
import type Docker from 'dockerode';
import { homeOf, readHostState, type HostServiceState } from './host-state';

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

/** What planning reads from: the fleet's links, each server's nginx, and the spec's secrets. */
export interface PlanSources {
  readonly fleet: Fleet;
  readonly proxyOf: (server: Server, spec: ServiceSpec) => ProxyTarget;
  readonly secretsOf?: (spec: ServiceSpec) => Readonly<Record<string, string>>;
}

/** PREPARE: read each host's state and plan every step, changing nothing. */
export async function planHosts(
  sources: PlanSources,
  spec: ServiceSpec,
  release: string,
  servers: readonly Server[],
  holder: LockHolder,
  options: { readonly reuseStandby?: boolean } = {},
): Promise<DeployPlan> {
  const secrets = sources.secretsOf?.(spec) ?? {};
  const readings = await Promise.all(
    servers.map(async (server) => {
      const link = await sources.fleet.link(server);
      const docker = (await sources.fleet.docker(server)).docker;
      const home = await homeOf(link);
      const state = await readHostState(link, docker, home, spec.service);
      const imageId = await checkImage(link, server, `${spec.image}:${release}`);
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
      proxy: sources.proxyOf(server, spec),
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

/** The image's id on the host; a clear error when it is not there. */
async function checkImage(link: SshLink, server: Server, image: string): Promise<string> {
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
