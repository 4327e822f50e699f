import { type AutoCheck, type Checklist, type ChecklistPhase, type Discipline, isOpen } from './checklist';

/**
 * The people's side of a run's discipline: stop gates and their overrides,
 * approvals, sign-off, and what blocks each boundary until they are settled.
 */

/** The stop gates: the run stops and asks; going on needs an override with a reason. */
export const gateIds = [
  'no-rollback-target',
  'no-monitoring',
  'database-unapproved',
  'impact-unknown',
  'unexpected-step',
  'freeze',
] as const;
export type GateId = (typeof gateIds)[number];

export const gateTitles: Record<GateId, string> = {
  'no-rollback-target': 'No rollback target',
  'no-monitoring': 'Monitoring unavailable',
  'database-unapproved': 'Database change not approved',
  'impact-unknown': 'Business impact unknown',
  'unexpected-step': 'A step behaved unexpectedly',
  freeze: 'Deploy freeze',
};

/** A gate the run met: why, and (once a person decides) the override that let it go on. */
export interface GateRecord {
  /** Unique within the run (an unexpected step can stop it more than once). */
  readonly key: string;
  readonly gate: GateId;
  readonly phase: ChecklistPhase;
  readonly at: string;
  readonly detail: string;
  readonly override?: { readonly by: string; readonly at: string; readonly reason: string };
  /** Set when the cause went away by itself (the database change was approved). */
  readonly cleared?: { readonly at: string; readonly why: string };
}

/** The automatic item whose failure is the gate: the gate speaks for it, and overriding the gate waives it. */
export const gateChecks: Partial<Record<GateId, AutoCheck>> = {
  'no-rollback-target': 'rollback-target',
  'no-monitoring': 'monitoring',
  freeze: 'deploy-window',
};

export function isGateOpen(gate: GateRecord): boolean {
  return !gate.override && !gate.cleared;
}

/** A named person's approval or rejection of a run, with a note. */
export interface Approval {
  readonly by: string;
  readonly at: string;
  readonly decision: 'approve' | 'reject';
  readonly note: string;
}

/** The final sign-off that closes a run. */
export interface SignOff {
  readonly by: string;
  readonly at: string;
  readonly note: string;
}

/** What holds a run back at a point, in words a person can act on. */
export interface Blocker {
  readonly kind: 'item' | 'gate' | 'approval';
  /** The item id, the gate key, or `approval`. */
  readonly id: string;
  readonly text: string;
}

/** The points a run passes where its checklists and gates are checked. */
export type Boundary = 'BACKUP' | 'DEPLOY' | 'CONFIRM' | 'SIGN-OFF';

const itemsBefore: Record<Boundary, readonly ChecklistPhase[]> = {
  BACKUP: ['PREPARE'],
  DEPLOY: ['PREPARE', 'BACKUP'],
  CONFIRM: ['PREPARE', 'BACKUP', 'DEPLOY', 'VERIFY'],
  'SIGN-OFF': ['SIGN-OFF'],
};

/** Everything that must be done before a run passes `boundary`. */
export function blockersAt(
  boundary: Boundary,
  state: {
    readonly discipline: Discipline;
    readonly checklist: Checklist;
    readonly gates: readonly GateRecord[];
    readonly approvals: readonly Approval[];
  },
): Blocker[] {
  const out: Blocker[] = [];
  // An item whose gate was met is asked about once, as the gate.
  const spokenFor = new Set(state.gates.filter(isGateOpen).map((g) => gateChecks[g.gate]));
  for (const item of state.checklist.items) {
    if (item.check && spokenFor.has(item.check)) continue;
    if (itemsBefore[boundary].includes(item.phase) && isOpen(item))
      out.push({
        kind: 'item',
        id: item.id,
        text: `${item.text}${item.state === 'failed' ? ` (failed${item.evidence ? `: ${item.evidence}` : ''})` : ''}`,
      });
  }
  if (boundary !== 'SIGN-OFF')
    for (const gate of state.gates)
      if (isGateOpen(gate)) out.push({ kind: 'gate', id: gate.key, text: `${gateTitles[gate.gate]}: ${gate.detail}` });
  if ((boundary === 'DEPLOY' || boundary === 'CONFIRM') && state.discipline.approval && !approved(state.approvals)) {
    out.push({
      kind: 'approval',
      id: 'approval',
      text: `A ${state.discipline.class}-class release needs an approval by a second named person before DEPLOY`,
    });
  }
  return out;
}

/** The run is approved when its latest decision is an approval. */
export function approved(approvals: readonly Approval[]): boolean {
  return approvals.at(-1)?.decision === 'approve';
}

/** Names compare without case or surrounding space: "Ben" and " ben " are one person. */
export function samePerson(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
