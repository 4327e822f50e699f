import { describe, expect, it } from 'vitest';
import type { Step } from '../../../../../../shared/deploy-plan';
import { backup } from '../../../../../../electron/engine/release/phases/backup';
import { commandStep, fakeRun, settled } from './fake-run';

describe('BACKUP', () => {
  it("runs each command, reads each artifact, ticks the backup from what stat printed, then records the hosts' state", async () => {
    const fake = fakeRun({
      from: 'BACKUP',
      spec: { backup: [{ command: 'dump', artifact: '/b/dump.sql' }] as never },
      prints: { 'check lab-1': '2048 1767225600\n' },
    });
    const dump = commandStep('lab-1', 'dump on lab-1');
    const check = commandStep('lab-1', 'check lab-1');
    await backup(fake.ctx, {
      backup: [dump, check],
      artifacts: new Map<Step, { host: string; path: string }>([[check, { host: 'lab-1', path: '/b/dump.sql' }]]),
    });
    expect(fake.ran).toEqual(['lab-1: dump on lab-1', 'lab-1: check lab-1']);
    expect(fake.phases()).toEqual(['BACKUP running', 'BACKUP done']);
    expect(fake.evidence()).toEqual(['backup.artifacts done', 'backup.state done']);
    // Both steps were journaled with ids as they came, start and end.
    expect(
      fake.journal
        .filter((e) => e.type === 'step')
        .map((e) => (e.type === 'step' ? `${e.step.id} ${e.step.state}` : '')),
    ).toEqual(['s1 running', 's1 ok', 's2 running', 's2 ok']);
  });

  it('is skipped when the spec lists no backup, which a database change fails', async () => {
    const fake = fakeRun({ from: 'BACKUP', change: { class: 'low', impact: 'none', database: true } });
    const done = backup(fake.ctx, { backup: [], artifacts: new Map() }).catch((e: unknown) => e);
    await settled();
    expect(fake.ran).toEqual([]);
    expect(fake.evidence()).toEqual(['backup.artifacts failed', 'backup.state done']);
    // The failed item holds the run before DEPLOY until a person waives it.
    expect(fake.statuses()).toEqual(['paused']);
    fake.run.checks.waive('backup.artifacts', 'ben', 'no data changes after all');
    await done;
    expect(fake.statuses()).toEqual(['paused', 'running']);
    expect(fake.phases()).toEqual(['BACKUP skipped']);
  });

  it('stops at the unexpected-step gate when a command fails, and runs nothing more once rolled back', async () => {
    const fake = fakeRun({ from: 'BACKUP', failing: { first: 'exit 2' } });
    const done = backup(fake.ctx, {
      backup: [commandStep('lab-1', 'first'), commandStep('lab-2', 'second')],
      artifacts: new Map(),
    }).catch((e: unknown) => e);
    await settled();
    expect(fake.gates()).toEqual(['unexpected-step']);
    expect(fake.run.checks.openGates()).toHaveLength(1);
    expect(fake.run.checks.openGates()[0]!.text).toMatch(/: Step s1: exit 2$/);
    fake.run.abort = 'stop';
    fake.run.checks.changed();
    expect(((await done) as Error).message).toBe('Aborted: stop');
    expect(fake.ran).toEqual(['lab-1: first']);
    expect(fake.phases()).toEqual(['BACKUP running']);
  });
});
