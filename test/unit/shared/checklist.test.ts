import { describe, expect, it } from 'vitest';
import { buildChecklist, disciplineOf, type ChecklistItem } from '../../../shared/checklist';
import { approved, blockersAt, samePerson, type Approval, type GateRecord } from '../../../shared/gates';
import {
  defaultFreezeRules,
  describeFreeze,
  freezeAt,
  freezeRuleProblems,
  type FreezeRule,
} from '../../../shared/freeze';

const ids = (items: readonly ChecklistItem[]) => items.map((i) => i.id);
const required = (items: readonly ChecklistItem[]) => items.filter((i) => i.required).map((i) => i.id);

describe('change classes', () => {
  it('treats an unclassified change as high: approval, staging first, the full checklist', () => {
    expect(disciplineOf({})).toEqual({
      class: 'high',
      classified: false,
      checklist: 'full',
      approval: true,
      staging: true,
    });
    expect(disciplineOf({ class: 'high' })).toEqual({
      class: 'high',
      classified: true,
      checklist: 'full',
      approval: true,
      staging: true,
    });
  });

  it('gives each class its discipline', () => {
    expect(disciplineOf({ class: 'low' })).toMatchObject({ checklist: 'standard', approval: false, staging: false });
    expect(disciplineOf({ class: 'medium' })).toMatchObject({ checklist: 'full', approval: false, staging: false });
    expect(disciplineOf({ class: 'emergency' })).toMatchObject({
      checklist: 'reduced',
      approval: false,
      staging: false,
    });
  });
});

describe('checklists', () => {
  it('requires only the automatic items of a low change, and offers the manual ones', () => {
    const { items } = buildChecklist(disciplineOf({ class: 'low' }), 'staging');
    expect(items.filter((i) => i.required).every((i) => i.kind === 'auto')).toBe(true);
    expect(items.filter((i) => i.kind === 'manual').every((i) => !i.required)).toBe(true);
    expect(ids(items)).toContain('pre.review');
  });

  it('requires the manual items of the full checklist from medium up', () => {
    const medium = required(buildChecklist(disciplineOf({ class: 'medium' }), 'production').items);
    expect(medium).toEqual(
      expect.arrayContaining(['pre.review', 'pre.env', 'pre.ci', 'verify.flows', 'signoff.issues', 'signoff.notified']),
    );
    expect(medium).not.toContain('pre.qa');
  });

  it('keeps the staging and production sections to their own environment, in the order of the sections', () => {
    const staging = ids(buildChecklist(disciplineOf({ class: 'medium' }), 'staging').items);
    const production = ids(buildChecklist(disciplineOf({ class: 'medium' }), 'production').items);
    expect(staging).toContain('staging.config');
    expect(staging).not.toContain('production.deployed');
    expect(production).toContain('production.staging');
    expect(production).not.toContain('staging.config');
    const sections = buildChecklist(disciplineOf({ class: 'medium' }), 'production').items.map((i) => i.section);
    expect([...new Set(sections)]).toEqual([
      'pre-deployment',
      'rollback-plan',
      'backup',
      'production-deployment',
      'post-deployment',
      'sign-off',
    ]);
  });

  it('runs an emergency with the reduced list of incident mode', () => {
    const { items } = buildChecklist(disciplineOf({ class: 'emergency' }), 'production');
    expect(ids(items)).toEqual([
      'pre.classified',
      'pre.reachable',
      'pre.window',
      'pre.monitoring',
      'rollback.target',
      'backup.artifacts',
      'backup.state',
      'production.deployed',
      'verify.health',
      'verify.errors',
      'signoff.successful',
      'signoff.issues',
    ]);
  });

  it("applies a service's changes for all environments and for one", () => {
    const { items } = buildChecklist(disciplineOf({ class: 'low' }), 'production', {
      all: {
        add: [{ section: 'pre-deployment', text: 'Changelog updated', required: true }],
        drop: ['pre.stakeholders'],
        require: [],
        optional: [],
      },
      production: {
        add: [{ id: 'ops.pager', section: 'sign-off', text: 'On-call told', required: false }],
        drop: [],
        require: ['pre.qa'],
        optional: ['verify.logs'],
      },
      staging: {
        add: [{ section: 'backup', text: 'Not for production', required: true }],
        drop: [],
        require: [],
        optional: [],
      },
    });
    expect(items.find((i) => i.text === 'Changelog updated')).toMatchObject({
      id: 'custom.1',
      kind: 'manual',
      required: true,
      phase: 'PREPARE',
    });
    expect(items.find((i) => i.id === 'ops.pager')).toMatchObject({ phase: 'SIGN-OFF', required: false });
    expect(ids(items)).not.toContain('pre.stakeholders');
    expect(items.find((i) => i.id === 'pre.qa')!.required).toBe(true);
    expect(items.find((i) => i.id === 'verify.logs')!.required).toBe(false);
    expect(items.some((i) => i.text === 'Not for production')).toBe(false);
  });
});

