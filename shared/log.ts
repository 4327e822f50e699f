/**
 * Live logs as data: where lines come from, how they travel from the engine
 * to the renderer (numbered batches), and the pure parts both sides share:
 * the bounded ring, the line splitter, the time-order merge and the levels.
 */

/** What a log view follows. */
export type LogTarget =
  /** Every step's output of a run, stdout and stderr apart. */
  | { readonly kind: 'run'; readonly runId: string }
  /**
   * The containers of a service on every host of an environment, merged in time order:
   * the last `tail` lines of each, or (without `tail`) all since `sinceSeconds` ago, then each new one.
   */
  | {
      readonly kind: 'service';
      readonly service: string;
      readonly environment: string;
      readonly tail?: number;
      readonly sinceSeconds?: number;
    }
  /** One server's containers (all running ones, or those named), `tail` and `sinceSeconds` as for a service. */
  | {
      readonly kind: 'server';
      readonly serverId: string;
      readonly containers?: readonly string[];
      readonly tail?: number;
      readonly sinceSeconds?: number;
    }
  /** A file on a server, followed over SSH (`tail -F`), such as nginx's access log. */
  | { readonly kind: 'file'; readonly serverId: string; readonly path: string; readonly tail: number };

/** One origin of lines in a stream: a host's container, file or step, and which of its outputs. */
export interface LogSource {
  /** Its index in the stream, as batches refer to it. */
  readonly id: number;
  readonly host: string;
  readonly container?: string;
  readonly file?: string;
  /** The run step (run streams): its id, and what it does as the run view names it. */
  readonly step?: string;
  readonly purpose?: string;
  readonly stream: 'stdout' | 'stderr';
}

/**
 * Lines from the engine, numbered: `first` is the sequence number of the first
 * line, and the rest follow without gaps. A jump between batches means the
 * engine dropped lines there (its ring was full), and the viewer says so.
 */
export interface LogBatch {
  readonly streamId: string;
  /** Sources first seen in this batch. */
  readonly sources: readonly LogSource[];
  readonly first: number;
  /** Per line, columns rather than objects: the source id, the time (ms since the epoch) and the text. */
  readonly src: readonly number[];
  readonly t: readonly number[];
  readonly text: readonly string[];
}

/** A stream's state: following, ended (a run's output is complete), and what is wrong where. */
export interface LogStatus {
  readonly streamId: string;
  readonly state: 'following' | 'ended';
  /** Sources that could not be read (a host down, a file missing), each with its problem. */
  readonly problems: readonly { readonly where: string; readonly message: string; readonly hint?: string }[];
  /** What the stream follows now, as a person reads it (hosts and containers). */
  readonly following: readonly string[];
}

/** Log settings the user can change. */
export interface LogSettings {
  /** Lines each stream keeps, in the engine and in the renderer; older ones are dropped and counted. */
  readonly capLines: number;
}

export const defaultLogSettings: LogSettings = { capLines: 100_000 };
export const logSettingsLimits = { minCapLines: 1_000, maxCapLines: 1_000_000 } as const;

/** How often the engine sends a stream's new lines. */
export const logBatchMs = 50;

/** Longer lines are cut here (and say so): one runaway line must not eat the memory. */
export const maxLineChars = 16_384;

/**
 * A bounded ring of numbered lines, stored as columns. Pushing past the
 * capacity drops the oldest line and counts it. Storage grows on demand, so a
 * quiet stream with a large cap costs little.
 */
export class LogRing {
  private seqs: Float64Array;
  private times: Float64Array;
  private srcs: Int32Array;
  private texts: string[];
  private start = 0;
  private count = 0;
  /** Lines this ring dropped to keep its cap. */
  dropped = 0;

  constructor(readonly capacity: number) {
    const initial = Math.min(capacity, 1024);
    this.seqs = new Float64Array(initial);
    this.times = new Float64Array(initial);
    this.srcs = new Int32Array(initial);
    this.texts = new Array<string>(initial);
  }

  get size(): number {
    return this.count;
  }

