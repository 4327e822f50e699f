import { describe, expect, it } from 'vitest';
import { apiFromBridge } from '../../../shared/api';
import { channelNames, type Bridge } from '../../../shared/contract';
import { ProblemError } from '../../../shared/problem';

function fakeBridge(reply: (channel: string, request: unknown) => unknown): Bridge {
  const bridge: Record<string, unknown> = { subscribe: () => () => {} };
  for (const channel of channelNames) bridge[channel] = async (request: unknown) => reply(channel, request);
  return bridge as unknown as Bridge;
}

describe('apiFromBridge', () => {
  it('has one method per channel and resolves with the value', async () => {
    const api = apiFromBridge(fakeBridge((channel) => ({ ok: true, value: channel })));
    for (const channel of channelNames) expect(typeof api[channel]).toBe('function');
    await expect(api.listServers({})).resolves.toBe('listServers');
  });

  it('throws the problem as a ProblemError', async () => {
    const api = apiFromBridge(
      fakeBridge(() => ({
        ok: false,
        problem: { code: 'unreachable', message: 'Nothing answers', hint: 'Check the port' },
      })),
    );
    const error = await api.connectServer({ id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).problem).toMatchObject({ code: 'unreachable', hint: 'Check the port' });
  });
});
