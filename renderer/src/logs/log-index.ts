/**
 * What a log viewer shows of a stream's ring, kept up to date line by line:
 * the rows that pass the filter (with a marker where the engine dropped
 * lines), and the lines the search matches. New lines are indexed as they
 * come and dropped lines leave from the front, so a batch costs its own size,
 * never the whole ring; only a new filter or search reads everything again.
 */
import { stripAnsi } from '../../../shared/ansi';
import type { LogRing, LogSource } from '../../../shared/log';
import { levelPasses, sourcePasses, type LogFilter } from './log-filter';
import type { CompiledSearch } from './log-search';

/**
 * Ascending numbers in one growing typed array: append at the back, drop from
 * the front, find by binary search. No object per entry.
 */
export class KeyQueue {
  private items = new Float64Array(256);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  at(i: number): number {
    return this.items[(this.head + i) % this.items.length]!;
  }

  push(value: number): void {
    if (this.count === this.items.length) {
      const bigger = new Float64Array(this.items.length * 2);
      for (let i = 0; i < this.count; i++) bigger[i] = this.at(i);
      this.items = bigger;
      this.head = 0;
    }
    this.items[(this.head + this.count) % this.items.length] = value;
    this.count++;
  }

  /** Drop every value below `limit` from the front. */
  dropBelow(limit: number): void {
    while (this.count > 0 && this.items[this.head]! < limit) {
      this.head = (this.head + 1) % this.items.length;
      this.count--;
    }
  }

  /** The position of the first value at or above `value` (length when none). */
  lowerBound(value: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}

/**
 * A line's key is twice its place in the stream's history (counted from the
 * first line the ring ever took) plus one; the marker of lines dropped just
 * before it is twice that place. Keys ascend, so rows and markers share one queue.
 */
export const lineKey = (abs: number) => abs * 2 + 1;
const gapKey = (abs: number) => abs * 2;
/** The key of the "earlier lines dropped" row at the top. */
export const topKey = -1;

/** One row of the viewer. */
export type LogRow =
  | { readonly kind: 'line'; readonly key: number; readonly pos: number }
  | { readonly kind: 'gap'; readonly key: number; readonly count: number }
  | { readonly kind: 'earlier'; readonly key: number; readonly count: number };

/** The filtered rows and search matches of one ring. */
export class LogIndex {
  private readonly rows = new KeyQueue();
  /** The markers among the rows, so that lines are counted without a walk. */
  private readonly gaps = new KeyQueue();
  /** Keys of the shown lines the search matches. */
  private readonly hits = new KeyQueue();
  /** Per source id: does it pass the filter (undefined: not decided yet)? */
  private passes: (boolean | undefined)[] = [];
  private filter: LogFilter = {};
  private search: CompiledSearch | null = null;
  /** Lines up to here (in the ring's history) are indexed. */
  private done = 0;

  constructor(readonly ring: LogRing) {}

  /** Show what passes this filter; reads the ring again only when it changed. */
  setFilter(filter: LogFilter): void {
    if (sameFilter(filter, this.filter)) return;
    this.filter = filter;
    this.passes = [];
    this.rows.clear();
    this.gaps.clear();
    this.hits.clear();
    this.done = this.ring.dropped;
  }

  /** Mark what this search matches; reads the shown rows again only when it changed. */
  setSearch(search: CompiledSearch | null): void {
    if (search?.all.source === this.search?.all.source && search?.all.flags === this.search?.all.flags) return;
    this.search = search;
    this.hits.clear();
    if (!search) return;
    for (let i = 0; i < this.rows.length; i++) {
      const key = this.rows.at(i);
      if (key % 2 === 1 && search.test.test(stripAnsi(this.ring.textAt(this.posOf(key))))) this.hits.push(key);
    }
  }

