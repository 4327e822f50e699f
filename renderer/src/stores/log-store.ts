/**
 * The log streams this window follows. Each stream's lines live in a LogRing
 * outside zustand (mutable, bounded, never copied); the store holds only what
 * is small: a version bumped once per frame when lines came, the title, the
 * state, the problems and the sources. Batches are applied as they arrive and
 * rendered at most once per animation frame.
 */
import { create } from 'zustand';
import { LogRing, type LogBatch, type LogSource, type LogStatus, type LogTarget } from '../../../shared/log';
import { type Problem, problemOf } from '../../../shared/problem';
import { api, onLinkState } from '../api';
import { capLines } from './log-settings-store';

/** One followed stream, as views read it. */
export interface LogStreamView {
  /** Stable for the view's life; the engine's stream id changes when the stream is opened again. */
  readonly key: string;
  readonly streamId: string;
  readonly target: LogTarget;
  readonly title: string;
  readonly capLines: number;
  /** opening: asked the engine; following: lines flow; ended: the output is complete; failed: could not open. */
  readonly state: 'opening' | 'following' | 'ended' | 'failed';
  readonly openProblem?: Problem;
  /** Sources that could not be read, each with what to do. */
  readonly problems: LogStatus['problems'];
  /** What the stream follows now, as a person reads it. */
  readonly following: readonly string[];
  /** The stream's sources, by id. */
  readonly sources: readonly (LogSource | undefined)[];
  /** Bumped when lines came (at most once a frame); a new buffer bumps `epoch`. */
  readonly version: number;
  readonly epoch: number;
  /** When lines last came, or the stream opened (ms since the epoch). */
  readonly readAt?: number;
}

interface LogStreamsState {
  readonly streams: Readonly<Record<string, LogStreamView>>;
  /** Follow a target; returns the stream's key at once (the lines come later). */
  open(target: LogTarget): string;
  /** Stop following and forget the lines. */
  close(key: string): void;
}

/** A stream's buffer and what applying batches needs, kept out of React's state. */
interface Buffer {
  streamId: string;
  ring: LogRing;
  /** The sequence number the next new line has; lower ones were seen already. */
  next: number;
  sources: (LogSource | undefined)[];
  sourcesChanged: boolean;
  readAt?: number;
}

const buffers = new Map<string, Buffer>();
const keyOfStream = new Map<string, string>();

/** Every log stream this window follows. */
export const useLogs = create<LogStreamsState>((set, get) => ({
  streams: {},
  open(target) {
    const key = newStreamId();
    const view: LogStreamView = {
      key,
      streamId: '',
      target,
      title: titleOf(target),
      capLines: 0,
      state: 'opening',
      problems: [],
      following: [],
      sources: [],
      version: 0,
      epoch: 0,
    };
    set({ streams: { ...get().streams, [key]: view } });
    void start(key);
    return key;
  },
  close(key) {
    const buffer = buffers.get(key);
    buffers.delete(key);
    dirty.delete(key);
    if (buffer) {
      keyOfStream.delete(buffer.streamId);
      api.closeLog({ streamId: buffer.streamId }).catch(() => undefined);
    }
    const { [key]: _gone, ...rest } = get().streams;
    set({ streams: rest });
  },
}));

/** The lines of a stream (the same ring until the stream is opened afresh), for its viewer to read. */
export function logBuffer(key: string | null | undefined): LogRing | undefined {
  return key ? buffers.get(key)?.ring : undefined;
}

function patch(key: string, change: Partial<LogStreamView>): void {
  const view = useLogs.getState().streams[key];
  if (view) useLogs.setState({ streams: { ...useLogs.getState().streams, [key]: { ...view, ...change } } });
}

