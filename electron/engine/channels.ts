import {
  channelNames,
  type Channel,
  type EventName,
  type EventOf,
  type RequestOf,
  type ResponseOf,
} from '../../shared/contract';

/** Who asks: the window a request comes from, so what it opens (a log) answers to it alone and closes with it. */
export interface Caller {
  readonly owner: string;
}

/** A handler for every channel of the contract: what the engine serves. */
export type Handlers = { [C in Channel]: (request: RequestOf<C>, caller: Caller) => Promise<ResponseOf<C>> };

/** The handlers one feature serves: its part of the contract. */
export type ChannelMap<C extends Channel> = Pick<Handlers, C>;

/** The engine's log, as a feature writes to it. */
export type WriteLog = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Push an event to every window (redacted by the engine on its way out). */
export type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;

/** Every map's channels at once: what the joined maps serve, as the compiler sees it. */
type Joined<M extends readonly object[]> = (
  M[number] extends infer U ? (U extends unknown ? (map: U) => void : never) : never
) extends (map: infer All) => void
  ? All
  : never;

/**
 * The features' maps as one handler map. The type is every map's channels
 * together, so a channel no feature serves fails to compile where the result
 * is taken as `Handlers`; a channel two features claim is refused here (a
 * spread would let the later one win without a word), as is one left out.
 */
export function joinChannels<M extends readonly Partial<Handlers>[]>(...maps: M): Joined<M> {
  const joined: Partial<Record<Channel, unknown>> = {};
  for (const map of maps) {
    for (const [channel, handler] of Object.entries(map) as [Channel, unknown][]) {
      if (joined[channel]) throw new Error(`The channel ${channel} is served by two features`);
      joined[channel] = handler;
    }
  }
  const missing = channelNames.filter((channel) => typeof joined[channel] !== 'function');
  if (missing.length > 0) throw new Error(`No feature serves ${missing.join(', ')}`);
  const unknown = Object.keys(joined).filter((channel) => !(channelNames as readonly string[]).includes(channel));
  if (unknown.length > 0) throw new Error(`Not channels of the contract: ${unknown.join(', ')}`);
  return joined as Joined<M>;
}
