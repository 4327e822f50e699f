import { describe, expect, it } from 'vitest';
import { LogRing, type LogSource } from '../../../../shared/log';
import { LogIndex, KeyQueue, lineKey, topKey, type LogRow } from '../../../../renderer/src/logs/log-index';
import { compileSearch } from '../../../../renderer/src/logs/log-search';

const sources: LogSource[] = [
  { id: 0, host: 'lab-1', container: 'web-v1', stream: 'stdout' },
  { id: 1, host: 'lab-2', container: 'web-v1', stream: 'stdout' },
  { id: 2, host: 'lab-1', container: 'web-v1', stream: 'stderr' },
  { id: 3, host: 'lab-1', step: 'deploy-lab-1', stream: 'stdout' },
];

/** Push lines with these sequence numbers; the text says the seq and its source. */
function fill(ring: LogRing, seqs: number[], src = (seq: number) => seq % 2) {
  for (const seq of seqs)
    ring.push(seq, 1_700_000_000_000 + seq, src(seq), `line ${seq} from ${sources[src(seq)]!.host}`);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** The rows as short strings: `L<seq>` for lines, `gap:<n>` and `earlier:<n>` for markers. */
function rowsOf(index: LogIndex): string[] {
  const out: string[] = [];
  for (let i = 0; i < index.rowCount; i++) {
    const row: LogRow = index.row(i);
    out.push(row.kind === 'line' ? `L${index.ring.seqAt(row.pos)}` : `${row.kind}:${row.count}`);
  }
  return out;
}

describe('KeyQueue', () => {
  it('appends, drops from the front, grows and finds by binary search', () => {
    const q = new KeyQueue();
    for (let i = 0; i < 1000; i++) q.push(i * 2);
    q.dropBelow(500);
    expect(q.length).toBe(750);
    expect(q.at(0)).toBe(500);
    for (let i = 1000; i < 1300; i++) q.push(i * 2);
    expect(q.length).toBe(1050);
    expect(q.at(q.length - 1)).toBe(2598);
    expect(q.lowerBound(501)).toBe(1);
    expect(q.lowerBound(0)).toBe(0);
    expect(q.lowerBound(10_000)).toBe(q.length);
  });
});

describe('LogIndex', () => {
  it('shows every line in order while nothing is dropped', () => {
    const ring = new LogRing(100);
    const index = new LogIndex(ring);
    fill(ring, range(0, 10));
    index.sync(sources);
    expect(rowsOf(index)).toEqual(range(0, 10).map((s) => `L${s}`));
    expect(index.lineCount).toBe(10);
    expect(index.earlierDropped).toBe(0);
  });

  it('counts lines dropped before the first kept one from its sequence number, exactly', () => {
    const ring = new LogRing(1000);
    const index = new LogIndex(ring);
    fill(ring, range(0, 3500));
    index.sync(sources);
    expect(ring.size).toBe(1000);
    expect(index.earlierDropped).toBe(2500);
    expect(rowsOf(index)[0]).toBe('earlier:2500');
    expect(rowsOf(index)[1]).toBe('L2500');
    expect(index.rowCount).toBe(1001);
    expect(index.lineCount).toBe(1000);
  });

  it('marks a jump in sequence numbers as lines the engine dropped there', () => {
    const ring = new LogRing(100);
    const index = new LogIndex(ring);
    fill(ring, [0, 1, 2]);
    index.sync(sources);
    fill(ring, [15, 16]);
    index.sync(sources);
    expect(rowsOf(index)).toEqual(['L0', 'L1', 'L2', 'gap:12', 'L15', 'L16']);
    expect(index.lineCount).toBe(5);
  });

  it('folds a marker into the top one once the line before it is dropped', () => {
    const ring = new LogRing(4);
    const index = new LogIndex(ring);
    fill(ring, [0, 1, 2, 3]);
    index.sync(sources);
    fill(ring, [10, 11]);
    index.sync(sources);
    expect(rowsOf(index)).toEqual(['earlier:2', 'L2', 'L3', 'gap:6', 'L10', 'L11']);
    fill(ring, [12, 13]);
    index.sync(sources);
    // 0..9 are gone before 10: two by the cap, eight by the engine.
    expect(rowsOf(index)).toEqual(['earlier:10', 'L10', 'L11', 'L12', 'L13']);
  });

  it('takes a batch bigger than the cap', () => {
    const ring = new LogRing(5);
    const index = new LogIndex(ring);
    fill(ring, range(0, 3));
    index.sync(sources);
    fill(ring, range(3, 50));
    index.sync(sources);
    expect(rowsOf(index)).toEqual(['earlier:45', 'L45', 'L46', 'L47', 'L48', 'L49']);
  });

  it('filters by host, container, stream, step and level, incrementally', () => {
    const ring = new LogRing(100);
    const index = new LogIndex(ring);
    fill(ring, range(0, 6));
    index.setFilter({ host: 'lab-2' });
    index.sync(sources);
    expect(rowsOf(index)).toEqual(['L1', 'L3', 'L5']);
    fill(ring, range(6, 8));
    index.sync(sources);
    expect(rowsOf(index)).toEqual(['L1', 'L3', 'L5', 'L7']);
    index.setFilter({ stream: 'stderr' });
    ring.push(8, 0, 2, 'ERROR: boom');
    ring.push(9, 0, 2, 'warning: low disk');
    ring.push(10, 0, 2, 'fine');
    index.sync(sources);
    expect(rowsOf(index)).toEqual(['L8', 'L9', 'L10']);
    index.setFilter({ level: 'error' });
    index.sync(sources);
    expect(rowsOf(index)).toEqual(['L8']);
    index.setFilter({ level: 'warn' });
    index.sync(sources);
    expect(rowsOf(index)).toEqual(['L8', 'L9']);
    ring.push(11, 0, 3, 'step line');
    index.setFilter({ step: 'deploy-lab-1' });
    index.sync(sources);
    expect(rowsOf(index)).toEqual(['L11']);
  });

  it('does not read the ring again when the filter is the same', () => {
    const ring = new LogRing(100);
    const index = new LogIndex(ring);
    fill(ring, range(0, 4));
    index.setFilter({ host: 'lab-1' });
    index.sync(sources);
    let reads = 0;
    const textAt = ring.textAt.bind(ring);
    ring.textAt = (i: number) => (reads++, textAt(i));
    index.setFilter({ host: 'lab-1' });
    index.sync(sources);
    expect(reads).toBe(0);
    fill(ring, [4, 5]);
    index.sync(sources);
    // Only the new line of lab-1 is read.
    expect(reads).toBe(1);
  });

  it('counts search matches, steps through them both ways with wrap-around, and keeps the count as lines drop', () => {
    const ring = new LogRing(10);
    const index = new LogIndex(ring);
    fill(ring, range(0, 10));
    const search = compileSearch({ text: 'line [0-9]*[05] ', regex: true });
    if (!search.ok) throw new Error(search.message);
    index.setSearch(search.search);
    index.sync(sources);
    expect(index.matchCount).toBe(2);
    const first = index.nextMatch(undefined)!;
    expect(index.ring.seqAt(index.posOf(first))).toBe(0);
    const second = index.nextMatch(first)!;
    expect(index.ring.seqAt(index.posOf(second))).toBe(5);
    expect(index.nextMatch(second)).toBe(first);
    expect(index.nextMatch(first, true)).toBe(second);
    expect(index.matchOrdinal(second)).toBe(2);
    fill(ring, range(10, 13));
    index.sync(sources);
    // 0 dropped, 10 came: still two matches.
    expect(index.matchCount).toBe(2);
    expect(index.isMatch(first)).toBe(false);
  });

  it('finds the next line a test accepts, wrapping once', () => {
    const ring = new LogRing(100);
    const index = new LogIndex(ring);
    ring.push(0, 0, 0, 'ok');
    ring.push(1, 0, 0, 'ERROR one');
    ring.push(2, 0, 0, 'ok');
    ring.push(3, 0, 0, 'ERROR two');
    index.sync(sources);
    const isError = (t: string) => t.startsWith('ERROR');
    const one = index.nextLine(undefined, isError)!;
    const two = index.nextLine(one, isError)!;
    expect(ring.textAt(index.posOf(two))).toBe('ERROR two');
    expect(index.nextLine(two, isError)).toBe(one);
  });

  it('finds where a kept row is after lines drop from the front, so a paused view stays put', () => {
    const ring = new LogRing(10);
    const index = new LogIndex(ring);
    fill(ring, range(0, 10));
    index.sync(sources);
    const anchor = lineKey(6);
    expect(index.rowOf(anchor)).toBe(6);
    fill(ring, range(10, 14));
    index.sync(sources);
    // Four dropped, one top marker: the same line is now row 3.
    expect(index.rowOf(anchor)).toBe(3);
    expect(index.row(3)).toMatchObject({ kind: 'line', key: anchor });
    expect(index.rowOf(topKey)).toBe(0);
    // A dropped anchor falls to the first kept line.
    expect(index.rowOf(lineKey(1))).toBe(1);
  });

  it('lists the lines of a selection in order, without markers', () => {
    const ring = new LogRing(100);
    const index = new LogIndex(ring);
    fill(ring, [0, 1, 5, 6]);
    index.sync(sources);
    const keys = index.linesBetween(index.row(4).key, index.row(0).key);
    expect(keys.map((k) => ring.seqAt(index.posOf(k)))).toEqual([0, 1, 5, 6]);
  });

  it('stays within the cap and allocates no row objects while a flood passes', () => {
    const ring = new LogRing(1000);
    const index = new LogIndex(ring);
    for (let batch = 0; batch < 200; batch++) {
      fill(ring, range(batch * 500, batch * 500 + 500));
      index.sync(sources);
    }
    expect(ring.size).toBe(1000);
    expect(index.rowCount).toBe(1001);
    expect(index.earlierDropped).toBe(99_000);
  });
});