describe('blockers', () => {
  const discipline = disciplineOf({ class: 'high' });
  const checklist = buildChecklist(discipline, 'staging');
  const done = (id: string) => (i: ChecklistItem) => (i.id === id ? { ...i, state: 'done' as const } : i);
  const gate: GateRecord = {
    key: 'freeze',
    gate: 'freeze',
    phase: 'PREPARE',
    at: '2026-12-04T14:00:00Z',
    detail: 'Friday 15:00',
  };
  const state = (over: Partial<Parameters<typeof blockersAt>[1]> = {}) => ({
    discipline,
    checklist,
    gates: [],
    approvals: [],
    ...over,
  });

  it("holds BACKUP for PREPARE's required items and every open gate, not for later items", () => {
    const blockers = blockersAt('BACKUP', state({ gates: [gate] }));
    // The deploy-window item is spoken for by the freeze gate: asked once.
    expect(blockers.filter((b) => b.kind === 'item').map((b) => b.id)).toEqual(
      required(checklist.items.filter((i) => i.phase === 'PREPARE')).filter((id) => id !== 'pre.window'),
    );
    expect(blockersAt('BACKUP', state()).map((b) => b.id)).toContain('pre.window');
    expect(blockers.filter((b) => b.kind === 'gate')).toEqual([
      { kind: 'gate', id: 'freeze', text: 'Deploy freeze: Friday 15:00' },
    ]);
    expect(blockers.some((b) => b.kind === 'approval')).toBe(false);
  });

  it('lets an overridden or cleared gate pass, and waived or n/a items', () => {
    const overridden = { ...gate, override: { by: 'Ana', at: '2026-12-04T14:01:00Z', reason: 'agreed' } };
    const items = checklist.items.map((i) =>
      i.phase === 'PREPARE' ? { ...i, state: i.kind === 'auto' ? ('n/a' as const) : ('waived' as const) } : i,
    );
    expect(blockersAt('BACKUP', state({ gates: [overridden], checklist: { ...checklist, items } }))).toEqual([]);
  });

  it('holds DEPLOY for an approval a high change needs, until the latest decision approves', () => {
    const items = checklist.items.map((i) =>
      i.phase === 'PREPARE' || i.phase === 'BACKUP' ? { ...i, state: 'done' as const } : i,
    );
    const base = state({ checklist: { ...checklist, items } });
    expect(blockersAt('DEPLOY', base).map((b) => b.kind)).toEqual(['approval']);
    const approve: Approval = { by: 'Ben', at: 't', decision: 'approve', note: '' };
    const reject: Approval = { by: 'Cleo', at: 't', decision: 'reject', note: 'no' };
    expect(blockersAt('DEPLOY', { ...base, approvals: [approve] })).toEqual([]);
    expect(approved([approve, reject])).toBe(false);
    expect(blockersAt('DEPLOY', { ...base, approvals: [approve, reject] }).map((b) => b.kind)).toEqual(['approval']);
  });

  it('names a failed item with its evidence', () => {
    const items = checklist.items.map((i) =>
      i.id === 'backup.artifacts'
        ? { ...i, state: 'failed' as const, evidence: 'lab-1: /b.dump is missing' }
        : done('x')(i),
    );
    expect(
      blockersAt('DEPLOY', state({ checklist: { ...checklist, items } })).find((b) => b.id === 'backup.artifacts')!
        .text,
    ).toBe('Backup taken: every artifact exists and is not empty (failed: lab-1: /b.dump is missing)');
  });

  it('holds sign-off for the sign-off items only', () => {
    expect(blockersAt('SIGN-OFF', state({ gates: [gate] })).map((b) => b.id)).toEqual([
      'signoff.successful',
      'signoff.issues',
      'signoff.notified',
    ]);
  });

  it('knows a person by name, whatever the case and spacing', () => {
    expect(samePerson(' Ana ', 'ana')).toBe(true);
    expect(samePerson('Ana', 'Anna')).toBe(false);
  });
});

