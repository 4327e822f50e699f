import type { Step } from '../../../../shared/deploy-plan';
import type { DeployPlan } from '../host-plan';
import { deployed } from '../run-evidence';
import { stopIfAborted } from '../run-state';
import { pass, runStepOrStop } from './boundary';
import type { PhaseContext } from './context';

/**
 * DEPLOY: the pre-deploy hooks, a last wait for anything that blocks, then
 * the deployer locks every host and switches them (sending every switched
 * host back itself if one fails or the run is aborted).
 */
export async function deploy(ctx: PhaseContext, preDeploy: readonly Step[]): Promise<void> {
  const { run, recorder } = ctx;
  recorder.phase(run, 'DEPLOY', 'running');
  for (const step of preDeploy) {
    stopIfAborted(run);
    await runStepOrStop(ctx, step, 'DEPLOY');
  }
  await pass(ctx, 'DEPLOY');
  await ctx.deployer.deploy(run.plan);
  run.checks.evidence('deployed', 'done', deployed(run.plan.hosts, run.plan.spec.healthcheck.path).evidence);
  recorder.phase(run, 'DEPLOY', 'done');
}

/** DEPLOY again for a resumed run, under the lock it still holds; hosts in `servingBefore` were already on the new release. */
export async function deployAgain(
  ctx: PhaseContext,
  resumed: DeployPlan,
  servingBefore: ReadonlySet<string>,
): Promise<void> {
  const { run, recorder } = ctx;
  recorder.phase(run, 'DEPLOY', 'running');
  await ctx.deployer.deployLocked(resumed);
  run.checks.evidence(
    'deployed',
    'done',
    deployed(run.plan.hosts, run.plan.spec.healthcheck.path, servingBefore).evidence,
  );
  recorder.phase(run, 'DEPLOY', 'done');
}
