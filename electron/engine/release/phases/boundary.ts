import type { ChecklistPhase } from '../../../../shared/checklist';
import type { Boundary } from '../../../../shared/gates';
import type { Step } from '../../../../shared/deploy-plan';
import { problemOf } from '../../../../shared/problem';
import { stopIfAborted } from '../run-state';
import type { PhaseContext } from './context';

/** Wait at a boundary until nothing blocks; paused meanwhile. A rollback (abort) ends the wait. */
export async function pass(ctx: PhaseContext, at: Boundary): Promise<void> {
  const { run, recorder } = ctx;
  await run.checks.until(
    at,
    () => run.checks.blockers(at),
    () => run.abort !== undefined,
    (waiting) => recorder.waiting(run, waiting),
  );
  stopIfAborted(run);
}

/** A step of BACKUP or a pre-deploy hook that fails stops the run at a gate: override to go on, or roll back. */
export async function runStepOrStop(ctx: PhaseContext, step: Step, phase: ChecklistPhase): Promise<void> {
  const { run, recorder } = ctx;
  try {
    await ctx.steps.run(step);
  } catch (error) {
    const problem = problemOf(error);
    const planned = run.ids.get(step);
    run.checks.meet('unexpected-step', phase, `${planned ? `Step ${planned.id}: ` : ''}${problem.message}`);
    await run.checks.until(
      'DEPLOY',
      () => run.checks.openGates(),
      () => run.abort !== undefined,
      (waiting) => recorder.waiting(run, waiting),
    );
    stopIfAborted(run);
  }
}
