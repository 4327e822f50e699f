import { create } from 'zustand';
import { type Problem, problemOf } from '../../../shared/problem';
import type { RunStatus, RunSummary } from '../../../shared/run';
import { api } from '../api';

interface RunListState {
  /** Newest first, as the engine lists them. */
  readonly runs: readonly RunSummary[];
  readonly loaded: boolean;
  readonly loadProblem: Problem | null;
  load(): Promise<void>;
}

/** Every run this Shipdeck journaled, kept current by runUpdate events. */
export const useRunList = create<RunListState>((set) => ({
  runs: [],
  loaded: false,
  loadProblem: null,
  async load() {
    try {
      set({ runs: await api.listRuns({}), loaded: true, loadProblem: null });
    } catch (error) {
      set({ loadProblem: problemOf(error), loaded: true });
    }
  },
}));

/** Has the run ended (no more updates but a reopen)? */
export function isFinalStatus(status: RunStatus): boolean {
  return status === 'confirmed' || status === 'rolled-back' || status === 'failed';
}

let reloadTimer: ReturnType<typeof setTimeout> | undefined;

/** Read the list again soon; a burst of events costs one request. */
function reloadSoon(): void {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => void useRunList.getState().load(), 200);
}

api.on('runUpdate', (update) => {
  if (update.kind === 'sign-off') {
    useRunList.setState({
      runs: useRunList.getState().runs.map((r) => (r.id === update.runId ? { ...r, signedOff: true } : r)),
    });
    return;
  }
  if (update.kind !== 'status') return;
  const { runs } = useRunList.getState();
  const known = runs.some((r) => r.id === update.runId);
  if (known)
    useRunList.setState({ runs: runs.map((r) => (r.id === update.runId ? { ...r, status: update.status } : r)) });
  // A run started elsewhere, or one that ended (the list gives its end time).
  if (!known || isFinalStatus(update.status)) reloadSoon();
});