describe('freeze windows', () => {
  // Local times: December 2026 starts on a Tuesday.
  const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute);

  it('freezes production on Friday from 12:00 and all weekend by default, and nothing else', () => {
    expect(freezeAt(defaultFreezeRules, 'production', at(4, 11, 59))).toBeUndefined();
    expect(freezeAt(defaultFreezeRules, 'production', at(4, 12, 0))?.label).toBe('Friday afternoon');
    expect(freezeAt(defaultFreezeRules, 'production', at(4, 23, 59))?.label).toBe('Friday afternoon');
    expect(freezeAt(defaultFreezeRules, 'production', at(5, 0, 0))?.label).toBe('Weekend');
    expect(freezeAt(defaultFreezeRules, 'production', at(6, 23, 59))?.label).toBe('Weekend');
    expect(freezeAt(defaultFreezeRules, 'production', at(7, 0, 0))).toBeUndefined();
    expect(freezeAt(defaultFreezeRules, 'staging', at(4, 15))).toBeUndefined();
  });

  it('honours one-off windows as [from, to), and * for every environment', () => {
    const launch: FreezeRule = {
      id: 'launch',
      kind: 'once',
      environment: '*',
      label: 'Launch',
      from: '2026-12-01T09:00',
      to: '2026-12-01T17:00',
    };
    expect(freezeAt([launch], 'staging', at(1, 9))?.id).toBe('launch');
    expect(freezeAt([launch], 'production', at(1, 16, 59))?.id).toBe('launch');
    expect(freezeAt([launch], 'production', at(1, 17))).toBeUndefined();
    expect(describeFreeze(launch)).toBe('every environment: 2026-12-01 09:00 to 2026-12-01 17:00 (Launch)');
    expect(describeFreeze(defaultFreezeRules[1]!)).toBe('production: Saturday, Sunday 00:00–24:00 (Weekend)');
  });

  it('says what is wrong with a rule, field by field', () => {
    expect(freezeRuleProblems(defaultFreezeRules[0]!)).toEqual([]);
    expect(
      freezeRuleProblems({
        id: 'n',
        kind: 'weekly',
        environment: 'prod uction',
        label: '',
        days: [7],
        from: '25:00',
        to: '24:00',
      }),
    ).toEqual([
      'label: give the window a name',
      'environment: an environment name, or * for every one',
      'days: one or more of 0 (Sunday) to 6 (Saturday)',
      'from: a time of day, HH:MM',
    ]);
    expect(
      freezeRuleProblems({
        id: 'n',
        kind: 'weekly',
        environment: 'production',
        label: 'Nights',
        days: [1],
        from: '22:00',
        to: '06:00',
      }),
    ).toEqual(['to: must be after from (split a window that crosses midnight in two)']);
    expect(
      freezeRuleProblems({
        id: 'o',
        kind: 'once',
        environment: 'production',
        label: 'x',
        from: '2026-12-02T10:00',
        to: '2026-12-01',
      }),
    ).toEqual(['to: a local date and time, YYYY-MM-DDTHH:MM']);
  });
});
