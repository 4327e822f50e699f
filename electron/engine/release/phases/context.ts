import type { Step } from '../../../../shared/deploy-plan';
import type { FreezeRule } from '../../../../shared/freeze';
import type { RunSamples } from '../../../../shared/verify';
import type { DeployPlan } from '../host-plan';
import type { Finding } from '../run-evidence';
import type { RunRecorder } from '../run-recorder';
import type { ActiveRun, Measuring } from '../run-state';
import type { StepEvent } from '../step-runner';

/** Runs one step of the run on its host, recording it as it goes; `also` sees each event too. */
export interface RunSteps {
  run(step: Step, also?: (event: StepEvent) => void): Promise<void>;
}

/** What moves traffic and locks for the run (its `Deployer`). */
export interface ReleaseMoves {
  deploy(plan: DeployPlan): Promise<void>;
  deployLocked(plan: DeployPlan): Promise<void>;
  rollback(plan: DeployPlan): Promise<void>;
  confirm(plan: DeployPlan): Promise<void>;
}

/** What the phases read from the run's hosts as evidence (over the fleet). */
export interface HostReadings {
  reachable(): Promise<Finding>;
  healthBaseline(): Promise<Finding>;
  logsClean(): Promise<Finding>;
}

/** Everything a phase needs, and nothing else: the run, where it records, how it runs steps, its hosts and the clock. */
export interface PhaseContext {
  readonly run: ActiveRun;
  readonly recorder: RunRecorder;
  readonly steps: RunSteps;
  readonly deployer: ReleaseMoves;
  readonly hosts: HostReadings;
  /** The run's measuring for VERIFY (metrics), from the samples journaled so far when resuming. */
  readonly measure: (journaled?: RunSamples) => Measuring;
  /** What the run's journal holds of its samples. */
  readonly samples: () => RunSamples;
  readonly freezeRules: () => readonly FreezeRule[];
  /** The time freeze windows are judged at. */
  readonly now: () => Date;
  readonly log: (message: string) => void;
}
