/**
 * The bridge the preload exposes as `window.shipdeck`: one method per channel
 * and `subscribe`, built over the few ipcRenderer calls it needs. The page
 * never gets ipcRenderer itself, nor the IPC event object.
 */
import { channelNames, eventNames, ipcPrefix, type Bridge, type EventName, type Reply } from '../shared/contract';

/** The part of ipcRenderer the bridge uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name);
}

/** The reply when main did not answer (the request could not be sent, or main failed): a problem, not a thrown stack. */
function unanswered(channel: string, error: unknown): Reply<never> {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    problem: {
      code: 'internal',
      message: `The app's main process did not answer ${channel}: ${reason}`,
      where: `${ipcPrefix}${channel}`,
      hint: 'Restart Shipdeck; if it happens again, see the engine log in the data folder.',
    },
  };
}

/** Build the bridge over ipcRenderer: every channel invokes `shipdeck:<channel>`; subscribe accepts only the contract's events. */
export function bridgeOver(ipc: RendererIpc): Bridge {
  const bridge: Record<string, unknown> = {};
  for (const channel of channelNames) {
    bridge[channel] = async (request: unknown) => {
      try {
        return (await ipc.invoke(ipcPrefix + channel, request)) as Reply<unknown>;
      } catch (error) {
        return unanswered(channel, error);
      }
    };
  }
  bridge.subscribe = (event: unknown, listener: unknown) => {
    if (!isEventName(event))
      throw new TypeError(
        `Unknown event ${JSON.stringify(String(event)).slice(0, 80)}: subscribe to one of ${eventNames.join(', ')}`,
      );
    if (typeof listener !== 'function') throw new TypeError(`subscribe("${event}") needs a listener function`);
    const channel = ipcPrefix + event;
    const forward = (_event: unknown, payload: unknown) => listener(payload);
    ipc.on(channel, forward);
    return () => {
      ipc.removeListener(channel, forward);
    };
  };
  return Object.freeze(bridge) as unknown as Bridge;
}
