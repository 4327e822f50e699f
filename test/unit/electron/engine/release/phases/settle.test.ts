import { describe, expect, it } from 'vitest';
import { confirm, endAborted, rollBack } from '../../../../../../electron/engine/release/phases/settle';
import { fakeRun } from './fake-run';

const outcome = { code: 'conflict' as const, message: 'Rolled back: v2 is slow' };

describe('settling a run', () => {
  it('confirms: CONFIRM, the deployer, then the run confirmed and its sign-off item ticked', async () => {
    const fake = fakeRun({ from: 'VERIFY' });
    await confirm(fake.ctx);
    expect(fake.ran).toEqual(['deployer.confirm']);
    expect(fake.phases()).toEqual(['CONFIRM running', 'CONFIRM done']);
    expect(fake.statuses()).toEqual(['confirmed']);
    expect(fake.evidence()).toEqual(['signoff.successful done']);
    expect(fake.run.status).toBe('confirmed');
  });

  it('ends a confirm that fails as failed, and throws it on', async () => {
    const fake = fakeRun({ deployerFails: { confirm: 'state.json not written' } });
    await expect(confirm(fake.ctx)).rejects.toThrow('state.json not written');
    expect(fake.phases()).toEqual(['CONFIRM running', 'CONFIRM failed']);
    expect(fake.statuses()).toEqual(['failed: state.json not written']);
  });

  it('rolls back: ROLLBACK, the deployer, what must happen first, then the run rolled back with the outcome', async () => {
    const fake = fakeRun();
    await rollBack(fake.ctx, outcome, { before: () => fake.ran.push('before') });
    expect(fake.ran).toEqual(['deployer.rollback', 'before']);
    expect(fake.phases()).toEqual(['ROLLBACK running', 'ROLLBACK done']);
    expect(fake.statuses()).toEqual(['rolled-back: Rolled back: v2 is slow']);
    expect(fake.run.status).toBe('rolled-back');
  });

  it('ends a rollback that fails as failed and throws it on; inside the sequence it only throws; a failed resume ends rolled back anyway', async () => {
    const clicked = fakeRun({ deployerFails: { rollback: 'lab-2 unreachable' } });
    await expect(rollBack(clicked.ctx, outcome)).rejects.toThrow('lab-2 unreachable');
    expect(clicked.phases()).toEqual(['ROLLBACK running', 'ROLLBACK failed']);
    expect(clicked.statuses()).toEqual(['failed: lab-2 unreachable']);
    const inSequence = fakeRun({ deployerFails: { rollback: 'lab-2 unreachable' } });
    await expect(rollBack(inSequence.ctx, outcome, { failureToSequence: true })).rejects.toThrow('lab-2 unreachable');
    expect(inSequence.phases()).toEqual(['ROLLBACK running']);
    expect(inSequence.statuses()).toEqual([]);
    const resumed = fakeRun({ deployerFails: { rollback: 'lab-2 unreachable' } });
    await rollBack(resumed.ctx, outcome, { whateverHappens: true });
    expect(resumed.phases()).toEqual(['ROLLBACK running', 'ROLLBACK done']);
    expect(resumed.statuses()).toEqual(['rolled-back: Rolled back: v2 is slow']);
  });

  it('ends a run aborted in DEPLOY as rolled back without sending anything back again', () => {
    const fake = fakeRun();
    fake.run.phase = 'DEPLOY';
    endAborted(fake.ctx, 'ben said stop');
    expect(fake.ran).toEqual([]);
    expect(fake.phases()).toEqual(['DEPLOY skipped']);
    expect(fake.statuses()).toEqual(['rolled-back: Aborted: ben said stop']);
  });
});