  /** Take in the lines the ring got since the last call, and forget those it dropped. */
  sync(sources: readonly (LogSource | undefined)[]): void {
    const ring = this.ring;
    const first = ring.dropped;
    const end = ring.dropped + ring.size;
    // A marker for lines dropped right before the first kept line is the top row's job.
    this.rows.dropBelow(gapKey(first) + 1);
    this.gaps.dropBelow(gapKey(first) + 1);
    this.hits.dropBelow(lineKey(first));
    if (this.done < first) this.done = first;
    for (let abs = this.done; abs < end; abs++) {
      const pos = abs - first;
      if (pos > 0 && ring.seqAt(pos) - ring.seqAt(pos - 1) > 1) {
        this.rows.push(gapKey(abs));
        this.gaps.push(gapKey(abs));
      }
      const src = ring.srcAt(pos);
      let passes = this.passes[src];
      if (passes === undefined || (passes === false && sources[src] === undefined)) {
        passes = sourcePasses(sources[src], this.filter);
        if (sources[src] !== undefined) this.passes[src] = passes;
      }
      if (!passes) continue;
      const text = ring.textAt(pos);
      if (!levelPasses(text, this.filter)) continue;
      this.rows.push(lineKey(abs));
      if (this.search && this.search.test.test(stripAnsi(text))) this.hits.push(lineKey(abs));
    }
    this.done = end;
  }

  /** Lines dropped before the first kept one: its sequence number, since they start at 0. */
  get earlierDropped(): number {
    return this.ring.size > 0 ? this.ring.seqAt(0) : 0;
  }

  private get topRows(): number {
    return this.earlierDropped > 0 ? 1 : 0;
  }

  /** Rows to show, markers included. */
  get rowCount(): number {
    return this.rows.length + this.topRows;
  }

  /** Lines shown (markers not counted). */
  get lineCount(): number {
    return this.rows.length - this.gaps.length;
  }

  get matchCount(): number {
    return this.hits.length;
  }

  /** The ring position of a line key. */
  posOf(key: number): number {
    return (key - 1) / 2 - this.ring.dropped;
  }

  row(i: number): LogRow {
    const top = this.topRows;
    if (i < top) return { kind: 'earlier', key: topKey, count: this.earlierDropped };
    const key = this.rows.at(i - top);
    if (key % 2 === 1) return { kind: 'line', key, pos: this.posOf(key) };
    const pos = key / 2 - this.ring.dropped;
    return { kind: 'gap', key, count: this.ring.seqAt(pos) - this.ring.seqAt(pos - 1) - 1 };
  }

  /** The row a key is at, or the first row after it when it is gone. */
  rowOf(key: number): number {
    if (key === topKey) return 0;
    return this.rows.lowerBound(key) + this.topRows;
  }

  /** The next (or previous) matching line after (before) `key`, wrapping around; undefined without matches. */
  nextMatch(key: number | undefined, backwards = false): number | undefined {
    const n = this.hits.length;
    if (n === 0) return undefined;
    if (key === undefined) return this.hits.at(backwards ? n - 1 : 0);
    if (backwards) {
      const at = this.hits.lowerBound(key) - 1;
      return this.hits.at(at >= 0 ? at : n - 1);
    }
    const at = this.hits.lowerBound(key + 1);
    return this.hits.at(at < n ? at : 0);
  }

  /** Which match (1-based) a key is, or 0 when it is none. */
  matchOrdinal(key: number | undefined): number {
    if (key === undefined) return 0;
    const at = this.hits.lowerBound(key);
    return at < this.hits.length && this.hits.at(at) === key ? at + 1 : 0;
  }

  /** Is this line a match of the search? */
  isMatch(key: number): boolean {
    return this.matchOrdinal(key) > 0;
  }

  /** The next shown line after `key` that `test` accepts (such as an error), wrapping around once. */
  nextLine(key: number | undefined, test: (text: string) => boolean): number | undefined {
    const rows = this.rows;
    const n = rows.length;
    const start = key === undefined ? 0 : rows.lowerBound(key + 1);
    for (let step = 0; step < n; step++) {
      const k = rows.at((start + step) % n);
      if (k % 2 === 1 && test(this.ring.textAt(this.posOf(k)))) return k;
    }
    return undefined;
  }

  /** The line keys from `from` to `to` (both included, either order), in order. */
  linesBetween(from: number, to: number): number[] {
    const lo = Math.min(from, to);
    const hi = Math.max(from, to);
    const keys: number[] = [];
    for (let i = this.rows.lowerBound(lo); i < this.rows.length && this.rows.at(i) <= hi; i++) {
      const key = this.rows.at(i);
      if (key % 2 === 1) keys.push(key);
    }
    return keys;
  }
}

function sameFilter(a: LogFilter, b: LogFilter): boolean {
  return a.host === b.host && a.place === b.place && a.stream === b.stream && a.level === b.level && a.step === b.step;
}
