import type { Step } from '../../../shared/deploy-plan';
import type { Phase, PlannedStep, StepRecord } from '../../../shared/run';
import { describeStep } from './step-runner';

/**
 * The journaled steps of a run being resumed, for the steps it runs again: a
 * rebuilt step that repeats one of them (same phase, host and exact line)
 * takes its id, so the journal and the run view replace the earlier copy
 * rather than show it beside the new one. Each journaled step is taken once.
 */
export class ResumedSteps {
  private readonly taken = new Set<string>();

  constructor(private readonly journaled: readonly StepRecord[]) {}

  /** The journaled step that `step` repeats in `phase`, with how it last stood; undefined for a step the run never planned. */
  repeat(phase: Phase, step: Step): { readonly planned: PlannedStep; readonly state: StepRecord['state'] } | undefined {
    const line = describeStep(step);
    const earlier = this.journaled.find(
      (s) => !this.taken.has(s.id) && s.phase === phase && s.host === step.host && s.line === line,
    );
    if (!earlier) return undefined;
    this.taken.add(earlier.id);
    const { id, host, purpose } = earlier;
    return { planned: { id, phase, host, purpose, line }, state: earlier.state };
  }
}
