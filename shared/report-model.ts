/**
 * The shape of a run report: what the Markdown, the HTML and the PDF are
 * written from. `runReport` (report.ts) builds it.
 */
import type { ChecklistItem, Section } from './checklist';
import type { ReportChart } from './report-charts';
import type { Phase, RunRecord, RunStatus, StepRecord } from './run';
import type { DecisionCard } from './verify';
/** A status the run's journal recorded, with when (the record keeps only the latest). */
export interface StatusChange {
  readonly at: string;
  readonly status: RunStatus;
  readonly message?: string;
}

export interface ReportSummary {
  /** One word for the end: confirmed, rolled back, failed, or the status of a run not ended. */
  readonly outcome: string;
  /** The sentence a reader reads first. */
  readonly headline: string;
  readonly tone: 'ok' | 'bad' | 'warn' | 'info';
  readonly facts: readonly { readonly label: string; readonly value: string }[];
  readonly hosts: readonly {
    readonly server: string;
    readonly previous?: string;
    readonly next: string;
    readonly port: number;
    readonly switched: boolean;
  }[];
  readonly phases: readonly {
    readonly phase: Phase;
    readonly state: string;
    readonly startedAt?: string;
    readonly endedAt?: string;
    readonly duration?: string;
  }[];
  /** `told` when the headline says the problem's message already. */
  readonly problem?: {
    readonly message: string;
    readonly where?: string;
    readonly hint?: string;
    readonly told: boolean;
  };
}

export interface TimelineEntry {
  readonly at: string;
  readonly kind: 'run' | 'phase' | 'status' | 'checklist' | 'gate' | 'approval' | 'sign-off' | 'verify';
  readonly what: string;
  readonly by?: string;
  readonly detail?: string;
}

export interface ReportChecklistSection {
  readonly section: Section;
  readonly title: string;
  readonly items: readonly ChecklistItem[];
}

export interface ReportGate {
  readonly title: string;
  readonly detail: string;
  readonly at: string;
  readonly resolution: string;
}

/** A step as the report lists it: numbered in the order it ran. */
export interface ReportStep {
  readonly n: number;
  readonly id: string;
  readonly phase: Phase;
  readonly host: string;
  readonly purpose: string;
  readonly line: string;
  readonly state: StepRecord['state'];
  /** The exit code as text: a number, `signal` when the process was killed, `—` for a check or a write that runs no process. */
  readonly exit: string;
  readonly duration: string;
  readonly detail?: string;
  /** The last lines a failed step printed, as recorded. */
  readonly outputTail?: string;
}

/** Consecutive steps of one phase. */
export interface ReportStepBlock {
  readonly phase: Phase;
  readonly steps: readonly ReportStep[];
}

export interface ReportVerification {
  readonly comparison: string;
  readonly decision?: string;
  readonly reason?: string;
  readonly acted?: string;
  readonly samples: string;
  readonly cards: readonly (DecisionCard & { readonly verdictLabel: string })[];
}

export interface ReportRollback {
  readonly why: string;
  readonly decidedBy: string;
  readonly at?: string;
  readonly took?: string;
  readonly hosts: readonly {
    readonly server: string;
    readonly from: string;
    readonly to: string;
    readonly result: string;
  }[];
  /** Numbers of the ROLLBACK steps in the plan section. */
  readonly steps: readonly number[];
}

export interface Report {
  readonly runId: string;
  readonly service: string;
  readonly version: string;
  readonly environment: string;
  /** `web v2 → staging`: the page header and the title. */
  readonly title: string;
  readonly startedAt: string;
  readonly summary: ReportSummary;
  readonly timeline: readonly TimelineEntry[];
  readonly checklist: readonly ReportChecklistSection[];
  readonly gates: readonly ReportGate[];
  readonly approvals: RunRecord['approvals'];
  readonly signOff?: RunRecord['signOff'];
  readonly plan: readonly ReportStepBlock[];
  readonly stepCount: number;
  readonly verification?: ReportVerification;
  readonly charts: readonly ReportChart[];
  readonly rollback?: ReportRollback;
  /** Incidents this run caused or mitigated, each with its timeline and postmortem. */
  readonly incidents: readonly ReportIncident[];
}

/** An incident linked to the run: what it was, how it went, and its postmortem as written (or drafted). */
export interface ReportIncident {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  /** How the run relates to it: the release it follows, or the rollback that mitigated it. */
  readonly relation: 'caused' | 'mitigated';
  readonly detectedAt: string;
  readonly mitigatedAt?: string;
  readonly resolvedAt?: string;
  readonly timeline: readonly {
    readonly at: string;
    readonly step: string;
    readonly by: string;
    readonly text: string;
  }[];
  readonly postmortem: string;
}

export type { ReportChart };
