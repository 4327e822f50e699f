import { ProblemError, problemOf, type Problem } from '../../../shared/problem';
import type { RunRecord, RunSummary } from '../../../shared/run';
import type { Judgement, Sample, Thresholds } from '../../../shared/verify';
import { judgeRecorded } from '../verify/verification';
import type { RunOutputChunk } from './run-recorder';
import { isFinal, type JournalHost, type RunJournal } from './run-journal';

/**
 * Past runs as journaled: the list, one run's record, output and samples,
 * and its samples judged again. Nothing here reads a host or changes a run.
 */
export class RunHistory {
  constructor(private readonly journal: RunJournal) {}

  /** Every journaled run, newest first; one whose journal cannot be read is listed as `unreadable`, with why. */
  list(): RunSummary[] {
    return this.journal
      .ids()
      .map((id) => {
        try {
          return this.summary(id);
        } catch (error) {
          return unreadableSummary(id, problemOf(error));
        }
      })
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** One run's summary, from its journal. */
  summary(runId: string): RunSummary {
    return summaryOf(this.journal.read(runId).record);
  }

  /** A run's output so far, chunk by chunk with the time each was journaled, and whether more may come. */
  output(runId: string): { readonly chunks: readonly RunOutputChunk[]; readonly live: boolean; readonly title: string } {
    this.known(runId, 'It may have been removed from the data folder; choose another run.');
    const { record } = this.journal.read(runId);
    const chunks = record.steps.flatMap((step) => step.output.map((o) => ({ runId, kind: 'output' as const, stepId: step.id, purpose: step.purpose, host: step.host, stream: o.stream, text: o.text, t: o.t ? Date.parse(o.t) : Date.parse(record.startedAt) })));
    chunks.sort((a, b) => a.t - b.t);
    return { chunks, live: !isFinal(record.status), title: `${record.service} ${record.version} → ${record.environment}` };
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
    const live = this.list().filter((r) => r.service === service && r.environment === environment && r.status === 'confirmed');
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
    if (!record.spec.verification || !record.verification) throw new ProblemError({ code: 'bad-request', message: `Run ${runId} measured no metrics`, where: 'metrics', hint: 'Only a run of a service whose spec lists metrics has samples to judge again.' });
    return judgeRecorded(this.journal.samples(runId), record.verification.comparison, record.spec.verification, thresholds, Date.now());
  }

  /** Throws not-found for a run with no journal. */
  known(runId: string, hint?: string): void {
    if (!this.journal.ids().includes(runId)) throw new ProblemError({ code: 'not-found', message: `No run ${runId}`, ...(hint ? { hint } : {}) });
  }
}

/** A run's summary, as Runs and History list it. */
export function summaryOf(record: RunRecord): RunSummary {
  const { id, service, environment, version, who, startedAt, endedAt, status, discipline, signOff, startedBy, notes, phases, promotedFrom } = record;
  return { id, service, environment, version, who, startedBy, notes, startedAt, status, phases, ...(endedAt ? { endedAt } : {}), class: discipline.class, signedOff: signOff !== undefined, ...(promotedFrom ? { promotedFrom: promotedFrom.runId } : {}) };
}

/** A run whose journal cannot be read, as Runs and History list it: its id, its start time as the id tells, and why. */
export function unreadableSummary(id: string, problem: Problem): RunSummary {
  // Ids start with the start time, its ':' and '.' made '-': 2025-06-02T10-14-03-120Z-web-v2.
  const stamp = /^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z/.exec(id);
  const startedAt = stamp ? `${stamp[1]}:${stamp[2]}:${stamp[3]}.${stamp[4]}Z` : new Date(0).toISOString();
  return { id, service: '', environment: '', version: '', who: '', startedBy: '', notes: '', startedAt, status: 'unreadable', phases: [], problem };
}
