/**
 * The main side of the contract over Electron IPC: one handler per channel,
 * each checking its sender before the engine sees the request, and engine
 * events pushed to our windows. Electron objects are passed in (only types
 * come from 'electron'), so all of it is unit-tested without Electron.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channelNames, ipcPrefix, type Channel, type EventName, type EventOf, type Reply } from '../shared/contract';
import { isOwnPage, type OwnPages } from './window-security';

/** What main knows about the sender of a request. */
export interface SenderFacts {
  /** The sending frame, or null when it navigated away or was destroyed before we looked. */
  readonly frame: { readonly url: string; readonly isTop: boolean } | null;
  /** Whether the sending webContents belongs to a window Shipdeck created. */
  readonly inOwnWindow: boolean;
}

/** Why a request is refused, or undefined when it comes from the top frame of our own window showing our own page. */
export function senderRefusal(sender: SenderFacts, own: OwnPages): string | undefined {
  if (!sender.frame) return 'the sending frame is gone';
  if (!sender.inOwnWindow) return 'it came from a window Shipdeck did not create';
  if (!sender.frame.isTop) return 'it came from a frame inside the page, not the page itself';
  if (!isOwnPage(sender.frame.url, own))
    return `it came from ${JSON.stringify(sender.frame.url.slice(0, 200))}, not Shipdeck's own page`;
  return undefined;
}

/** Read the sender's facts from an IPC event; a frame disposed mid-flight counts as gone. */
export function senderFacts(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  isOwnWindow: (contents: WebContents) => boolean,
): SenderFacts {
  let frame: SenderFacts['frame'] = null;
  try {
    const sending = event.senderFrame;
    if (sending) frame = { url: sending.url, isTop: sending.parent === null };
  } catch {
    frame = null;
  }
  return { frame, inOwnWindow: isOwnWindow(event.sender) };
}

/** The reply an untrusted sender gets: a problem, and the engine never sees the request. */
export function refusedReply(channel: Channel, reason: string): Reply<never> {
  return {
    ok: false,
    problem: {
      code: 'bad-request',
      message: `Refused ${channel}: ${reason}`,
      where: `${ipcPrefix}${channel}`,
      hint: "Only Shipdeck's own window may call the engine. Reload the window, or restart Shipdeck.",
    },
  };
}

/** The part of the engine the IPC host serves. */
export interface ContractEngine {
  handle(channel: string, raw: unknown): Promise<Reply<unknown>>;
  subscribe(listener: <E extends EventName>(event: E, payload: EventOf<E>) => void): () => void;
}

export interface ServeOptions {
  readonly own: OwnPages;
  readonly isOwnWindow: (contents: WebContents) => boolean;
  /** Told about every refused request, for the log. */
  readonly onRefused?: (channel: Channel, reason: string) => void;
}

/** Register one `ipcMain.handle` per channel; returns a function that removes them all. */
export function serveContract(
  ipc: Pick<IpcMain, 'handle' | 'removeHandler'>,
  engine: ContractEngine,
  options: ServeOptions,
): () => void {
  for (const channel of channelNames) {
    ipc.handle(ipcPrefix + channel, async (event: IpcMainInvokeEvent, request: unknown) => {
      const refusal = senderRefusal(senderFacts(event, options.isOwnWindow), options.own);
      if (refusal !== undefined) {
        options.onRefused?.(channel, refusal);
        return refusedReply(channel, refusal);
      }
      return engine.handle(channel, request);
    });
  }
  return () => {
    for (const channel of channelNames) ipc.removeHandler(ipcPrefix + channel);
  };
}

/** Push every engine event to the given webContents (our windows'), skipping any already destroyed. */
export function forwardEvents(
  engine: Pick<ContractEngine, 'subscribe'>,
  targets: () => Iterable<Pick<WebContents, 'send' | 'isDestroyed'>>,
): () => void {
  return engine.subscribe((event, payload) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed()) contents.send(ipcPrefix + event, payload);
    }
  });
}
