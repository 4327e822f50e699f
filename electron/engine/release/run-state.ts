import type { ChangeInfo } from '../../../shared/checklist';
import type { GateId } from '../../../shared/gates';
import type { Step } from '../../../shared/deploy-plan';
import { ProblemError } from '../../../shared/problem';
import type { Phase, PlannedStep, Promotion, RunPreview, RunStatus, VerificationRecord } from '../../../shared/run';
import type { Judgement } from '../../../shared/verify';
import type { DeployPlan } from './host-plan';
import { RunChecks, type ChecksOutput } from './run-checks';
import type { Finding } from './run-evidence';

/** What VERIFY measures with, when the spec asks for metrics (a `Verification`, or a fake in tests). */
export interface Measuring {
  sampleBaseline(aborted: () => boolean): Promise<void>;
  run(aborted: () => boolean): Promise<Judgement>;
  settle(acted: NonNullable<VerificationRecord['acted']>): VerificationRecord;
}

/** A plan shown to the user and not yet run; it runs exactly as shown. */
export interface Preview {
  readonly preview: RunPreview;
  readonly plan: DeployPlan;
  readonly backup: readonly Step[];
  readonly preDeploy: readonly Step[];
  readonly verify: readonly Step[];
  readonly postDeploy: readonly Step[];
  readonly ids: Map<Step, PlannedStep>;
  /** Each backup artifact check, with the host and path it reads. */
  readonly artifacts: Map<Step, { readonly host: string; readonly path: string }>;
}

/** A run this engine is driving, or one found interrupted in the journal. */
export interface ActiveRun {
  readonly id: string;
  readonly plan: DeployPlan;
  readonly ids: Map<Step, PlannedStep>;
  readonly environment: string;
  /** The staging run this production run was promoted from, if any. */
  readonly promotedFrom?: Promotion;
  phase: Phase;
  status: RunStatus;
  busy: boolean;
  readonly phaseStarts: Map<Phase, string>;
  /** Set when a person rolls back while the run still works: it stops at the next step and undoes. */
  abort?: string;
  /** The number of the next step id; ids never repeat within a run, across restarts too. */
  nextStep: number;
  done?: Promise<void>;
  /** The evidence VERIFY gathers, when the spec asks for metrics. */
  verification?: Measuring;
  /** Its checklist, gates, approvals and sign-off. */
  readonly checks: RunChecks;
  readonly change: ChangeInfo;
  /** Overrides given when the run started, for gates the preview met. */
  readonly overrides: readonly { readonly gate: GateId; readonly reason: string }[];
  /** What each backup artifact check read. */
  artifactFindings?: Finding[];
}

/** Stop a run a person rolled back (or whose journal failed) before its next step. */
export function stopIfAborted(run: ActiveRun): void {
  if (run.abort !== undefined) throw new ProblemError({ code: 'conflict', message: `Aborted: ${run.abort}` });
}

/** How a step's purpose reads, whatever its kind. */
export function purposeOf(step: Step): string {
  return step.kind === 'command' ? step.command.purpose : step.purpose;
}

/** A run as it starts from a previewed plan: in PREPARE, busy, its checklist from the preview. */
export function startedRun(
  id: string,
  previewed: Preview,
  startedBy: string,
  overrides: readonly { gate: GateId; reason: string }[],
  checksOutput: ChecksOutput,
): ActiveRun {
  const { preview, plan, ids } = previewed;
  const state = { checklist: preview.checklist, gates: [], approvals: [] };
  const checks = new RunChecks(id, preview.discipline, startedBy, state, checksOutput, () => new Date());
  return {
    id,
    plan: { ...plan, holder: { ...plan.holder, runId: id } },
    ids,
    environment: preview.environment,
    ...(preview.promotedFrom ? { promotedFrom: preview.promotedFrom } : {}),
    phase: 'PREPARE',
    status: 'running',
    busy: true,
    phaseStarts: new Map(),
    nextStep: ids.size + 1,
    checks,
    change: preview.change,
    overrides,
  };
}

/** The run is busy while `work` settles it. */
export async function whileBusy(run: ActiveRun, work: () => Promise<void>): Promise<void> {
  run.busy = true;
  try {
    await work();
  } finally {
    run.busy = false;
  }
}

/** A run that waits for a person (or was interrupted): the one a confirm or rollback may settle. */
export function decidable<T extends { readonly run: ActiveRun }>(ctx: T | undefined, runId: string): T {
  if (!ctx)
    throw new ProblemError({
      code: 'not-found',
      message: `Run ${runId} is not waiting for a decision`,
      hint: 'It may have ended already; reload the run.',
    });
  const { run } = ctx;
  if (run.busy)
    throw new ProblemError({
      code: 'conflict',
      message: `Run ${runId} is still working (${run.phase})`,
      hint: 'Wait until it waits for a decision.',
    });
  if (run.status !== 'awaiting-decision' && run.status !== 'interrupted')
    throw new ProblemError({ code: 'conflict', message: `Run ${runId} has ended (${run.status})` });
  return ctx;
}
