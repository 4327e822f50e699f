/**
 * The open run's verification samples, baseline and candidate: read from the
 * journal when a run opens (live or long past), then grown by the run's
 * 'verify' updates. The samples live in bounded windows outside zustand; the
 * store holds only a version, bumped at most four times a second, so the
 * charts redraw at that pace whatever the probe rate.
 */
import { create } from 'zustand';
import type { RunUpdate } from '../../../shared/contract';
import { type Problem, problemOf } from '../../../shared/problem';
import type { Role, Sample } from '../../../shared/verify';
import { api, onLinkState } from '../api';
import { useRun } from './run-store';
import { SampleWindow, unseen } from './sample-window';

/** Samples kept per role; the oldest go first. */
export const samplesKept = 20_000;
const redrawMs = 250;

interface VerifyState {
  readonly runId: string | null;
  readonly loading: boolean;
  readonly problem: Problem | null;
  /** Bumped when samples changed (at most every 250 ms). */
  readonly version: number;
  readonly kept: { readonly baseline: number; readonly candidate: number };
  readonly dropped: { readonly baseline: number; readonly candidate: number };
}

const windows: Record<Role, SampleWindow> = {
  baseline: new SampleWindow(samplesKept),
  candidate: new SampleWindow(samplesKept),
};
/** Live updates that came while the journal was being read. */
let pending: { baseline: Sample[]; candidate: Sample[] } | null = null;
let load = 0;

/** The open run's samples, as views read them (with `version` from the store). */
export const useVerify = create<VerifyState>(() => ({
  runId: null,
  loading: false,
  problem: null,
  version: 0,
  kept: { baseline: 0, candidate: 0 },
  dropped: { baseline: 0, candidate: 0 },
}));

/** The samples kept for the open run, oldest first: read them, never change them. */
export function verifySamples(): { readonly baseline: readonly Sample[]; readonly candidate: readonly Sample[] } {
  return { baseline: windows.baseline.all(), candidate: windows.candidate.all() };
}

/** Read the run's samples from the journal; updates that come meanwhile wait and are merged after. */
async function read(runId: string | null): Promise<void> {
  const mine = ++load;
  windows.baseline.clear();
  windows.candidate.clear();
  pending = runId ? { baseline: [], candidate: [] } : null;
  useVerify.setState({ runId, loading: runId !== null, problem: null });
  publish();
  if (!runId) return;
  try {
    const samples = await api.getRunSamples({ runId });
    if (mine !== load) return;
    const waiting = pending ?? { baseline: [], candidate: [] };
    pending = null;
    windows.baseline.push([...samples.baseline, ...unseen(samples.baseline, waiting.baseline)]);
    windows.candidate.push([...samples.candidate, ...unseen(samples.candidate, waiting.candidate)]);
    useVerify.setState({ loading: false });
  } catch (error) {
    if (mine !== load) return;
    // What came live still shows; the journal's part is missing, and the view says so.
    const waiting = pending ?? { baseline: [], candidate: [] };
    pending = null;
    windows.baseline.push(waiting.baseline);
    windows.candidate.push(waiting.candidate);
    useVerify.setState({ loading: false, problem: problemOf(error) });
  }
  publish();
}

function apply(update: RunUpdate): void {
  if (update.kind !== 'verify' || update.runId !== useVerify.getState().runId) return;
  if (pending) {
    pending.baseline.push(...update.baseline);
    pending.candidate.push(...update.candidate);
    return;
  }
  windows.baseline.push(update.baseline);
  windows.candidate.push(update.candidate);
  schedule();
}

let timer: ReturnType<typeof setTimeout> | undefined;

function schedule(): void {
  if (timer !== undefined) return;
  timer = setTimeout(() => {
    timer = undefined;
    publish();
  }, redrawMs);
}

function publish(): void {
  useVerify.setState((s) => ({
    version: s.version + 1,
    kept: { baseline: windows.baseline.size, candidate: windows.candidate.size },
    dropped: { baseline: windows.baseline.dropped, candidate: windows.candidate.dropped },
  }));
}

api.on('runUpdate', apply);

// A run opened (or closed) in the run view: its samples follow.
useRun.subscribe((state, before) => {
  if (state.openId !== before.openId) void read(state.openId);
});
if (useRun.getState().openId) void read(useRun.getState().openId);

// After a lost link, updates were missed: read the journal again.
let linkLost = false;
onLinkState((state) => {
  if (state === 'closed') linkLost = true;
  if (state !== 'open' || !linkLost) return;
  linkLost = false;
  const { runId } = useVerify.getState();
  if (runId) void read(runId);
});

/** Read the open run's samples again (after a problem reading them). */
export function rereadSamples(): void {
  void read(useVerify.getState().runId);
}
