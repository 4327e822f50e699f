import { describe, expect, it } from 'vitest';
import { channelNames, ipcPrefix } from '../../../shared/contract';
import { bridgeOver, type RendererIpc } from '../../../electron/preload-bridge';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** A stand-in ipcRenderer: records invokes, keeps listeners so tests can emit. */
function fakeIpc(
  answer: (channel: string, request: unknown) => Promise<unknown> = async () => ({ ok: true, value: 'pong' }),
) {
  const invoked: Array<[string, unknown[]]> = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: RendererIpc = {
    invoke: (channel, ...args) => {
      invoked.push([channel, args]);
      return answer(channel, args[0]);
    },
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? [])
      listener({ sender: 'the IpcRendererEvent', ports: [] }, payload);
  };
  return { ipc, invoked, listeners, emit };
}

describe('bridgeOver', () => {
  it('has exactly one method per channel plus subscribe', () => {
    const bridge = bridgeOver(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual([...channelNames, 'subscribe'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('invokes the prefixed channel with the one request and returns the reply', async () => {
    const { ipc, invoked } = fakeIpc();
    const reply = await bridgeOver(ipc).removeServer({ id: 'srv-1' });
    expect(reply).toEqual({ ok: true, value: 'pong' });
    expect(invoked).toEqual([[`${ipcPrefix}removeServer`, [{ id: 'srv-1' }]]]);
  });

  it('turns a failed invoke into a problem reply instead of a thrown error', async () => {
    const { ipc } = fakeIpc(async () => {
      throw new Error("Error invoking remote method 'shipdeck:listServers': An object could not be cloned.");
    });
    const reply = await bridgeOver(ipc).listServers({});
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.problem.code).toBe('internal');
    expect(reply.problem.message).toContain('could not be cloned');
  });

  it('subscribes to contract events only, passes only the payload, and unsubscribes', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const bridge = bridgeOver(ipc);
    const received: unknown[][] = [];
    const unsubscribe = bridge.subscribe('diagnosticOutput', (...args: unknown[]) => void received.push(args));
    emit(`${ipcPrefix}diagnosticOutput`, { runId: 'r1', stream: 'stdout', text: 'ok\n' });
    expect(received).toEqual([[{ runId: 'r1', stream: 'stdout', text: 'ok\n' }]]);
    unsubscribe();
    expect(listeners.get(`${ipcPrefix}diagnosticOutput`)?.size).toBe(0);
    emit(`${ipcPrefix}diagnosticOutput`, { runId: 'r1', stream: 'stdout', text: 'late\n' });
    expect(received).toHaveLength(1);
  });

  it('refuses events outside the contract and listeners that are not functions', () => {
    const { ipc, listeners } = fakeIpc();
    const subscribe = bridgeOver(ipc).subscribe as unknown as (event: unknown, listener: unknown) => () => void;
    expect(() => subscribe('electron-store-get-data', () => {})).toThrow(/Unknown event/);
    expect(() => subscribe('shipdeck:diagnosticOutput', () => {})).toThrow(/Unknown event/);
    expect(() => subscribe('diagnosticOutput', 'not a function')).toThrow(/listener function/);
    expect(listeners.size).toBe(0);
  });
});
