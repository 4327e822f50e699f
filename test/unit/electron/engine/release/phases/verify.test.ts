import { describe, expect, it } from 'vitest';
import { verify } from '../../../../../../electron/engine/release/phases/verify';
import type { Measuring } from '../../../../../../electron/engine/release/run-state';
import { commandStep, fakeRun, type FakeRunOptions } from './fake-run';

const health = [
  commandStep('lab-1', 'health lab-1'),
  commandStep('lab-2', 'health lab-2'),
  commandStep('lab-1', 'post-deploy hook'),
];
const metrics = (onFail: 'rollback' | 'ask', onPass: 'confirm' | 'ask') => ({
  spec: { verification: { verify: { onFail, onPass } } as never },
});

/** A run at VERIFY whose spec measures metrics, its verification made as PREPARE does. */
function measured(options: FakeRunOptions) {
  const fake = fakeRun({ from: 'VERIFY', ...options });
  (fake.run as { verification?: Measuring }).verification = fake.ctx.measure();
  fake.ran.length = 0;
  return fake;
}

describe('VERIFY', () => {
  it('runs the health steps and hooks in order, reads the logs, and waits for a person', async () => {
    const fake = fakeRun({ from: 'VERIFY' });
    await verify(fake.ctx, health);
    expect(fake.ran).toEqual([
      'lab-1: health lab-1',
      'lab-2: health lab-2',
      'lab-1: post-deploy hook',
      'hosts.logsClean',
    ]);
    expect(fake.phases()).toEqual(['VERIFY running', 'VERIFY done']);
    expect(fake.evidence()).toEqual(['verify.health done', 'verify.logs done', 'verify.errors n/a']);
    expect(fake.statuses()).toEqual(['awaiting-decision']);
  });

  it('rolls back at once when a health step fails after the switch, running nothing after it', async () => {
    const fake = fakeRun({ from: 'VERIFY', failing: { 'health lab-2': 'v2 answered 502' } });
    await verify(fake.ctx, health);
    expect(fake.ran).toEqual(['lab-1: health lab-1', 'lab-2: health lab-2', 'deployer.rollback']);
    expect(fake.phases()).toEqual(['VERIFY running', 'VERIFY failed', 'ROLLBACK running', 'ROLLBACK done']);
    expect(fake.statuses()).toEqual(['rolled-back: v2 answered 502']);
    expect(fake.evidence()).toEqual(['verify.health failed', 'signoff.successful n/a']);
  });

  it('confirms by itself when the metrics pass and the spec says so', async () => {
    const fake = measured({
      ...metrics('rollback', 'confirm'),
      judgement: {
        decision: 'pass',
        reason: 'all passed',
        cards: [{ metric: 'error rate', verdict: 'pass', reason: '0.1%' } as never],
      },
    });
    await verify(fake.ctx, health.slice(0, 1));
    expect(fake.ran).toEqual([
      'lab-1: health lab-1',
      'hosts.logsClean',
      'verification.run',
      'verification.settle confirmed',
      'deployer.confirm',
    ]);
    expect(fake.phases()).toEqual(['VERIFY running', 'VERIFY done', 'CONFIRM running', 'CONFIRM done']);
    expect(fake.statuses()).toEqual(['confirmed']);
    // Without a passing error rate the CONFIRM checklist holds, and the run waits for a person instead.
    const held = measured(metrics('rollback', 'confirm'));
    await verify(held.ctx, []);
    expect(held.ran).not.toContain('deployer.confirm');
    expect(held.statuses()).toEqual(['awaiting-decision']);
  });

  it('rolls back by itself when a metric says so, settling the judgement before the run ends', async () => {
    const fake = measured({
      ...metrics('rollback', 'confirm'),
      judgement: {
        decision: 'rollback',
        reason: 'error rate 9% over 5%',
        cards: [{ metric: 'error rate', verdict: 'fail', reason: '9%' } as never],
      },
    });
    await verify(fake.ctx, []);
    expect(fake.ran).toEqual([
      'hosts.logsClean',
      'verification.run',
      'deployer.rollback',
      'verification.settle rolled-back',
    ]);
    expect(fake.phases()).toEqual(['VERIFY running', 'VERIFY failed', 'ROLLBACK running', 'ROLLBACK done']);
    expect(fake.statuses()).toEqual(['rolled-back: Rolled back by Shipdeck: error rate 9% over 5%']);
    expect(fake.evidence()).toContain('verify.errors failed');
  });

  it('asks a person on a gray zone, and rolls back a run aborted meanwhile', async () => {
    const asked = measured({
      ...metrics('rollback', 'confirm'),
      judgement: { decision: 'ask', reason: 'gray zone', cards: [] },
    });
    await verify(asked.ctx, []);
    expect(asked.ran).toEqual(['hosts.logsClean', 'verification.run', 'verification.settle asked']);
    expect(asked.statuses()).toEqual(['awaiting-decision']);
    const aborted = fakeRun({ from: 'VERIFY' });
    aborted.run.abort = 'ben said stop';
    await verify(aborted.ctx, []);
    expect(aborted.ran).toEqual(['hosts.logsClean', 'deployer.rollback']);
    expect(aborted.phases()).toEqual(['VERIFY running', 'VERIFY done', 'ROLLBACK running', 'ROLLBACK done']);
    expect(aborted.statuses()).toEqual(['rolled-back: Aborted: ben said stop']);
  });

  it("leaves a rollback that fails to the run's sequence, recording no end itself", async () => {
    const fake = fakeRun({
      from: 'VERIFY',
      failing: { 'health lab-1': 'down' },
      deployerFails: { rollback: 'lab-1 unreachable' },
    });
    await expect(verify(fake.ctx, health)).rejects.toThrow('lab-1 unreachable');
    expect(fake.phases()).toEqual(['VERIFY running', 'VERIFY failed', 'ROLLBACK running']);
    expect(fake.statuses()).toEqual([]);
  });
});
