import { logBatchMs, LogRing, TimeMerge, type LogBatch, type LogSource, type LogStatus } from '../../../shared/log';
import type { Problem } from '../../../shared/problem';

/** The most lines one message carries. */
export const maxBatchLines = 2000;

export interface LogStreamOptions {
  readonly streamId: string;
  readonly title: string;
  /** Lines kept while they wait to be sent; beyond it the oldest are dropped (and the gap in numbers shows it). */
  readonly capLines: number;
  /** How long a line waits for older lines from slower sources; 0 when there is one source per host at most. */
  readonly holdMs: number;
  /** Every secret Shipdeck knows, out of each line before it is kept. */
  readonly redact: (text: string) => string;
  readonly send: (batch: LogBatch) => void;
  readonly status: (status: LogStatus) => void;
  /** True while the window cannot take more (its socket is backed up): lines wait in the ring. */
  readonly congested?: () => boolean;
  readonly now?: () => number;
}

/**
 * One followed log on its way to one window: lines from its sources are
 * redacted, merged in time order, numbered, kept in a bounded ring and sent
 * in batches every 50 ms.
 */
export class LogStream {
  private readonly unsent: LogRing;
  private readonly merge: TimeMerge | undefined;
  private readonly sources: LogSource[] = [];
  private readonly sourceIds = new Map<string, number>();
  private newSources: LogSource[] = [];
  private readonly problems = new Map<string, Problem>();
  private readonly following = new Set<string>();
  private readonly stoppers = new Set<() => void>();
  private nextSeq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private statusChanged = true;
  private ended = false;
  private closed = false;

  constructor(private readonly options: LogStreamOptions) {
    this.unsent = new LogRing(options.capLines);
    this.merge = options.holdMs > 0 ? new TimeMerge(options.holdMs) : undefined;
    this.schedule();
  }

  get id(): string {
    return this.options.streamId;
  }

  get title(): string {
    return this.options.title;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The id of a source, registered on first use. */
  source(source: Omit<LogSource, 'id'>): number {
    const key = JSON.stringify([
      source.host,
      source.container ?? '',
      source.file ?? '',
      source.step ?? '',
      source.stream,
    ]);
    let id = this.sourceIds.get(key);
    if (id === undefined) {
      id = this.sources.length;
      const registered = { id, ...source };
      this.sources.push(registered);
      this.newSources.push(registered);
      this.sourceIds.set(key, id);
    }
    return id;
  }

  /** One complete line from a source, at time `t` (ms since the epoch, as the host stamped it). */
  line(src: number, t: number, text: string): void {
    if (this.closed) return;
    const clean = this.options.redact(text);
    if (this.merge) this.merge.push({ src, t, text: clean, arrived: this.now() });
    else this.keep(t, src, clean);
    this.schedule();
  }

  /** Say what the stream follows now (a container, a file), for the viewer's header. */
  follow(what: string, on: boolean): void {
    if (on === this.following.has(what)) return;
    if (on) this.following.add(what);
    else this.following.delete(what);
    this.changed();
  }

  /** A source could not be read (or recovered, with undefined). */
  problem(where: string, problem: Problem | undefined): void {
    const before = this.problems.get(where);
    if (problem === undefined ? before === undefined : before?.message === problem.message) return;
    if (problem) this.problems.set(where, problem);
    else this.problems.delete(where);
    this.changed();
  }

  /** Run this when the stream closes (stop a follow, a timer). */
  onClose(stop: () => void): void {
    if (this.closed) stop();
    else this.stoppers.add(stop);
  }

  /** Nothing more will come (a finished run's output): send what waits and say so. */
  end(): void {
    this.ended = true;
    this.changed();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    for (const stop of this.stoppers) stop();
    this.stoppers.clear();
  }

  /** Send what is ready now; called by the timer, and directly by tests and the bench. */
  flush(): void {
    this.timer = undefined;
    if (this.closed) return;
    if (this.merge)
      for (const line of this.merge.release(this.now(), this.ended)) this.keep(line.t, line.src, line.text);
    const backedUp = this.options.congested?.() ?? false;
    if (!backedUp && (this.unsent.size > 0 || this.newSources.length > 0)) {
      if (this.unsent.size === 0)
        this.options.send({
          streamId: this.id,
          sources: this.newSources,
          first: this.nextSeq,
          src: [],
          t: [],
          text: [],
        });
      // A burst goes as several messages, so the window parses and paints it in steps a click can come between.
      for (let from = 0; from < this.unsent.size; from += maxBatchLines) {
        const lines = this.unsent.slice(from, from + maxBatchLines);
        this.options.send({
          streamId: this.id,
          sources: from === 0 ? this.newSources : [],
          first: lines.first,
          src: lines.src,
          t: lines.t,
          text: lines.text,
        });
      }
      this.unsent.clear();
      this.newSources = [];
    }
    // Status is small and says what is wrong: it goes even to a window that is behind.
    if (this.statusChanged) {
      this.statusChanged = false;
      this.options.status({
        streamId: this.id,
        state: this.ended && (this.merge?.size ?? 0) === 0 ? 'ended' : 'following',
        problems: [...this.problems].map(([where, p]) => ({
          where,
          message: p.message,
          ...(p.hint ? { hint: p.hint } : {}),
        })),
        following: [...this.following],
      });
    }
    if (this.unsent.size > 0 || (this.merge?.size ?? 0) > 0 || this.statusChanged || this.newSources.length > 0)
      this.schedule();
  }

  private keep(t: number, src: number, text: string): void {
    this.unsent.push(this.nextSeq++, t, src, text);
  }

  private changed(): void {
    this.statusChanged = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => this.flush(), logBatchMs);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
