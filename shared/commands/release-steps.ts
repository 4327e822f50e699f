import type { HostPlanInput, HostRelease, Step } from '../deploy-plan';
import type { ServiceSpec } from '../service-spec';
import { containerName, removeContainer, runRelease, startContainer } from './container';
import { switchSteps } from './proxy';

/** Blue-green on one host: the new release beside the live one, healthy before any traffic moves. */
export function blueGreenDeploySteps(
  spec: ServiceSpec,
  release: string,
  input: HostPlanInput,
  secrets: Readonly<Record<string, string>> = {},
): { steps: Step[]; next: HostRelease } {
  const port = input.port;
  const name = containerName(spec.service, release, port);
  const steps: Step[] = [];
  steps.push({
    kind: 'command',
    host: input.host,
    command: removeContainer(name, `Remove any earlier container named ${name}`),
    allowFailure: true,
  });
  steps.push({ kind: 'command', host: input.host, command: runRelease(spec, release, port, secrets) });
  steps.push({
    kind: 'health',
    host: input.host,
    purpose: `Wait until ${release} answers ${spec.healthcheck.path} with ${spec.healthcheck.status}`,
    port,
    check: spec.healthcheck,
  });
  // The answer must have come from our container, not from a process that took the port after planning.
  steps.push(answeredByStep(input.host, { release, container: name, port }, true));
  steps.push(...switchSteps(input, port, `Send traffic to ${release} (port ${port})`));
  return { steps, next: { release, container: name, port } };
}

/**
 * Back to a release the host keeps as a standby (a rollback after confirm, in
 * an incident): no new container, the kept one is started if it was stopped,
 * checked healthy, then traffic moves to it. It runs with the configuration
 * of its own time.
 */
export function warmStandbySteps(
  spec: ServiceSpec,
  kept: HostRelease,
  input: HostPlanInput,
): { steps: Step[]; next: HostRelease } {
  const steps: Step[] = [
    {
      kind: 'command',
      host: input.host,
      command: startContainer(
        kept.container,
        `Make sure ${kept.release}, kept as a standby, runs (started if it was stopped)`,
      ),
    },
    {
      kind: 'health',
      host: input.host,
      purpose: `Wait until ${kept.release} answers ${spec.healthcheck.path} with ${spec.healthcheck.status}`,
      port: kept.port,
      check: spec.healthcheck,
    },
    answeredByStep(input.host, kept, false),
    ...switchSteps(input, kept.port, `Send traffic to ${kept.release} (port ${kept.port})`),
  ];
  return { steps, next: kept };
}

/**
 * The deploy steps that bring a host to `next` again (a resumed run): a new
 * container is run anew, a kept standby the plan reused is started warm, as planned.
 */
export function stepsTowards(
  spec: ServiceSpec,
  next: HostRelease,
  input: HostPlanInput,
  secrets: Readonly<Record<string, string>> = {},
): Step[] {
  return next.container === containerName(spec.service, next.release, input.port)
    ? blueGreenDeploySteps(spec, next.release, input, secrets).steps
    : warmStandbySteps(spec, next, input).steps;
}

/**
 * Check that the release is the process that answered on its port: it runs,
 * it holds the listening socket, and (`fresh`, a container just started) it
 * never restarted, as one that crash-loops on a taken port does.
 */
export function answeredByStep(host: string, release: HostRelease, fresh: boolean): Step {
  return {
    kind: 'answered-by',
    host,
    purpose: `Check that ${release.release} is the process that answered (${release.container} holds port ${release.port}${fresh ? ', never restarted' : ''})`,
    container: release.container,
    port: release.port,
    fresh,
  };
}

/**
 * What a host keeps of a service besides its live release: the first `retain`
 * of `candidates` (in the order the caller ranks them, live excluded, each
 * container once), whatever became of them (standby, rolled back, failed).
 * Every other container of the service is removed, so none piles up untracked.
 */
export function retainSteps(
  host: string,
  candidates: readonly (HostRelease | undefined)[],
  live: HostRelease | undefined,
  retain: number,
): { kept: HostRelease[]; steps: Step[] } {
  const unique = candidates.filter(
    (r, i, all): r is HostRelease =>
      r !== undefined && r.container !== live?.container && all.findIndex((o) => o?.container === r.container) === i,
  );
  const steps: Step[] = unique.slice(retain).map((old) => ({
    kind: 'command',
    host,
    command: removeContainer(
      old.container,
      `Remove ${old.release} (${old.container}), beyond the ${retain} releases kept`,
    ),
    allowFailure: true,
  }));
  return { kept: unique.slice(0, retain), steps };
}