/** Register a fresh buffer under a fresh stream id, then ask the engine: no batch can come for a stream we do not know. */
async function start(key: string): Promise<void> {
  const cap = await capLines();
  const view = useLogs.getState().streams[key];
  if (!view) return;
  const streamId = newStreamId();
  const before = buffers.get(key);
  if (before) keyOfStream.delete(before.streamId);
  buffers.set(key, { streamId, ring: new LogRing(cap), next: 0, sources: [], sourcesChanged: false });
  keyOfStream.set(streamId, key);
  patch(key, {
    streamId,
    capLines: cap,
    state: 'opening',
    openProblem: undefined,
    problems: [],
    following: [],
    sources: [],
    readAt: undefined,
    epoch: view.epoch + (before ? 1 : 0),
    version: view.version + 1,
  });
  try {
    const opened = await api.openLog({ streamId, target: view.target });
    if (buffers.get(key)?.streamId !== streamId) return;
    const now = useLogs.getState().streams[key];
    patch(key, {
      title: opened.title,
      state: now?.state === 'ended' ? 'ended' : 'following',
      readAt: buffers.get(key)?.readAt ?? Date.now(),
    });
  } catch (error) {
    if (buffers.get(key)?.streamId === streamId) patch(key, { state: 'failed', openProblem: problemOf(error) });
  }
}

/** Apply a batch to its ring now; the views hear of it on the next frame. */
function applyBatch(batch: LogBatch): void {
  const key = keyOfStream.get(batch.streamId);
  const buffer = key ? buffers.get(key) : undefined;
  if (!key || !buffer) return;
  for (const source of batch.sources) {
    buffer.sources[source.id] = source;
    buffer.sourcesChanged = true;
  }
  const { ring } = buffer;
  const n = batch.text.length;
  // Lines already applied (a batch sent twice) are skipped; a jump forward is the engine's drop, shown as a marker.
  const skip = Math.max(0, buffer.next - batch.first);
  for (let i = skip; i < n; i++) ring.push(batch.first + i, batch.t[i]!, batch.src[i]!, batch.text[i]!);
  if (n > skip) buffer.next = batch.first + n;
  buffer.readAt = Date.now();
  dirty.add(key);
  scheduleFlush();
}

const dirty = new Set<string>();
let flushScheduled = false;

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
  else setTimeout(flush, 16);
}

/** One store update for every stream that got lines since the last frame. */
function flush(): void {
  flushScheduled = false;
  if (dirty.size === 0) return;
  const streams = { ...useLogs.getState().streams };
  for (const key of dirty) {
    const view = streams[key];
    const buffer = buffers.get(key);
    if (!view || !buffer) continue;
    const sources = buffer.sourcesChanged ? [...buffer.sources] : view.sources;
    buffer.sourcesChanged = false;
    streams[key] = { ...view, version: view.version + 1, sources, readAt: buffer.readAt };
  }
  dirty.clear();
  useLogs.setState({ streams });
}

function applyStatus(status: LogStatus): void {
  const key = keyOfStream.get(status.streamId);
  if (!key) return;
  const view = useLogs.getState().streams[key];
  patch(key, {
    state: status.state === 'ended' ? 'ended' : view?.state === 'opening' ? 'opening' : 'following',
    problems: status.problems,
    following: status.following,
  });
}

api.on('logBatch', applyBatch);
api.on('logStatus', applyStatus);

// After a lost link the engine has forgotten our streams: open each again, with a fresh id and a fresh buffer.
let linkLost = false;
onLinkState((state) => {
  if (state === 'closed') linkLost = true;
  if (state !== 'open' || !linkLost) return;
  linkLost = false;
  for (const key of Object.keys(useLogs.getState().streams)) void start(key);
});

/** A name until the engine gives the stream its own title. */
function titleOf(target: LogTarget): string {
  switch (target.kind) {
    case 'run':
      return `run ${target.runId}`;
    case 'service':
      return `${target.service} ${target.environment}`;
    case 'server':
      return target.containers?.length ? `${target.serverId} ${target.containers.join(' ')}` : target.serverId;
    case 'file':
      return `${target.serverId} ${target.path}`;
  }
}

/** A fresh stream id the engine accepts (/^[A-Za-z0-9-]{8,64}$/). */
function newStreamId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Outside a secure context randomUUID is missing; sixteen random bytes in hex do as well.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
