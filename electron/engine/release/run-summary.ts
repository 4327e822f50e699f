import type { Problem } from '../../../shared/problem';
import type { RunRecord, RunSummary } from '../../../shared/run';

/** A run's summary, as Runs and History list it. */
export function summaryOf(record: RunRecord): RunSummary {
  const {
    id,
    service,
    environment,
    version,
    who,
    startedAt,
    endedAt,
    status,
    discipline,
    signOff,
    startedBy,
    notes,
    phases,
    promotedFrom,
  } = record;
  return {
    id,
    service,
    environment,
    version,
    who,
    startedBy,
    notes,
    startedAt,
    status,
    phases,
    ...(endedAt ? { endedAt } : {}),
    class: discipline.class,
    signedOff: signOff !== undefined,
    ...(promotedFrom ? { promotedFrom: promotedFrom.runId } : {}),
  };
}

/** A run whose journal cannot be read, as Runs and History list it: its id, its start time as the id tells, and why. */
export function unreadableSummary(id: string, problem: Problem): RunSummary {
  // Ids start with the start time, its ':' and '.' made '-': 2025-06-02T10-14-03-120Z-web-v2.
  const stamp = /^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z/.exec(id);
  const startedAt = stamp ? `${stamp[1]}:${stamp[2]}:${stamp[3]}.${stamp[4]}Z` : new Date(0).toISOString();
  return {
    id,
    service: '',
    environment: '',
    version: '',
    who: '',
    startedBy: '',
    notes: '',
    startedAt,
    status: 'unreadable',
    phases: [],
    problem,
  };
}
