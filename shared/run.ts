import type { ChangeInfo, Checklist, ChecklistItem, Discipline } from './checklist';
import type { Approval, Blocker, Boundary, GateId, GateRecord, SignOff } from './gates';
import type { Problem } from './problem';
import type { ServiceSpec, SpecIssue } from './service-spec';
import type { Comparison, Judgement, Thresholds } from './verify';

/** The five phases of a release, in order; a run ends in CONFIRM or ROLLBACK. */
export const phases = ['PREPARE', 'BACKUP', 'DEPLOY', 'VERIFY', 'CONFIRM', 'ROLLBACK'] as const;
export type Phase = (typeof phases)[number];

/** A service the user keeps: its YAML as written, and what validation made of it. */
export interface ServiceEntry {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly spec?: ServiceSpec;
  readonly issues: readonly SpecIssue[];
  /** Which of the spec's `secrets` have a value in Shipdeck's vault (the values never leave the engine). */
  readonly secretsSet?: readonly string[];
}

/** One step of a plan as the preview shows it. */
export interface PlannedStep {
  readonly id: string;
  readonly phase: Phase;
  readonly host: string;
  readonly purpose: string;
  /** The exact command line, check or write that runs. */
  readonly line: string;
}

/** What a release will do, host by host, before anything changes. */
export interface RunPreview {
  readonly previewId: string;
  readonly service: string;
  readonly environment: string;
  readonly version: string;
  readonly hosts: readonly { readonly server: string; readonly live?: string; readonly port: number }[];
  readonly steps: readonly PlannedStep[];
  /** What the user said about the change, and the discipline its class asks for. */
  readonly change: ChangeInfo;
  readonly discipline: Discipline;
  /** The checklist the run will be worked through (nothing ticked yet). */
  readonly checklist: Checklist;
  /** Stop gates already met at planning (an override with a reason lets the run start past them). */
  readonly gates: readonly { readonly gate: GateId; readonly detail: string }[];
  /** A production release: the staging run of the same release it is promoted from. */
  readonly promotedFrom?: Promotion;
}

/** The passed staging run a production release is promoted from. */
export interface Promotion {
  readonly runId: string;
  readonly endedAt: string;
  readonly who: string;
}

/** What a paused run waits for before it passes a point. */
export interface Waiting {
  readonly at: Boundary;
  readonly since: string;
  readonly blockers: readonly Blocker[];
}

/**
 * running: working; paused: stopped at a checklist, a gate or an approval
 * until a person acts; awaiting-decision: VERIFY is done, confirm or roll back.
 */
/** `unreadable` is only ever listed: a journal that holds no run (its start never reached the disk) or cannot be read. */
export type RunStatus =
  'running' | 'paused' | 'awaiting-decision' | 'confirmed' | 'rolled-back' | 'failed' | 'interrupted' | 'unreadable';

/** A step as it ran: its output and how it ended (unfinished: Shipdeck stopped while it ran, and its end never came). */
export interface StepRecord extends PlannedStep {
  readonly state: 'pending' | 'running' | 'ok' | 'failed' | 'skipped' | 'unfinished';
  /** What it printed, chunk by chunk, with when each chunk came (ISO time; absent in runs recorded before). */
  readonly output: readonly { readonly stream: 'stdout' | 'stderr'; readonly text: string; readonly t?: string }[];
  readonly exitCode?: number | null;
  readonly durationMs?: number;
  readonly detail?: string;
}

export interface PhaseRecord {
  readonly phase: Phase;
  readonly state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  readonly startedAt?: string;
  readonly endedAt?: string;
}

/** Everything a run is: plan, progress, output, outcome. Rebuilt from its journal. */
export interface RunRecord {
  readonly id: string;
  readonly service: string;
  readonly environment: string;
  readonly version: string;
  readonly notes: string;
  readonly who: string;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly status: RunStatus;
  readonly phases: readonly PhaseRecord[];
  readonly steps: readonly StepRecord[];
  readonly hosts: readonly {
    readonly server: string;
    readonly previous?: string;
    readonly next: string;
    readonly port: number;
    readonly switched: boolean;
  }[];
  readonly problem?: Problem;
  /** The spec the run used, so a rollback uses the configuration of its own time. */
  readonly spec: ServiceSpec;
  /** For an interrupted run: what each host really does now, read from it when the run is opened. */
  readonly actual?: readonly HostActual[];
  /** The evidence VERIFY gathered and judged, when the spec asks for metrics. */
  readonly verification?: VerificationRecord;
  /** Who started it, by the name they gave (the engine's login is `who`). */
  readonly startedBy: string;
  readonly change: ChangeInfo;
  readonly discipline: Discipline;
  readonly checklist: Checklist;
  readonly gates: readonly GateRecord[];
  readonly approvals: readonly Approval[];
  readonly signOff?: SignOff;
  /** Set while the run is paused: where, and what it waits for. */
  readonly waiting?: Waiting;
  readonly promotedFrom?: Promotion;
}

export type { ChecklistItem };

/** A run's verification: how it compared, how far sampling got, and the latest judgement (the one acted on, once decided). */
export interface VerificationRecord {
  readonly comparison: Comparison;
  readonly thresholds: Thresholds;
  readonly state: 'baseline' | 'sampling' | 'decided';
  readonly baselineSamples: number;
  readonly candidateSamples: number;
  readonly needed: number;
  readonly judgement?: Judgement;
  /** What Shipdeck did about the judgement: confirmed or rolled back by itself, or asked a person. */
  readonly acted?: 'confirmed' | 'rolled-back' | 'asked';
}

/** What a host serves and who holds the service's lock there, as read from the host itself. */
export interface HostActual {
  readonly server: string;
  /** The release nginx sends traffic to (previous, next, or unknown with its port). */
  readonly serving?: string;
  readonly lockHeldBy?: string;
  /** Why the host could not be read. */
  readonly problem?: Problem;
}

/**
 * A run in the list: enough for History's filters and search, and for the
 * delivery metrics (phases give when a failure started and a rollback ended).
 */
export type RunSummary = Pick<
  RunRecord,
  | 'id'
  | 'service'
  | 'environment'
  | 'version'
  | 'who'
  | 'startedAt'
  | 'endedAt'
  | 'status'
  | 'startedBy'
  | 'notes'
  | 'phases'
> & {
  readonly class?: RunRecord['discipline']['class'];
  readonly signedOff?: boolean;
  /** A production release: the id of the staging run it was promoted from. */
  readonly promotedFrom?: string;
  /** Why the run's journal cannot be read (status `unreadable`): what, which file, what to do. */
  readonly problem?: Problem;
};
