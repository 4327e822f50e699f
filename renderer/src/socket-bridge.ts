import { channelNames, eventNames, type Bridge, type EventName, type Reply } from '../../shared/contract';
import type { Problem } from '../../shared/problem';

type Pending = { resolve: (reply: Reply<unknown>) => void };
type ConnectionListener = (state: SocketState) => void;
export type SocketState = 'connecting' | 'open' | 'closed';

/**
 * The browser host's bridge: the contract over one WebSocket to the page's
 * own origin (the token travels as the cookie the host set). Requests made
 * while the socket is down wait for it; a drop fails what was in flight.
 */
export function socketBridge(location: Location, onState: ConnectionListener = () => {}): Bridge {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api${tokenQuery(location)}`;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket;
  let retryMs = 250;

  const connect = () => {
    onState('connecting');
    socket = new WebSocket(url);
    socket.onopen = () => {
      retryMs = 250;
      onState('open');
      for (const message of queue.splice(0)) socket.send(message);
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number | null; reply?: Reply<unknown>; event?: string; payload?: unknown };
      if (typeof message.id === 'number' && message.reply) {
        pending.get(message.id)?.resolve(message.reply);
        pending.delete(message.id);
      } else if (message.event) {
        for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      }
    };
    socket.onclose = () => {
      onState('closed');
      const lost: Problem = { code: 'disconnected', message: 'The connection to the Shipdeck engine was lost', hint: 'Check that `shipdeck serve` is still running; the page reconnects by itself.' };
      for (const entry of pending.values()) entry.resolve({ ok: false, problem: lost });
      pending.clear();
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  const send = (channel: string, request: unknown): Promise<Reply<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, { resolve });
      const message = JSON.stringify({ id, channel, request });
      if (socket.readyState === WebSocket.OPEN) socket.send(message);
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

/** Carry a token from the page's own URL, for a browser that refuses the cookie. */
function tokenQuery(location: Location): string {
  const token = new URLSearchParams(location.search).get('token');
  return token ? `?token=${encodeURIComponent(token)}` : '';
}
