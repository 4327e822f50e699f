import {
  formatBytes,
  isCredentialShaped,
  maxSocketMessageBytes,
  sessionFragmentKey,
  sessionProtocolPrefix,
  sessionStorageKey,
  socketProtocol,
} from '../../shared/browser-session';
import { channelNames, eventNames, type Bridge, type EventName, type Reply } from '../../shared/contract';
import type { Problem } from '../../shared/problem';

type Pending = { resolve: (reply: Reply<unknown>) => void };
type ConnectionListener = (state: SocketState) => void;
/** `signed-out`: this tab holds no session the host accepts; only a new sign-in link helps. */
export type SocketState = 'connecting' | 'open' | 'closed' | 'signed-out';

const signedOut: Problem = {
  code: 'auth-failed',
  message: 'This tab is not signed in to the Shipdeck browser host',
  hint: 'Press Enter in the terminal where `shipdeck serve` runs, and open the sign-in link it prints.',
};

/**
 * Take the session the host's sign-in redirect left in the fragment into this
 * tab's storage, and drop it from the address bar and history at once.
 */
export function takeSession(location: Location, storage: Storage, history: History): string | undefined {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const handed = fragment.get(sessionFragmentKey);
  if (handed !== null) {
    history.replaceState(null, '', location.pathname + location.search);
    if (isCredentialShaped(handed)) storage.setItem(sessionStorageKey, handed);
  }
  const kept = storage.getItem(sessionStorageKey);
  return kept !== null && isCredentialShaped(kept) ? kept : undefined;
}

/**
 * The browser host's bridge: the contract over one WebSocket to the page's
 * own origin, the tab's credential offered only in that socket's handshake.
 * Requests made while the socket is down wait for it; a drop fails what was
 * in flight; a refused credential fails everything with a sign-in hint.
 */
export function socketBridge(location: Location, onState: ConnectionListener = () => {}): Bridge {
  const origin = `${location.protocol}//${location.host}`;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
  let session = takeSession(location, window.sessionStorage, window.history);
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | undefined;
  let retryMs = 250;

  const failAll = (problem: Problem) => {
    for (const entry of pending.values()) entry.resolve({ ok: false, problem });
    pending.clear();
    queue.length = 0;
  };

  const signOut = () => {
    session = undefined;
    window.sessionStorage.removeItem(sessionStorageKey);
    failAll(signedOut);
    onState('signed-out');
  };

  /** After a socket that never opened: a refused credential, or a host that is down? Ask the host. */
  const stillSignedIn = async (): Promise<boolean | 'unknown'> => {
    try {
      const answer = await fetch(`${origin}/api/session`, {
        headers: { Authorization: `Bearer ${session}` },
        cache: 'no-store',
      });
      return answer.status === 204 ? true : answer.status === 401 ? false : 'unknown';
    } catch {
      return 'unknown';
    }
  };

  const connect = () => {
    if (!session) return signOut();
    onState('connecting');
    let opened = false;
    const current = new WebSocket(url, [socketProtocol, `${sessionProtocolPrefix}${session}`]);
    socket = current;
    current.onopen = () => {
      opened = true;
      retryMs = 250;
      onState('open');
      for (const message of queue.splice(0)) current.send(message);
    };
    current.onmessage = (event) => {
      let message: { id?: number | null; reply?: Reply<unknown>; event?: string; payload?: unknown };
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (typeof message.id === 'number' && message.reply) {
        pending.get(message.id)?.resolve(message.reply);
        pending.delete(message.id);
      } else if (message.event) {
        for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      }
    };
    current.onclose = (event) => {
      const retry = () => {
        onState('closed');
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
      };
      // A socket that never opened sent nothing: its requests wait on, unless the session is gone.
      if (!opened) return void stillSignedIn().then((verdict) => (verdict === false ? signOut() : retry()));
      const tooLarge = event.code === 1009;
      const lost: Problem = tooLarge
        ? {
            code: 'bad-request',
            message: `A message to the engine was over the socket's ${formatBytes(maxSocketMessageBytes)} limit`,
            hint: 'Send less at once; the page reconnected by itself.',
          }
        : {
            code: 'disconnected',
            message: 'The connection to the Shipdeck engine was lost',
            hint: 'Check that `shipdeck serve` is still running; the page reconnects by itself.',
          };
      for (const entry of pending.values()) entry.resolve({ ok: false, problem: lost });
      pending.clear();
      retry();
    };
  };
  connect();

  const send = (channel: string, request: unknown): Promise<Reply<unknown>> =>
    new Promise((resolve) => {
      if (!session) return resolve({ ok: false, problem: signedOut });
      const id = nextId++;
      const message = JSON.stringify({ id, channel, request });
      // Refused here rather than by the host, which would close the socket on it.
      const bytes = new TextEncoder().encode(message).length;
      if (bytes > maxSocketMessageBytes) {
        return resolve({
          ok: false,
          problem: {
            code: 'bad-request',
            message: `This request is ${formatBytes(bytes)}, over the ${formatBytes(maxSocketMessageBytes)} a message to the engine may be`,
            where: channel,
            hint: 'Send less at once.',
          },
        });
      }
      pending.set(id, { resolve });
      if (socket?.readyState === WebSocket.OPEN) socket.send(message);
      else queue.push(message);
    });

  const bridge: Record<string, unknown> = {};
  for (const channel of channelNames) bridge[channel] = (request: unknown) => send(channel, request);
  bridge.subscribe = (event: EventName, listener: (payload: unknown) => void) => {
    if (!(eventNames as readonly string[]).includes(event)) throw new Error(`Unknown event ${event}`);
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  return bridge as unknown as Bridge;
}
