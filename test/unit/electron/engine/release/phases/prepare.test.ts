import { describe, expect, it } from 'vitest';
import { prepare } from '../../../../../../electron/engine/release/phases/prepare';
import { fakeRun, settled } from './fake-run';

describe('PREPARE', () => {
  it('ticks its items from evidence, reads the hosts, meets no gate and runs nothing when all is well', async () => {
    const fake = fakeRun();
    await prepare(fake.ctx);
    expect(fake.ran).toEqual(['hosts.reachable', 'hosts.healthBaseline']);
    // Only the evidence of a low-class checklist's items: in the order PREPARE gathers it.
    expect(fake.evidence()).toEqual([
      'pre.classified done',
      'pre.ci done',
      'pre.plan done',
      'rollback.triggers done',
      'pre.reachable done',
      'rollback.target done',
      'pre.window done',
      'pre.monitoring done',
    ]);
    expect(fake.gates()).toEqual([]);
    expect(fake.journal.filter((e) => e.type === 'waiting')).toEqual([]);
    expect(fake.phases()).toEqual([]);
  });

  it('samples the baseline through the verification when the spec measures metrics', async () => {
    const fake = fakeRun({ spec: { verification: {} as never } });
    await prepare(fake.ctx);
    expect(fake.ran).toEqual(['hosts.reachable', 'measure', 'verification.sampleBaseline']);
    expect(fake.run.verification).toBeDefined();
    expect(fake.evidence().at(-1)).toBe('pre.monitoring done');
  });

  it('meets a gate for each stop it finds, pauses, and ends the wait with Aborted when the run is rolled back', async () => {
    const fake = fakeRun({
      live: false,
      change: { class: 'low' },
      freezeRules: [
        {
          id: 'wed',
          kind: 'weekly',
          environment: 'staging',
          label: 'all Wednesday',
          days: [3],
          from: '00:00',
          to: '24:00',
        },
      ],
      now: new Date('2026-01-07T10:00:00'),
    });
    const done = prepare(fake.ctx).catch((e: unknown) => e);
    await settled();
    expect(fake.gates()).toEqual(['freeze', 'no-rollback-target', 'impact-unknown', 'no-monitoring']);
    expect(fake.statuses()).toEqual(['paused']);
    const waiting = fake.journal.find((e) => e.type === 'waiting');
    expect(waiting).toMatchObject({ waiting: { at: 'BACKUP' } });
    fake.run.abort = 'not today';
    fake.run.checks.changed();
    expect(((await done) as Error).message).toBe('Aborted: not today');
    expect(fake.statuses()).toEqual(['paused', 'running']);
  });

  it('applies an override given at start to the gate it names, and goes on', async () => {
    const fake = fakeRun({ change: { class: 'low' } });
    (fake.run as { overrides: unknown }).overrides = [{ gate: 'impact-unknown', reason: 'internal tool' }];
    await prepare(fake.ctx);
    expect(fake.gates()).toEqual(['impact-unknown']);
    expect(fake.run.checks.blockers('BACKUP')).toEqual([]);
    expect(fake.statuses()).toEqual([]);
  });
});
