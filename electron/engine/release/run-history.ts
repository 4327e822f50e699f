import { ProblemError } from '../../../shared/problem';
import type { RunRecord, RunSummary } from '../../../shared/run';
import type { Judgement, Sample, Thresholds } from '../../../shared/verify';
import { judgeRecorded } from '../verify/verification';
import type { RunIndex } from './run-index';
import type { RunOutputChunk } from './run-recorder';
import { summaryOf } from './run-summary';
import { isFinal, type JournalHost, type RunJournal } from './run-journal';

/**
 * Past runs as journaled: the list, one run's record, output and samples,
 * and its samples judged again. Nothing here reads a host or changes a run.
 */
export class RunHistory {
  constructor(
    private readonly journal: RunJournal,
    /** The summaries kept beside the journals, so listing reads no journal that has not changed. */
    private readonly index: RunIndex,
  ) {}

  /** Every journaled run, newest first; one whose journal cannot be read is listed as `unreadable`, with why. */
  list(): RunSummary[] {
    return this.index.summaries().sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** A run started or changed its status: the index reads it again. */
  noted(runId: string): void {
    this.index.note(runId);
  }

  /** One run's summary, from its journal. */
  summary(runId: string): RunSummary {
    return summaryOf(this.journal.read(runId).record);
  }

  /** A run's output so far, chunk by chunk with the time each was journaled, and whether more may come. */
  output(runId: string): {
    readonly chunks: readonly RunOutputChunk[];
    readonly live: boolean;
    readonly title: string;
  } {
    this.known(runId, 'It may have been removed from the data folder; choose another run.');
    const { record } = this.journal.read(runId);
    const chunks = record.steps.flatMap((step) =>
      step.output.map((o) => ({
        runId,
        kind: 'output' as const,
        stepId: step.id,
        purpose: step.purpose,
        host: step.host,
        stream: o.stream,
        text: o.text,
        t: o.t ? Date.parse(o.t) : Date.parse(record.startedAt),
      })),
    );
    chunks.sort((a, b) => a.t - b.t);
    return {
      chunks,
      live: !isFinal(record.status),
      title: `${record.service} ${record.version} → ${record.environment}`,
    };
  }

  /** A run as journaled, without reading its hosts. */
  record(runId: string): RunRecord {
    this.known(runId, 'Choose a run from Runs or History.');
    return this.journal.read(runId).record;
  }

  /** A run as journaled with the hosts it planned on. */
  read(runId: string): { record: RunRecord; hosts: readonly JournalHost[] } {
    this.known(runId);
    return this.journal.read(runId);
  }

  /** The latest release confirmed live on a service's environment, if any. */
  latestLive(service: string, environment: string): RunRecord | undefined {
    const live = this.list().filter(
      (r) => r.service === service && r.environment === environment && r.status === 'confirmed',
    );
    live.sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''));
    return live[0] ? this.record(live[0].id) : undefined;
  }

  /** Every sample a run took, as journaled: PREPARE's baseline, and VERIFY's baseline and candidate. */
  samples(runId: string): { prepared: Sample[]; baseline: Sample[]; candidate: Sample[] } {
    this.known(runId);
    return this.journal.samples(runId);
  }

  /** Judge a finished run's samples again with other thresholds: advisory, nothing changes. */
  judgeAgain(runId: string, thresholds: Thresholds): Judgement {
    this.known(runId);
    const { record } = this.journal.read(runId);
    if (!record.spec.verification || !record.verification)
      throw new ProblemError({
        code: 'bad-request',
        message: `Run ${runId} measured no metrics`,
        where: 'metrics',
        hint: 'Only a run of a service whose spec lists metrics has samples to judge again.',
      });
    return judgeRecorded(
      this.journal.samples(runId),
      record.verification.comparison,
      record.spec.verification,
      thresholds,
      Date.now(),
    );
  }

  /** Throws not-found for a run with no journal. */
  known(runId: string, hint?: string): void {
    if (!this.journal.ids().includes(runId))
      throw new ProblemError({ code: 'not-found', message: `No run ${runId}`, ...(hint ? { hint } : {}) });
  }
}
