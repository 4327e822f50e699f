import { problemOf } from '../../../../shared/problem';
import type { ResumePlan } from '../recovery';
import type { Preview } from '../run-state';
import { backup } from './backup';
import type { PhaseContext } from './context';
import { deploy, deployAgain } from './deploy';
import { prepare } from './prepare';
import { endAborted, endFailed, rollBack } from './settle';
import { verify } from './verify';

/** A run from PREPARE to VERIFY's decision, the phases one after another; how it ends is recorded, never thrown. */
export async function release(ctx: PhaseContext, previewed: Preview): Promise<void> {
  const { run, recorder } = ctx;
  try {
    await prepare(ctx);
    recorder.phase(run, 'PREPARE', 'done');
    await backup(ctx, previewed);
    await deploy(ctx, previewed.preDeploy);
    await verify(ctx, [...previewed.verify, ...previewed.postDeploy]);
  } catch (error) {
    if (run.abort !== undefined) endAborted(ctx, run.abort);
    else endFailed(ctx, error);
  }
}

/** An interrupted run resumed: DEPLOY again where it is needed, then VERIFY; a failure takes every host back. */
export async function resumeRelease(ctx: PhaseContext, plan: ResumePlan): Promise<void> {
  const { run, recorder } = ctx;
  try {
    await deployAgain(ctx, plan.deploy, plan.servingBefore);
    // VERIFY measures again; what it and PREPARE journaled before the stop is kept and judged with what it takes now.
    if (run.plan.spec.verification) run.verification = ctx.measure(ctx.samples());
    await verify(ctx, plan.verify);
  } catch (error) {
    // A resume that fails takes every host back, those switched before the crash included.
    recorder.phase(run, run.phase, 'failed');
    await rollBack(ctx, problemOf(error), { whateverHappens: true });
  }
}
