import { create } from 'zustand';
import type { ChecklistItem } from '../../../shared/checklist';
import type { Approval, GateRecord, SignOff } from '../../../shared/gates';
import type { RunUpdate } from '../../../shared/contract';
import { type Problem, problemOf } from '../../../shared/problem';
import type { RunRecord, StepRecord } from '../../../shared/run';
import { api } from '../api';
import { isFinalStatus, useRunList } from './run-list-store';

/** A confirm or rollback the user asked for: under way, or refused with a problem. */
export interface Decision {
  readonly action: 'confirm' | 'rollback' | 'resume';
  readonly pending: boolean;
  readonly problem?: Problem;
}

interface RunState {
  readonly openId: string | null;
  /** The open run; its steps carry no output (that comes through the run's log stream, so output never re-renders the steps). */
  readonly record: RunRecord | null;
  readonly loading: boolean;
  readonly loadProblem: Problem | null;
  readonly decision: Decision | null;
  open(runId: string): Promise<void>;
  close(): void;
  /** Read the open run again (after a lost link, or once it ended). */
  reload(): Promise<void>;
  confirm(): Promise<void>;
  rollback(reason: string): Promise<void>;
  /** Continue an interrupted run where the hosts are. */
  resume(): Promise<void>;
}

/** Updates of the open run that came while it was being read: applied on top of what the read returns, in order, never dropped. */
let queued: RunUpdate[] = [];
let reading = 0;

/** The run open in the run view, live. */
export const useRun = create<RunState>((set, get) => ({
  openId: null,
  record: null,
  loading: false,
  loadProblem: null,
  decision: null,
  async open(runId) {
    queued = [];
    set({ openId: runId, record: null, decision: null, loadProblem: null });
    await get().reload();
  },
  close: () => {
    queued = [];
    set({ openId: null, record: null, decision: null, loadProblem: null, loading: false });
  },
  async reload() {
    const runId = get().openId;
    if (!runId) return;
    reading += 1;
    set({ loading: true });
    try {
      const record = await api.getRun({ runId });
      if (get().openId === runId)
        set({ record: { ...record, steps: record.steps.map(withoutOutput) }, loadProblem: null });
    } catch (error) {
      if (get().openId === runId) set({ loadProblem: problemOf(error) });
    } finally {
      reading -= 1;
      if (reading === 0) {
        set({ loading: false });
        // A step that moved while the run was read ends as its last update says, not as the read caught it.
        const later = queued;
        queued = [];
        for (const update of later) apply(update, true);
      }
    }
  },
  confirm: () => decide('confirm', (runId) => api.confirmRun({ runId })),
  rollback: (reason) => decide('rollback', (runId) => api.rollbackRun({ runId, reason })),
  resume: () => decide('resume', (runId) => api.resumeRun({ runId })),
}));

/** Ask the engine for a decision on the open run; its progress comes back as runUpdate events. */
async function decide(action: Decision['action'], call: (runId: string) => Promise<unknown>): Promise<void> {
  const runId = useRun.getState().openId;
  if (!runId) return;
  useRun.setState({ decision: { action, pending: true } });
  try {
    await call(runId);
    if (useRun.getState().openId === runId) useRun.setState({ decision: { action, pending: false } });
  } catch (error) {
    if (useRun.getState().openId === runId)
      useRun.setState({ decision: { action, pending: false, problem: problemOf(error) } });
  }
}

function withoutOutput(step: StepRecord): StepRecord {
  return step.output.length === 0 ? step : { ...step, output: [] };
}

/** A checklist item replaced by id (a new one appended). */
function withItem(record: RunRecord, item: ChecklistItem): RunRecord {
  const items = record.checklist.items.some((i) => i.id === item.id)
    ? record.checklist.items.map((i) => (i.id === item.id ? item : i))
    : [...record.checklist.items, item];
  return { ...record, checklist: { ...record.checklist, items } };
}

/** A gate replaced by key, or appended when the run just met it. */
function withGate(record: RunRecord, gate: GateRecord): RunRecord {
  const gates = record.gates.some((g) => g.key === gate.key)
    ? record.gates.map((g) => (g.key === gate.key ? gate : g))
    : [...record.gates, gate];
  return { ...record, gates };
}

function withApproval(record: RunRecord, approval: Approval): RunRecord {
  // The same approval can come twice: as the request's answer and as its event.
  const known = record.approvals.some(
    (a) => a.by === approval.by && a.at === approval.at && a.decision === approval.decision,
  );
  return known ? record : { ...record, approvals: [...record.approvals, approval] };
}

