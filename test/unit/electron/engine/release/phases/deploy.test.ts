import { describe, expect, it } from 'vitest';
import { deploy, deployAgain } from '../../../../../../electron/engine/release/phases/deploy';
import { commandStep, fakeRun } from './fake-run';

describe('DEPLOY', () => {
  it('runs the pre-deploy hooks in order, then the deployer, then ticks the deploy from the plan', async () => {
    const fake = fakeRun({ from: 'DEPLOY' });
    await deploy(fake.ctx, [commandStep('lab-1', 'migrate'), commandStep('lab-2', 'warm caches')]);
    expect(fake.ran).toEqual(['lab-1: migrate', 'lab-2: warm caches', 'deployer.deploy']);
    expect(fake.phases()).toEqual(['DEPLOY running', 'DEPLOY done']);
    expect(fake.evidence()).toEqual(['staging.deployed done']);
  });

  it('does not deploy a run rolled back before it got there', async () => {
    const fake = fakeRun({ from: 'DEPLOY' });
    fake.run.abort = 'changed my mind';
    await expect(deploy(fake.ctx, [commandStep('lab-1', 'migrate')])).rejects.toThrow('Aborted: changed my mind');
    expect(fake.ran).toEqual([]);
    expect(fake.phases()).toEqual(['DEPLOY running']);
  });

  it('lets a deployer failure through for the run to end, with DEPLOY still running and no evidence', async () => {
    const fake = fakeRun({ from: 'DEPLOY', deployerFails: { deploy: 'lab-2 is locked by ben' } });
    await expect(deploy(fake.ctx, [])).rejects.toThrow('lab-2 is locked by ben');
    expect(fake.phases()).toEqual(['DEPLOY running']);
    expect(fake.evidence()).toEqual([]);
  });

  it('deploys a resumed run under the lock it holds, naming the hosts that already served the release', async () => {
    const fake = fakeRun({ from: 'DEPLOY' });
    await deployAgain(fake.ctx, fake.run.plan, new Set(['lab-1']));
    expect(fake.ran).toEqual(['deployer.deployLocked']);
    expect(fake.phases()).toEqual(['DEPLOY running', 'DEPLOY done']);
    const deployed = fake.journal.find((e) => e.type === 'checklist');
    expect(deployed?.type === 'checklist' && deployed.item.evidence).toContain('lab-1');
  });
});
