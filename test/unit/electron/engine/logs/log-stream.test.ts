import { afterEach, describe, expect, it } from 'vitest';
import type { LogBatch, LogStatus } from '../../../../../shared/log';
import { LogStream, maxBatchLines } from '../../../../../electron/engine/logs/log-stream';

const streams: LogStream[] = [];
afterEach(() => streams.splice(0).forEach((s) => s.close()));

function stream(
  options: {
    capLines?: number;
    holdMs?: number;
    congested?: () => boolean;
    now?: () => number;
    redact?: (t: string) => string;
  } = {},
) {
  const batches: LogBatch[] = [];
  const statuses: LogStatus[] = [];
  const s = new LogStream({
    streamId: 'unit-0001',
    title: 't',
    capLines: options.capLines ?? 100_000,
    holdMs: options.holdMs ?? 0,
    redact: options.redact ?? ((t) => t),
    send: (b) => batches.push(b),
    status: (st) => statuses.push(st),
    ...(options.congested ? { congested: options.congested } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  streams.push(s);
  return { s, batches, statuses };
}

describe('LogStream', () => {
  it('sends a burst as messages of at most 2,000 lines, numbered without a gap, sources with the first', () => {
    const { s, batches } = stream();
    const src = s.source({ host: 'h', container: 'c', stream: 'stdout' });
    for (let i = 0; i < 4500; i++) s.line(src, i, `l${i}`);
    s.flush();
    expect(batches.map((b) => [b.first, b.text.length, b.sources.length])).toEqual([
      [0, maxBatchLines, 1],
      [2000, 2000, 0],
      [4000, 500, 0],
    ]);
    expect(batches.flatMap((b) => b.text)).toEqual(Array.from({ length: 4500 }, (_, i) => `l${i}`));
  });

  it('redacts each line before it is kept', () => {
    const { s, batches } = stream({ redact: (t) => t.replace('hunter2', '***') });
    s.line(s.source({ host: 'h', stream: 'stdout' }), 1, 'pw hunter2');
    s.flush();
    expect(batches[0]!.text).toEqual(['pw ***']);
  });

  it('holds lines while the window is behind, keeps the newest cap of them, and tells the status anyway', () => {
    let behind = true;
    const { s, batches, statuses } = stream({ capLines: 1000, congested: () => behind });
    const src = s.source({ host: 'h', stream: 'stderr' });
    s.problem('h', { code: 'unreachable', message: 'down' });
    for (let i = 0; i < 2500; i++) s.line(src, i, `l${i}`);
    s.flush();
    expect(batches).toEqual([]);
    expect(statuses.at(-1)!.problems).toEqual([{ where: 'h', message: 'down' }]);
    behind = false;
    s.flush();
    expect(batches.map((b) => b.first)).toEqual([1500]);
    expect(batches[0]!.text).toHaveLength(1000);
  });

  it('merges sources in time order after the hold, and ends only once the merge is empty', () => {
    let now = 0;
    const { s, batches, statuses } = stream({ holdMs: 200, now: () => now });
    const a = s.source({ host: 'a', stream: 'stdout' });
    const b = s.source({ host: 'b', stream: 'stdout' });
    s.line(a, 20, 'a20');
    now = 100;
    s.line(b, 10, 'b10');
    now = 250;
    s.flush();
    expect(batches.flatMap((x) => x.text)).toEqual([]);
    now = 301;
    s.flush();
    expect(batches.flatMap((x) => x.text)).toEqual(['b10', 'a20']);
    s.end();
    s.flush();
    expect(statuses.at(-1)!.state).toBe('ended');
  });
});