function apply(update: RunUpdate, replayed = false): void {
  const { record, loading, openId } = useRun.getState();
  if (update.runId !== openId) return;
  if (loading) {
    queued.push(update);
    return;
  }
  if (!record) return;
  switch (update.kind) {
    case 'checklist':
      useRun.setState({ record: withItem(record, update.item) });
      return;
    case 'gate':
      useRun.setState({ record: withGate(record, update.gate) });
      return;
    case 'approval':
      useRun.setState({ record: withApproval(record, update.approval) });
      return;
    case 'sign-off':
      useRun.setState({ record: { ...record, signOff: update.signOff } });
      return;
    case 'waiting': {
      const { waiting: _waiting, ...rest } = record;
      useRun.setState({ record: update.waiting ? { ...rest, waiting: update.waiting } : rest });
      return;
    }
    case 'verify':
      useRun.setState({ record: { ...record, verification: update.verification } });
      return;
    case 'step': {
      const step: StepRecord = { ...update.step, output: [] };
      const known = record.steps.some((s) => s.id === step.id);
      // Steps the plan did not list (confirm, rollback) arrive as they start.
      useRun.setState({
        record: {
          ...record,
          steps: known ? record.steps.map((s) => (s.id === step.id ? step : s)) : [...record.steps, step],
        },
      });
      return;
    }
    case 'phase': {
      const phases = record.phases.some((p) => p.phase === update.phase.phase)
        ? record.phases.map((p) => (p.phase === update.phase.phase ? update.phase : p))
        : [...record.phases, update.phase];
      useRun.setState({ record: { ...record, phases } });
      // Which hosts switched traffic travels in no update: read it from the journal as each phase ends (once: not again when replayed).
      if (update.phase.state !== 'running' && !replayed) void useRun.getState().reload();
      return;
    }
    case 'status': {
      // The hosts' actual state was read for the interrupted run; once it moves on, it is out of date.
      const { problem: _problem, actual: _actual, ...rest } = record;
      useRun.setState({
        record: {
          ...rest,
          status: update.status,
          ...(update.problem ? { problem: update.problem } : {}),
          ...(update.status === 'interrupted' && record.actual ? { actual: record.actual } : {}),
        },
      });
      // The record's end time and final host states come from the journal.
      if (isFinalStatus(update.status) && !replayed) void useRun.getState().reload();
      return;
    }
  }
}

api.on('runUpdate', (update) => apply(update));

/**
 * Ask the engine to act on the open run's checklist, gates, approval or
 * sign-off; its answer is applied at once (the matching event may come while
 * the run is being read again). Resolves with the problem that refused it, or null.
 */
async function act<T>(
  runId: string,
  call: () => Promise<T>,
  into: (record: RunRecord, value: T) => RunRecord,
): Promise<Problem | null> {
  try {
    const value = await call();
    const { record, openId } = useRun.getState();
    if (record && openId === runId) useRun.setState({ record: into(record, value) });
    return null;
  } catch (error) {
    return problemOf(error);
  }
}

/** Tick a manual item as `by`, with an optional note. */
export function tickItem(runId: string, itemId: string, by: string, note: string): Promise<Problem | null> {
  return act(runId, () => api.tickItem({ runId, itemId, by, ...(note ? { note } : {}) }), withItem);
}

/** Skip an item, with the reason recorded beside it. */
export function waiveItem(runId: string, itemId: string, by: string, reason: string): Promise<Problem | null> {
  return act(runId, () => api.waiveItem({ runId, itemId, by, reason }), withItem);
}

/** Go on past a stop gate, as `by`, for a reason. */
export function overrideGate(runId: string, key: string, by: string, reason: string): Promise<Problem | null> {
  return act(runId, () => api.overrideGate({ runId, key, by, reason }), withGate);
}

/** Approve or reject the run as a second person. */
export function decideApproval(
  runId: string,
  by: string,
  decision: Approval['decision'],
  note: string,
): Promise<Problem | null> {
  return act(runId, () => api.decideApproval({ runId, by, decision, note }), withApproval);
}

/** Sign off an ended run. */
export function signOffRun(runId: string, by: string, note: string): Promise<Problem | null> {
  return act(
    runId,
    () => api.signOffRun({ runId, by, note }),
    (record, signOff: SignOff) => ({ ...record, signOff }),
  );
}

/** Open a run this window just started, and list it. */
export function openStartedRun(runId: string): void {
  void useRunList.getState().load();
  void useRun.getState().open(runId);
}
