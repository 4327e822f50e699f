import { describe, expect, it } from 'vitest';
import { command } from '../../../../../shared/commands/command';
import type { Step } from '../../../../../shared/deploy-plan';
import type { StepRecord } from '../../../../../shared/run';
import { ResumedSteps } from '../../../../../electron/engine/release/resumed-steps';
import { describeStep } from '../../../../../electron/engine/release/step-runner';

const run = (host: string, name = 'web-v2'): Step => ({
  kind: 'command',
  host,
  command: command('docker', ['run', '--name', name], `Start ${name}`),
});
const reload = (host: string): Step => ({
  kind: 'command',
  host,
  command: command('nginx', ['-s', 'reload'], 'Reload nginx (graceful)'),
});
const journaled = (id: string, phase: StepRecord['phase'], step: Step, state: StepRecord['state']): StepRecord => ({
  id,
  phase,
  host: step.host,
  purpose: 'p',
  line: describeStep(step),
  state,
  output: [],
});

describe('ResumedSteps', () => {
  const earlier = [
    journaled('s2', 'DEPLOY', run('lab-1'), 'ok'),
    journaled('s3', 'DEPLOY', reload('lab-1'), 'unfinished'),
    journaled('s7', 'DEPLOY', run('lab-2'), 'pending'),
    journaled('s9', 'ROLLBACK', reload('lab-1'), 'ok'),
  ];

  it('gives a rebuilt step the id of the journaled one it repeats: same phase, host and line', () => {
    const steps = new ResumedSteps(earlier);
    expect(steps.repeat('DEPLOY', reload('lab-1'))).toEqual({
      planned: { id: 's3', phase: 'DEPLOY', host: 'lab-1', purpose: 'p', line: describeStep(reload('lab-1')) },
      state: 'unfinished',
    });
    expect(steps.repeat('DEPLOY', run('lab-2'))?.planned.id).toBe('s7');
    expect(steps.repeat('DEPLOY', run('lab-1'))?.state).toBe('ok');
  });

  it('matches nothing of another phase, host or line, and each journaled step once', () => {
    const steps = new ResumedSteps(earlier);
    expect(steps.repeat('VERIFY', run('lab-1'))).toBeUndefined();
    expect(steps.repeat('DEPLOY', run('lab-3'))).toBeUndefined();
    expect(steps.repeat('DEPLOY', run('lab-1', 'web-v3'))).toBeUndefined();
    expect(steps.repeat('DEPLOY', reload('lab-1'))?.planned.id).toBe('s3');
    expect(steps.repeat('DEPLOY', reload('lab-1'))).toBeUndefined();
  });
});
