import { containerLogs } from '../../../shared/commands/container';
import type { Assessment } from '../../../shared/incident';
import { ProblemError } from '../../../shared/problem';
import type { Server } from '../../../shared/server';
import type { Fleet } from '../fleet/fleet';
import { httpGetOverLink } from '../fleet/http-over-link';
import type { Inventory } from '../inventory';
import { homeOf, readHostState } from '../release/host-state';
import type { ServiceStore } from '../release/service-store';

/** What an assessment reads: the service's hosts, and how to reach them. */
export interface AssessmentSources {
  readonly fleet: Fleet;
  readonly inventory: Inventory;
  readonly services: ServiceStore;
}

/** ASSESS: every host of the service's environment, read now: reachable, which release is live, whether it runs and answers its health check. */
export async function assessEnvironment(
  sources: AssessmentSources,
  service: string,
  environment: string,
): Promise<Assessment> {
  const spec = sources.services.get(service);
  const hosts = await Promise.all(
    (spec.servers[environment] ?? []).map((name) => assessHost(sources, name, service, spec.healthcheck)),
  );
  const healthy = hosts.filter((h) => h.health?.healthy).length;
  const sick = hosts
    .filter((h) => !h.health?.healthy)
    .map((h) => `${h.server} (${h.problem ?? (h.health ? `health ${h.health.status}` : 'no answer')})`);
  const summary = `${healthy} of ${hosts.length} hosts healthy${sick.length ? `; not: ${sick.join(', ')}` : ''}`;
  return { at: new Date().toISOString(), service, environment, hosts, summary };
}

/** The assessment as the incident's timeline keeps it: the summary, then each host. */
export function assessmentText(assessment: Assessment): string {
  const { service, environment, summary, hosts } = assessment;
  return `Assessed ${service} on ${environment}: ${summary}. ${hosts.map((h) => `${h.server}: ${h.live ?? 'nothing'} live${h.running === false ? ' (not running)' : ''}${h.health ? `, health ${h.health.status} in ${h.health.ms} ms` : ''}`).join('; ')}`;
}

/** The last 100 lines of the service's live container on that host. */
export async function logsCommand(fleet: Fleet, server: Server, service: string) {
  const link = await fleet.link(server);
  const docker = await fleet.docker(server);
  const state = await readHostState(link, docker.docker, await homeOf(link), service);
  if (!state.live)
    throw new ProblemError({
      code: 'not-found',
      message: `${service} has no live release on ${server.name}`,
      where: server.name,
    });
  return containerLogs(state.live.container, 100, `Show the last 100 lines ${service} ${state.live.release} wrote`);
}

async function assessHost(
  sources: AssessmentSources,
  name: string,
  service: string,
  check: { path: string; status: number; timeoutMs: number },
): Promise<Assessment['hosts'][number]> {
  const server = sources.inventory.findByName(name);
  if (!server) return { server: name, reachable: false, problem: 'not in the inventory' };
  try {
    const link = await sources.fleet.link(server);
    const docker = await sources.fleet.docker(server);
    const state = await readHostState(link, docker.docker, await homeOf(link), service);
    if (!state.live) {
      // The host's record names the release it made live last; a stopped one is no longer counted as live, but it is what broke.
      const last = state.history.at(-1);
      const meant = last ? state.standby.find((r) => r.release === last.release) : undefined;
      if (!meant) return { server: name, reachable: true, problem: 'no live release' };
      return {
        server: name,
        reachable: true,
        live: meant.release,
        container: meant.container,
        running: false,
        problem: `${meant.release} (${meant.container}) is not running`,
      };
    }
    const info = await docker.docker
      .getContainer(state.live.container)
      .inspect()
      .catch(() => undefined);
    const running = info?.State.Running === true;
    const started = Date.now();
    const health = await httpGetOverLink(link, state.live.port, check.path, check.timeoutMs).then(
      (answer) => ({ status: answer.status, ms: Date.now() - started, healthy: answer.status === check.status }),
      () => undefined,
    );
    return {
      server: name,
      reachable: true,
      live: state.live.release,
      container: state.live.container,
      running,
      ...(health ? { health } : { problem: 'the health check did not answer' }),
    };
  } catch (error) {
    return {
      server: name,
      reachable: false,
      problem: error instanceof ProblemError ? error.problem.message : String(error),
    };
  }
}
