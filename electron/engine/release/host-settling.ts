import { startContainer } from '../../../shared/commands/container';
import { switchSteps } from '../../../shared/commands/proxy';
import { answeredByStep, retainSteps } from '../../../shared/commands/release-steps';
import { servicePaths, type HostRelease, type Step } from '../../../shared/deploy-plan';
import type { Server } from '../../../shared/server';
import type { ServiceSpec } from '../../../shared/service-spec';
import type { Fleet } from '../fleet/fleet';
import type { DeployPlan, HostDeploy } from './host-plan';
import type { HostServiceState } from './host-state';
import type { StepRunner } from './step-runner';

/**
 * Traffic back to the previous release, which must be up first: started if
 * it was stopped (a no-op when it runs warm) and answering its health check.
 * Without a spec (undoing a failed deploy) only the switch itself runs.
 */
export async function switchBack(
  fleet: Fleet,
  runner: StepRunner,
  host: HostDeploy,
  spec?: ServiceSpec,
): Promise<void> {
  const previous = host.input.live!;
  if (spec) {
    const warm = await runningNow(fleet, host.server, previous.container);
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
}

/** Whether a container runs now, read through the Docker API over the host's shared link (no CLI on the rollback path). */
async function runningNow(fleet: Fleet, server: Server, container: string): Promise<boolean> {
  try {
    const docker = (await fleet.docker(server)).docker;
    return (await docker.getContainer(container).inspect()).State.Running === true;
  } catch {
    return false;
  }
}

/** Remove the service's containers on the host beyond `retain` (ranked by the caller), returning those kept. */
export async function keepRetained(
  run: (step: Step) => Promise<void>,
  host: HostDeploy,
  plan: DeployPlan,
  ranked: readonly (HostRelease | undefined)[],
  live: HostRelease | undefined,
): Promise<HostRelease[]> {
  const { kept, steps } = retainSteps(host.server.name, ranked, live, plan.spec.retain);
  for (const step of steps) await run(step);
  return kept;
}

/** The write of the host's state file after an outcome: the release now live, the standbys kept, and the history line. */
export function hostStateStep(
  host: HostDeploy,
  plan: DeployPlan,
  action: string,
  live: HostRelease,
  demoted: HostRelease | undefined,
): Step {
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
  return {
    kind: 'write-file',
    host: host.server.name,
    purpose: `Record that ${live.release} is live`,
    path: servicePaths(host.input.home, plan.spec.service).state,
    content: `${JSON.stringify(state, null, 2)}\n`,
  };
}