  push(seq: number, t: number, src: number, text: string): void {
    if (this.count === this.seqs.length && this.count < this.capacity) this.grow();
    if (this.count === this.capacity) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
      this.dropped++;
    }
    const at = (this.start + this.count) % this.seqs.length;
    this.seqs[at] = seq;
    this.times[at] = t;
    this.srcs[at] = src;
    this.texts[at] = text;
    this.count++;
  }

  /** Line `i`, counted from the oldest kept (0) to the newest (size - 1). */
  seqAt(i: number): number {
    return this.seqs[this.index(i)]!;
  }
  timeAt(i: number): number {
    return this.times[this.index(i)]!;
  }
  srcAt(i: number): number {
    return this.srcs[this.index(i)]!;
  }
  textAt(i: number): string {
    return this.texts[this.index(i)]!;
  }

  /** The position of a sequence number in the ring, or -1 (lines are kept in ascending order). */
  find(seq: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.seqAt(mid);
      if (at === seq) return mid;
      if (at < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The lines from position `from` on, as a batch's columns. */
  slice(from = 0, to = this.count): { first: number; src: number[]; t: number[]; text: string[] } {
    const src: number[] = [];
    const t: number[] = [];
    const text: string[] = [];
    for (let i = from; i < Math.min(to, this.count); i++) {
      src.push(this.srcAt(i));
      t.push(this.timeAt(i));
      text.push(this.textAt(i));
    }
    return { first: from < this.count ? this.seqAt(from) : -1, src, t, text };
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
    this.dropped = 0;
  }

  private index(i: number): number {
    return (this.start + i) % this.seqs.length;
  }

  private grow(): void {
    const size = Math.min(this.capacity, this.seqs.length * 2);
    const seqs = new Float64Array(size);
    const times = new Float64Array(size);
    const srcs = new Int32Array(size);
    const texts = new Array<string>(size);
    for (let i = 0; i < this.count; i++) {
      const from = this.index(i);
      seqs[i] = this.seqs[from]!;
      times[i] = this.times[from]!;
      srcs[i] = this.srcs[from]!;
      texts[i] = this.texts[from]!;
    }
    this.seqs = seqs;
    this.times = times;
    this.srcs = srcs;
    this.texts = texts;
    this.start = 0;
  }
}

/**
 * Cuts a stream of text chunks into lines. A chunk may end mid-line (and a
 * secret may straddle two chunks), so only complete lines leave; `flush`
 * gives the last unterminated one when the stream ends.
 */
export class LineSplitter {
  private partial = '';

  /** The complete lines in this chunk (and the partial one before it), without their line ends. */
  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > maxLineChars * 4) {
      // A line that never ends: let it out in pieces rather than hold it all.
      lines.push(this.partial);
      this.partial = '';
    }
    return lines.map(cleanLine);
  }

  flush(): string[] {
    const rest = this.partial;
    this.partial = '';
    return rest === '' ? [] : [cleanLine(rest)];
  }
}

function cleanLine(line: string): string {
  const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
  return trimmed.length > maxLineChars
    ? `${trimmed.slice(0, maxLineChars)}… [${trimmed.length - maxLineChars} more characters cut]`
    : trimmed;
}

/** A line waiting in the merge: its source, its time on the host, and when it arrived here. */
export interface PendingLine {
  readonly src: number;
  readonly t: number;
  readonly text: string;
  readonly arrived: number;
}

/**
 * Merges several sources into one stream in time order. Each source's lines
 * are in order already; lines from a slower link may arrive later than newer
 * lines from a faster one, so every line waits `holdMs` after it arrived
 * before it may leave, and the oldest waiting line always leaves first.
 */
export class TimeMerge {
  private readonly queues = new Map<number, { lines: PendingLine[]; head: number }>();
  private waiting = 0;

  constructor(private readonly holdMs: number) {}

  get size(): number {
    return this.waiting;
  }

  push(line: PendingLine): void {
    let queue = this.queues.get(line.src);
    if (!queue) {
      queue = { lines: [], head: 0 };
      this.queues.set(line.src, queue);
    }
    queue.lines.push(line);
    this.waiting++;
  }

  /** The lines that may leave at `now`, oldest first; `all` lets everything go (the stream ends). */
  release(now: number, all = false): PendingLine[] {
    const out: PendingLine[] = [];
    for (;;) {
      let best: { lines: PendingLine[]; head: number } | undefined;
      for (const queue of this.queues.values()) {
        const line = queue.lines[queue.head];
        if (line && (!best || line.t < best.lines[best.head]!.t)) best = queue;
      }
      if (!best) break;
      const line = best.lines[best.head]!;
      // The oldest line has not waited long enough: a slower source may still send an older one.
      if (!all && line.arrived + this.holdMs > now) break;
      out.push(line);
      best.head++;
      this.waiting--;
      if (best.head > 4096 && best.head * 2 > best.lines.length) {
        best.lines = best.lines.slice(best.head);
        best.head = 0;
      }
    }
    return out;
  }
}

/** How serious a line reads: error, warn, or neither. */
export type LineLevel = 'error' | 'warn' | undefined;

const errorWords =
  /\b(error|err|fatal|panic|crit(ical)?|exception|emerg|alert|fail(ed|ure)?)\b|\b(level|lvl)=("?)(error|fatal|crit)\b/i;
const warnWords = /\b(warn(ing)?)\b|\b(level|lvl)=("?)warn/i;

/** The level of a line, from the words it uses (`ERROR`, `level=warn`, `[crit]`, `panic:`). */
export function levelOf(text: string): LineLevel {
  if (errorWords.test(text)) return 'error';
  if (warnWords.test(text)) return 'warn';
  return undefined;
}

/** Parse Docker's `--timestamps` prefix (RFC 3339 with nanoseconds) off a line: the time in ms and the rest. */
export function splitDockerTimestamp(line: string): { t: number; text: string } | undefined {
  const space = line.indexOf(' ');
  const stamp = space > 0 ? line.slice(0, space) : line;
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(stamp);
  if (!match) return undefined;
  const whole = Date.parse(`${match[1]}${match[4]}`);
  if (Number.isNaN(whole)) return undefined;
  // Keep sub-millisecond order: a double holds epoch ms with microseconds to spare.
  const fraction = match[3] ? Number(`0.${match[3]}`) * 1000 : 0;
  return { t: whole + fraction, text: space > 0 ? line.slice(space + 1) : '' };
}

/** A short name for a source, as the viewer's host and container columns show it. */
export function sourceLabel(source: LogSource): string {
  return [source.host, source.container ?? source.file ?? source.step].filter(Boolean).join(' · ');
}
