import { describe, expect, it } from 'vitest';
import { hookSteps } from '../../../../shared/commands/hooks';
import type { Server } from '../../../../shared/server';

const server = { id: 'id-1', name: 'prod-1' } as Server;

describe('the hook commands', () => {
  it('runs each line in sh on the host, {{release}} replaced, named by its hook', () => {
    const steps = hookSteps(['./migrate {{release}}', 'echo "{{release}} {{release}}"'], 'v2', server, 'pre-deploy');
    expect(
      steps.map((s) =>
        s.kind === 'command' ? [s.host, s.command.program, ...s.command.args, s.command.purpose] : s.kind,
      ),
    ).toEqual([
      ['prod-1', 'sh', '-c', './migrate v2', 'Run the pre-deploy hook'],
      ['prod-1', 'sh', '-c', 'echo "v2 v2"', 'Run the pre-deploy hook'],
    ]);
    expect(hookSteps(['notify'], 'v3', server, 'post-deploy')[0]).toMatchObject({
      command: { purpose: 'Run the post-deploy hook' },
    });
    expect(hookSteps([], 'v3', server, 'post-deploy')).toEqual([]);
  });
});
