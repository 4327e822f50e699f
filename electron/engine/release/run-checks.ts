import { type AutoCheck, type ChecklistItem, type ChecklistPhase, type Discipline } from '../../../shared/checklist';
import {
  blockersAt,
  gateChecks,
  gateTitles,
  isGateOpen,
  samePerson,
  type Approval,
  type Blocker,
  type Boundary,
  type GateId,
  type GateRecord,
  type SignOff,
} from '../../../shared/gates';
import type { RunUpdate } from '../../../shared/contract';
import { ProblemError } from '../../../shared/problem';
import type { RunRecord, Waiting } from '../../../shared/run';
import type { JournalEvent } from './run-journal';

/** Where a run's checks go: its journal first, then the windows. */
export interface ChecksOutput {
  readonly append: (event: JournalEvent) => void;
  readonly emit: (update: RunUpdate) => void;
}

/** Shipdeck's name on the items it ticks from evidence. */
export const shipdeck = 'Shipdeck';

/**
 * One run's checklist, stop gates, approvals and sign-off: each change is
 * journaled, then shown; a run paused on them goes on once nothing blocks.
 */
export class RunChecks {
  private items: ChecklistItem[];
  private gates: GateRecord[];
  private approvals: Approval[];
  private signOff: SignOff | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly runId: string,
    readonly discipline: Discipline,
    readonly startedBy: string,
    state: Pick<RunRecord, 'checklist' | 'gates' | 'approvals' | 'signOff'>,
    private readonly out: ChecksOutput,
    private readonly now: () => Date,
  ) {
    this.items = [...state.checklist.items];
    this.gates = [...state.gates];
    this.approvals = [...state.approvals];
    this.signOff = state.signOff;
  }

  static of(record: RunRecord, out: ChecksOutput, now: () => Date): RunChecks {
    return new RunChecks(record.id, record.discipline, record.startedBy, record, out, now);
  }

  get signedOff(): SignOff | undefined {
    return this.signOff;
  }

  item(id: string): ChecklistItem {
    const item = this.items.find((i) => i.id === id);
    if (!item)
      throw new ProblemError({
        code: 'not-found',
        message: `Run ${this.runId} has no checklist item ${id}`,
        hint: 'Reload the run; its checklist is the one it was planned with.',
      });
    return item;
  }

  /** Shipdeck's verdict on every item of an automatic check, with the evidence beside it. */
  evidence(check: AutoCheck, state: 'done' | 'failed' | 'n/a' | 'open', evidence: string): void {
    for (const item of this.items.filter((i) => i.check === check)) {
      // A person's waiver stands; the evidence is still kept beside it.
      if (item.state === 'waived') {
        this.put({ ...item, evidence });
        continue;
      }
      const { by: _by, at: _at, ...rest } = item;
      this.put({
        ...rest,
        state,
        evidence,
        ...(state === 'done' || state === 'failed' ? { by: shipdeck, at: this.stamp() } : {}),
      });
    }
  }

  /** A person ticks a manual item. */
  tick(id: string, by: string, note?: string): ChecklistItem {
    const item = this.item(id);
    if (item.kind === 'auto')
      throw new ProblemError({
        code: 'conflict',
        message: `"${item.text}" is checked by Shipdeck from evidence`,
        where: id,
        hint: 'It ticks itself when the evidence holds; waive it with a reason if the evidence cannot be had.',
      });
    if (item.state === 'done')
      throw new ProblemError({
        code: 'conflict',
        message: `"${item.text}" is ticked already (by ${item.by})`,
        where: id,
      });
    return this.put({
      ...item,
      state: 'done',
      by: by.trim(),
      at: this.stamp(),
      ...(note?.trim() ? { note: note.trim() } : {}),
    });
  }

  /** A person skips an item, saying why. */
  waive(id: string, by: string, reason: string): ChecklistItem {
    const item = this.item(id);
    if (item.state === 'done')
      throw new ProblemError({
        code: 'conflict',
        message: `"${item.text}" is done already; there is nothing to waive`,
        where: id,
      });
    if (item.state === 'waived')
      throw new ProblemError({
        code: 'conflict',
        message: `"${item.text}" is waived already (by ${item.by}: ${item.reason})`,
        where: id,
      });
    return this.put({ ...item, state: 'waived', by: by.trim(), at: this.stamp(), reason: reason.trim() });
  }

  /** The run met a stop gate; an override given before (at start) applies at once. */
  meet(gate: GateId, phase: ChecklistPhase, detail: string, override?: { by: string; reason: string }): GateRecord {
    const same = this.gates.filter((g) => g.gate === gate).length;
    const record: GateRecord = {
      key: same === 0 ? gate : `${gate}-${same + 1}`,
      gate,
      phase,
      at: this.stamp(),
      detail,
      ...(override ? { override: { by: override.by, at: this.stamp(), reason: override.reason } } : {}),
    };
    this.putGate(record);
    if (record.override) this.waiveLinked(record);
    return record;
  }

  override(key: string, by: string, reason: string): GateRecord {
    const gate = this.gates.find((g) => g.key === key);
    if (!gate)
      throw new ProblemError({
        code: 'not-found',
        message: `Run ${this.runId} met no gate ${key}`,
        hint: 'Reload the run to see the gates it met.',
      });
    if (!isGateOpen(gate))
      throw new ProblemError({
        code: 'conflict',
        message: `The gate "${gateTitles[gate.gate]}" is no longer closed`,
        where: key,
      });
    const overridden = this.putGate({ ...gate, override: { by: by.trim(), at: this.stamp(), reason: reason.trim() } });
    this.waiveLinked(overridden);
    return overridden;
  }

  /** The failed item behind an overridden gate is waived with the override's reason, so one decision is asked once. */
  private waiveLinked(gate: GateRecord): void {
    const check = gateChecks[gate.gate];
    if (!check || !gate.override) return;
    for (const item of this.items.filter((i) => i.check === check && (i.state === 'failed' || i.state === 'open'))) {
      this.put({
        ...item,
        state: 'waived',
        by: gate.override.by,
        at: gate.override.at,
        reason: `${gateTitles[gate.gate]} overridden: ${gate.override.reason}`,
      });
    }
  }

  /** The cause of a gate went away (the database change was approved). */
  clear(gate: GateId, why: string): void {
    for (const g of this.gates.filter((x) => x.gate === gate && isGateOpen(x)))
      this.putGate({ ...g, cleared: { at: this.stamp(), why } });
  }

  /** A second person approves or rejects; the one who started the run cannot approve it. */
  decide(by: string, decision: Approval['decision'], note: string): Approval {
    if (samePerson(by, this.startedBy)) {
      throw new ProblemError({
        code: 'conflict',
        message: `${by.trim()} started this run and cannot also approve it`,
        where: 'approval',
        hint: 'An approval must come from a second named person.',
      });
    }
    const approval: Approval = { by: by.trim(), at: this.stamp(), decision, note: note.trim() };
    this.approvals.push(approval);
    this.out.append({ type: 'approval', approval });
    this.out.emit({ runId: this.runId, kind: 'approval', approval });
    if (decision === 'approve') this.clear('database-unapproved', `approved by ${approval.by}`);
    this.changed();
    return approval;
  }

  sign(by: string, note: string): SignOff {
    if (this.signOff)
      throw new ProblemError({ code: 'conflict', message: `The run is signed off already (by ${this.signOff.by})` });
    const open = this.blockers('SIGN-OFF');
    if (open.length > 0)
      throw new ProblemError({
        code: 'conflict',
        message: `The sign-off checklist is not done: ${open.map((b) => b.text).join('; ')}`,
        where: 'sign-off',
        hint: 'Tick or waive each required sign-off item first.',
      });
    this.signOff = { by: by.trim(), at: this.stamp(), note: note.trim() };
    this.out.append({ type: 'sign-off', signOff: this.signOff });
    this.out.emit({ runId: this.runId, kind: 'sign-off', signOff: this.signOff });
    return this.signOff;
  }

  blockers(boundary: Boundary): Blocker[] {
    return blockersAt(boundary, {
      discipline: this.discipline,
      checklist: { templateVersion: '', items: this.items },
      gates: this.gates,
      approvals: this.approvals,
    });
  }

  /** Only the gates still closed (a step that failed waits for these alone). */
  openGates(): Blocker[] {
    return this.blockers('BACKUP').filter((b) => b.kind === 'gate');
  }

  /**
   * Wait until nothing blocks, or `stop` says so: while waiting the run is
   * paused, and every tick, waiver, override or approval looks again.
   */
  async until(
    at: Boundary,
    blockers: () => Blocker[],
    stop: () => boolean,
    paused: (waiting: Waiting | undefined) => void,
  ): Promise<void> {
    let since: string | undefined;
    for (;;) {
      const open = blockers();
      if (open.length === 0 || stop()) break;
      since ??= this.stamp();
      paused({ at, since, blockers: open });
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (since) paused(undefined);
  }

  /** Something changed that a paused run waits on: look again. */
  changed(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private put(item: ChecklistItem): ChecklistItem {
    this.items = this.items.map((i) => (i.id === item.id ? item : i));
    this.out.append({ type: 'checklist', item });
    this.out.emit({ runId: this.runId, kind: 'checklist', item });
    this.changed();
    return item;
  }

  private putGate(gate: GateRecord): GateRecord {
    const known = this.gates.some((g) => g.key === gate.key);
    this.gates = known ? this.gates.map((g) => (g.key === gate.key ? gate : g)) : [...this.gates, gate];
    this.out.append({ type: 'gate', gate });
    this.out.emit({ runId: this.runId, kind: 'gate', gate });
    this.changed();
    return gate;
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}
