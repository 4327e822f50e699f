import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { describe, expect, it } from 'vitest';
import { channelNames, ipcPrefix, type EventName, type EventOf, type Reply } from '../../../shared/contract';
import {
  forwardEvents,
  senderFacts,
  senderRefusal,
  serveContract,
  type ContractEngine,
  type SenderFacts,
} from '../../../electron/ipc-main';
import type { OwnPages } from '../../../electron/window-security';
import { appEntry } from '../../../electron/app-scheme';

const ownPage = appEntry;
const own: OwnPages = { entry: appEntry };
const trusted: SenderFacts = { frame: { url: ownPage, isTop: true }, inOwnWindow: true };

describe('senderRefusal', () => {
  it('trusts the top frame of our own window showing our own page', () => {
    expect(senderRefusal(trusted, own)).toBeUndefined();
    expect(senderRefusal({ ...trusted, frame: { url: `${ownPage}#/fleet`, isTop: true } }, own)).toBeUndefined();
  });

  it('refuses a sender whose frame is gone', () => {
    expect(senderRefusal({ frame: null, inOwnWindow: true }, own)).toMatch(/frame is gone/);
  });

  it('refuses a window we did not create, even on our own page', () => {
    expect(senderRefusal({ ...trusted, inOwnWindow: false }, own)).toMatch(/did not create/);
  });

  it('refuses subframes, even ones showing our own page', () => {
    expect(senderRefusal({ ...trusted, frame: { url: ownPage, isTop: false } }, own)).toMatch(/frame inside the page/);
  });

  it('refuses file URLs, other app:// pages, web URLs and data URLs', () => {
    for (const url of [
      'file:///home/ops/shipdeck/dist/renderer/index.html',
      'file:///home/ops/shipdeck/dist/renderer/evil.html',
      'app://shipdeck/evil.html',
      'app://other/index.html',
      'file:///home/ops/Downloads/index.html',
      'file:///etc/passwd',
      'http://localhost:5173/',
      'https://example.com/',
      'data:text/html,<script>shipdeck.removeServer({id:"x"})</script>',
      'about:blank',
    ]) {
      expect(senderRefusal({ ...trusted, frame: { url, isTop: true } }, own), url).toMatch(/not Shipdeck's own page/);
    }
  });

  it('trusts the dev server only when it was configured', () => {
    const dev: SenderFacts = { ...trusted, frame: { url: 'http://localhost:5173/', isTop: true } };
    expect(senderRefusal(dev, own)).toBeDefined();
    expect(senderRefusal(dev, { ...own, devServer: 'http://localhost:5173' })).toBeUndefined();
  });
});

describe('senderFacts', () => {
  const ours = { id: 1 } as unknown as WebContents;
  const theirs = { id: 2 } as unknown as WebContents;
  const isOwnWindow = (contents: WebContents) => contents === ours;

  it('reads the URL and whether the frame is the top one', () => {
    const top = { url: ownPage, parent: null } as unknown as WebFrameMain;
    const child = { url: ownPage, parent: top } as unknown as WebFrameMain;
    expect(senderFacts({ sender: ours, senderFrame: top }, isOwnWindow)).toEqual(trusted);
    expect(senderFacts({ sender: ours, senderFrame: child }, isOwnWindow)).toEqual({
      frame: { url: ownPage, isTop: false },
      inOwnWindow: true,
    });
    expect(senderFacts({ sender: theirs, senderFrame: top }, isOwnWindow).inOwnWindow).toBe(false);
  });

  it('treats a missing or disposed frame as gone', () => {
    expect(senderFacts({ sender: ours, senderFrame: null }, isOwnWindow).frame).toBeNull();
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
    } as unknown as WebFrameMain;
    expect(senderFacts({ sender: ours, senderFrame: disposed }, isOwnWindow).frame).toBeNull();
  });
});

/** A stand-in ipcMain that records handlers, and an engine that records what reached it. */
function harness() {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  const ipc = {
    handle: (channel: string, handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) =>
      void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
  const calls: Array<[string, unknown]> = [];
  const engine: ContractEngine = {
    handle: async (channel, raw) => {
      calls.push([channel, raw]);
      return { ok: true, value: { echoed: channel } };
    },
    subscribe: () => () => {},
  };
  const ours = { id: 7 } as unknown as WebContents;
  const refused: string[] = [];
  const stop = serveContract(ipc as unknown as IpcMain, engine, {
    own,
    isOwnWindow: (contents) => contents === ours,
    onRefused: (channel, reason) => void refused.push(`${channel}: ${reason}`),
  });
  const invoke = (channel: string, url: string, request: unknown) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    const event = { sender: ours, senderFrame: { url, parent: null } } as unknown as IpcMainInvokeEvent;
    return handler(event, request) as Promise<Reply<unknown>>;
  };
  return { handlers, calls, refused, invoke, stop };
}

describe('serveContract', () => {
  it('registers exactly one prefixed handler per channel', () => {
    const { handlers } = harness();
    expect([...handlers.keys()].sort()).toEqual(channelNames.map((channel) => `${ipcPrefix}${channel}`).sort());
  });

  it('passes a trusted request to the engine under its channel name', async () => {
    const { calls, invoke } = harness();
    const reply = await invoke(`${ipcPrefix}removeServer`, ownPage, { id: 'srv-1' });
    expect(reply).toEqual({ ok: true, value: { echoed: 'removeServer' } });
    expect(calls).toEqual([['removeServer', { id: 'srv-1' }]]);
  });

  it('answers an untrusted sender with a bad-request problem and never calls the engine', async () => {
    const { calls, refused, invoke } = harness();
    const reply = await invoke(`${ipcPrefix}removeServer`, 'https://evil.example/', { id: 'srv-1' });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.problem.code).toBe('bad-request');
    expect(reply.problem.message).toContain('removeServer');
    expect(reply.problem.hint).toBeTruthy();
    expect(calls).toEqual([]);
    expect(refused).toHaveLength(1);
  });

  it('removes every handler when stopped', () => {
    const { handlers, stop } = harness();
    stop();
    expect(handlers.size).toBe(0);
  });
});

describe('forwardEvents', () => {
  it('sends each engine event with only its payload to every live window, on the prefixed channel', () => {
    let emit: (<E extends EventName>(event: E, payload: EventOf<E>) => void) | undefined;
    const engine = {
      subscribe: (listener: NonNullable<typeof emit>) => ((emit = listener), () => void (emit = undefined)),
    };
    const sent: Array<[number, string, unknown]> = [];
    const contents = (id: number, destroyed: boolean) => ({
      isDestroyed: () => destroyed,
      send: (channel: string, ...args: unknown[]) => void sent.push([id, channel, args.length === 1 ? args[0] : args]),
    });
    const unsubscribe = forwardEvents(engine, () => [contents(1, false), contents(2, true), contents(3, false)]);
    const payload = { runId: 'r1', stream: 'stdout' as const, text: 'up 3 days\n' };
    emit?.('diagnosticOutput', payload);
    expect(sent).toEqual([
      [1, 'shipdeck:diagnosticOutput', payload],
      [3, 'shipdeck:diagnosticOutput', payload],
    ]);
    unsubscribe();
    expect(emit).toBeUndefined();
  });
});
