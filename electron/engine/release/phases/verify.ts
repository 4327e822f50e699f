import type { Step } from '../../../../shared/deploy-plan';
import { problemOf } from '../../../../shared/problem';
import type { Judgement } from '../../../../shared/verify';
import { confirm, rollBack } from './settle';
import type { PhaseContext } from './context';
import type { Measuring } from '../run-state';

/** VERIFY settles inside the run's sequence, which ends the run if a confirm or rollback fails. */
const inSequence = { failureToSequence: true } as const;

/**
 * VERIFY, then what it found decides: the health steps and post-deploy
 * hooks, the evidence, the samples judged (with metrics), then Shipdeck
 * confirms, rolls back, or waits for a person. One path for a run and its resume.
 */
export async function verify(ctx: PhaseContext, steps: readonly Step[]): Promise<void> {
  const { run, recorder } = ctx;
  recorder.phase(run, 'VERIFY', 'running');
  try {
    for (const step of steps) await ctx.steps.run(step);
  } catch (error) {
    // The new release stopped passing its health check after the switch: the rules roll back at once.
    run.checks.evidence('health-passing', 'failed', problemOf(error).message);
    recorder.phase(run, 'VERIFY', 'failed');
    await rollBack(ctx, problemOf(error), inSequence);
    return;
  }
  const { healthcheck } = run.plan.spec;
  run.checks.evidence(
    'health-passing',
    'done',
    run.plan.hosts
      .map(
        (h) =>
          `${h.server.name}: ${h.next.release} answers ${healthcheck.path} with ${healthcheck.status} after the switch and is running`,
      )
      .join('; '),
  );
  const logs = await ctx.hosts.logsClean();
  run.checks.evidence('logs-clean', logs.ok ? 'done' : 'failed', logs.evidence);
  if (!run.plan.spec.verification)
    run.checks.evidence(
      'error-rate-normal',
      'n/a',
      'The spec measures no metrics (add `metrics` to judge the error rate)',
    );
  if (run.verification && run.abort === undefined) {
    const judgement = await run.verification.run(() => run.abort !== undefined);
    errorRateEvidence(ctx, judgement);
    if (run.abort === undefined && (await act(ctx, run.verification, judgement))) return;
  }
  recorder.phase(run, 'VERIFY', 'done');
  if (run.abort !== undefined) {
    await rollBack(ctx, { code: 'conflict', message: `Aborted: ${run.abort}` }, inSequence);
    return;
  }
  recorder.status(run, 'awaiting-decision');
}

/** The error-rate item from VERIFY's card: normal only if it passed. */
function errorRateEvidence(ctx: PhaseContext, judgement: Judgement): void {
  const card = judgement.cards.find((c) => c.metric === 'error rate');
  if (!card) return;
  ctx.run.checks.evidence(
    'error-rate-normal',
    card.verdict === 'pass' ? 'done' : card.verdict === 'fail' ? 'failed' : 'open',
    `${card.verdict}: ${card.reason}`,
  );
}

/**
 * Do what the judgement says: roll back by itself (or ask, if the service
 * wants a person to), ask on a gray zone or a metric that could not be
 * measured, confirm a pass (or wait for a person). True when the run ended here.
 */
async function act(ctx: PhaseContext, verification: Measuring, judgement: Judgement): Promise<boolean> {
  const { run, recorder } = ctx;
  const { verify: rules } = run.plan.spec.verification!;
  if (judgement.decision === 'rollback' && rules.onFail === 'rollback') {
    ctx.log(`run ${run.id}: VERIFY says roll back: ${judgement.reason}`);
    recorder.phase(run, 'VERIFY', 'failed');
    await rollBack(
      ctx,
      {
        code: 'verify-failed',
        message: `Rolled back by Shipdeck: ${judgement.reason}`,
        where: 'VERIFY',
        hint: 'The decision cards show the values, the test, the interval and the threshold behind it.',
      },
      { ...inSequence, before: () => verification.settle('rolled-back') },
    );
    return true;
  }
  if (judgement.decision === 'pass' && rules.onPass === 'confirm' && run.checks.blockers('CONFIRM').length === 0) {
    recorder.phase(run, 'VERIFY', 'done');
    verification.settle('confirmed');
    await confirm(ctx, inSequence);
    return true;
  }
  // Roll back when the service asks first, a gray zone, an Error, or a pass a person confirms: the run waits.
  if (judgement.decision !== 'pass') verification.settle('asked');
  return false;
}
