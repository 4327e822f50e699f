import type { RunStatus, RunSummary } from '../../../shared/run';

/** What History shows: every field empty shows every run. Dates are local days (YYYY-MM-DD), both inclusive. */
export interface HistoryFilter {
  readonly service: string;
  readonly environment: string;
  readonly class: string;
  readonly outcome: string;
  readonly from: string;
  readonly to: string;
  readonly person: string;
  readonly search: string;
}

export const emptyFilter: HistoryFilter = {
  service: '',
  environment: '',
  class: '',
  outcome: '',
  from: '',
  to: '',
  person: '',
  search: '',
};

/** The outcomes the filter offers; `unfinished` is every run that has not ended. */
export const outcomes = ['confirmed', 'rolled-back', 'failed', 'unfinished'] as const;
export type Outcome = (typeof outcomes)[number];

export const outcomeLabels: Record<Outcome, string> = {
  confirmed: 'Confirmed',
  'rolled-back': 'Rolled back',
  failed: 'Failed',
  unfinished: 'Not ended',
};

export function outcomeOf(status: RunStatus): Outcome {
  return status === 'confirmed' || status === 'rolled-back' || status === 'failed' ? status : 'unfinished';
}

/** The person a run belongs to: the name they gave, else the engine's login. */
export function personOf(run: Pick<RunSummary, 'startedBy' | 'who'>): string {
  return run.startedBy || run.who;
}

/** The runs the filter and search let through, in the order given. */
export function filterRuns(runs: readonly RunSummary[], filter: HistoryFilter): RunSummary[] {
  const from = filter.from ? localDayStart(filter.from) : undefined;
  const to = filter.to ? localDayStart(filter.to, 1) : undefined;
  const words = filter.search.toLowerCase().split(/\s+/).filter(Boolean);
  return runs.filter((run) => {
    if (filter.service && run.service !== filter.service) return false;
    if (filter.environment && run.environment !== filter.environment) return false;
    if (filter.class && run.class !== filter.class) return false;
    if (filter.outcome && outcomeOf(run.status) !== filter.outcome) return false;
    if (filter.person && run.startedBy !== filter.person && run.who !== filter.person) return false;
    const started = Date.parse(run.startedAt);
    if (from !== undefined && started < from) return false;
    if (to !== undefined && started >= to) return false;
    if (words.length === 0) return true;
    const text = [run.service, run.version, run.notes, run.startedBy, run.who, run.id].join('\n').toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export function isFilterEmpty(filter: HistoryFilter): boolean {
  return Object.values(filter).every((v) => v === '');
}

/** Milliseconds at local midnight of a YYYY-MM-DD day, plus some days. */
export function localDayStart(day: string, plusDays = 0): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plusDays).getTime();
}

/** A local day as YYYY-MM-DD. */
export function localDay(ms: number): string {
  const at = new Date(ms);
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
}

/**
 * The period the delivery metrics cover: the filter's days when set; else
 * the four weeks up to and including today (or up to `to`, or from `from`).
 */
export function metricsPeriod(filter: Pick<HistoryFilter, 'from' | 'to'>, now: number): { from: string; to: string } {
  const days = 28;
  let from: number;
  let to: number;
  if (filter.from) {
    from = localDayStart(filter.from);
    to = filter.to ? localDayStart(filter.to, 1) : localDayStart(filter.from, days);
  } else {
    const last = filter.to || localDay(now);
    from = localDayStart(last, 1 - days);
    to = localDayStart(last, 1);
  }
  return { from: new Date(from).toISOString(), to: new Date(Math.max(from, to)).toISOString() };
}
