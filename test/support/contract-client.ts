import type { Reply, RunUpdate } from '../../shared/contract';
import type { ServedShipdeck } from './browser-host';

/** One contract call as the page makes it: a channel and its request, answered with a reply. */
export type Caller = (channel: string, request: unknown) => Promise<Reply<unknown>>;

/** A signed-in socket to a browser host as a test drives it: calls, and every run update it pushed. */
export async function contractClient(
  served: ServedShipdeck,
  onUpdate?: (update: RunUpdate) => void,
): Promise<{ call: Caller; updates: RunUpdate[]; close(): void }> {
  const ws = await served.socket();
  const pending = new Map<number, (reply: Reply<unknown>) => void>();
  const updates: RunUpdate[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (typeof message.id === 'number') pending.get(message.id)?.(message.reply);
    else if (message.event === 'runUpdate') {
      updates.push(message.payload);
      onUpdate?.(message.payload);
    }
  });
  let next = 1;
  const call: Caller = (channel, request) =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, channel, request }));
    });
  return { call, updates, close: () => ws.close() };
}
