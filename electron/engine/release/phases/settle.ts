import { problemOf, type Problem } from '../../../../shared/problem';
import type { PhaseContext } from './context';

/** How a confirm or rollback that fails ends. */
export interface SettleOptions {
  /**
   * Inside a run's phases the failure is thrown on as it is, and the run's own
   * sequence ends the run (an aborted run, a resume that takes every host back);
   * otherwise (a person's click) the run ends as failed here, and the error is thrown on.
   */
  readonly failureToSequence?: boolean;
}

/**
 * CONFIRM: the new release is live on every host; the lock is freed. The
 * one confirm, for a person's click and for a VERIFY that confirms by itself.
 */
export async function confirm(ctx: PhaseContext, options: SettleOptions = {}): Promise<void> {
  const { run, recorder } = ctx;
  recorder.phase(run, 'CONFIRM', 'running');
  try {
    await ctx.deployer.confirm(run.plan);
  } catch (error) {
    if (!options.failureToSequence) {
      recorder.phase(run, 'CONFIRM', 'failed');
      recorder.status(run, 'failed', problemOf(error));
    }
    throw error;
  }
  recorder.phase(run, 'CONFIRM', 'done');
  recorder.status(run, 'confirmed');
}

/** How a rollback ends, and what is done just before it does. */
export interface RollbackOptions extends SettleOptions {
  /** Done once the hosts are back, before the run ends rolled back (VERIFY settles its judgement here). */
  readonly before?: () => void;
  /** A resume that fails: the run ends rolled back even if sending a host back failed too. */
  readonly whateverHappens?: boolean;
}

/**
 * ROLLBACK: every host back to its previous release and its lock freed; the
 * run ends rolled back with `outcome` as its problem. A failure to send back
 * ends as `options` say (see `SettleOptions`). The one rollback, for a
 * person's click, a rejection, VERIFY's triggers, an abort, and a failed resume.
 */
export async function rollBack(ctx: PhaseContext, outcome: Problem, options: RollbackOptions = {}): Promise<void> {
  const { run, recorder } = ctx;
  recorder.phase(run, 'ROLLBACK', 'running');
  try {
    await ctx.deployer.rollback(run.plan);
  } catch (error) {
    if (!options.whateverHappens) {
      if (!options.failureToSequence) {
        recorder.phase(run, 'ROLLBACK', 'failed');
        recorder.status(run, 'failed', problemOf(error));
      }
      throw error;
    }
  }
  recorder.phase(run, 'ROLLBACK', 'done');
  options.before?.();
  recorder.status(run, 'rolled-back', outcome);
}

/** A run aborted during DEPLOY: the deployer has already sent every switched host back and freed the locks. */
export function endAborted(ctx: PhaseContext, reason: string): void {
  const { run, recorder } = ctx;
  recorder.phase(run, run.phase, 'skipped');
  recorder.status(run, 'rolled-back', {
    code: 'conflict',
    message: `Aborted: ${reason}`,
    hint: 'Every host already switched went back to its previous release.',
  });
}

/** A run that failed before any rollback: its phase and the run end as failed. */
export function endFailed(ctx: PhaseContext, error: unknown): void {
  const { run, recorder } = ctx;
  recorder.phase(run, run.phase, 'failed');
  recorder.status(run, 'failed', problemOf(error));
}
