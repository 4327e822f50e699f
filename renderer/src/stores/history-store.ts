import { create } from 'zustand';
import type { IncidentSummary } from '../../../shared/incident';
import { type Problem, problemOf } from '../../../shared/problem';
import { api } from '../api';
import { emptyFilter, type HistoryFilter } from './history-filter';
import { useRun } from './run-store';

export type HistoryTab = 'runs' | 'metrics';
export type Bucket = 'week' | 'day';

interface HistoryState {
  readonly filter: HistoryFilter;
  readonly tab: HistoryTab;
  readonly bucket: Bucket;
  /** The incidents the delivery metrics count (failures and time to restore). */
  readonly incidents: readonly IncidentSummary[];
  readonly incidentsProblem: Problem | null;
  /** The run opened from History, which History then shows (a run opened in Runs stays there). */
  readonly opened: string | null;
  openRun(runId: string): Promise<void>;
  change(change: Partial<HistoryFilter>): void;
  clear(): void;
  setTab(tab: HistoryTab): void;
  setBucket(bucket: Bucket): void;
  loadIncidents(): Promise<void>;
}

const key = 'shipdeck.history';

/** The filter, tab and bucket as last left, so they survive a reload. */
function saved(): { filter: HistoryFilter; tab: HistoryTab; bucket: Bucket } {
  try {
    const value = JSON.parse(localStorage.getItem(key) ?? '{}') as Partial<{
      filter: Partial<HistoryFilter>;
      tab: HistoryTab;
      bucket: Bucket;
    }>;
    const filter = Object.fromEntries(
      Object.entries(emptyFilter).map(([k, v]) => [
        k,
        typeof value.filter?.[k as keyof HistoryFilter] === 'string' ? value.filter[k as keyof HistoryFilter] : v,
      ]),
    ) as unknown as HistoryFilter;
    return {
      filter,
      tab: value.tab === 'metrics' ? 'metrics' : 'runs',
      bucket: value.bucket === 'day' ? 'day' : 'week',
    };
  } catch {
    return { filter: emptyFilter, tab: 'runs', bucket: 'week' };
  }
}

function save(state: Pick<HistoryState, 'filter' | 'tab' | 'bucket'>): void {
  localStorage.setItem(key, JSON.stringify({ filter: state.filter, tab: state.tab, bucket: state.bucket }));
}

/** History's filters and the incidents its delivery metrics need. */
export const useHistory = create<HistoryState>((set, get) => ({
  ...saved(),
  incidents: [],
  incidentsProblem: null,
  opened: null,
  async openRun(runId) {
    set({ opened: runId });
    await useRun.getState().open(runId);
  },
  change(change) {
    set({ filter: { ...get().filter, ...change } });
    save(get());
  },
  clear() {
    set({ filter: emptyFilter });
    save(get());
  },
  setTab(tab) {
    set({ tab });
    save(get());
  },
  setBucket(bucket) {
    set({ bucket });
    save(get());
  },
  async loadIncidents() {
    try {
      set({ incidents: await api.listIncidents({}), incidentsProblem: null });
    } catch (error) {
      set({ incidentsProblem: problemOf(error) });
    }
  },
}));

// An incident opened, mitigated or resolved anywhere changes the metrics.
api.on('incidentUpdate', () => void useHistory.getState().loadIncidents());
