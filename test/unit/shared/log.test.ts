import { describe, expect, it } from 'vitest';
import { parseAnsi, stripAnsi } from '../../../shared/ansi';
import { redactor } from '../../../shared/commands/command';
import { FrameReader } from '../../../electron/engine/fleet/docker-frames';
import { levelOf, LineSplitter, LogRing, maxLineChars, splitDockerTimestamp, TimeMerge } from '../../../shared/log';

describe('LogRing', () => {
  it('keeps the newest lines up to its capacity, in order, counting what it dropped', () => {
    const ring = new LogRing(3000);
    for (let i = 0; i < 10_000; i++) ring.push(i, i * 10, i % 3, `line ${i}`);
    expect(ring.size).toBe(3000);
    expect(ring.dropped).toBe(7000);
    expect(ring.seqAt(0)).toBe(7000);
    expect(ring.textAt(0)).toBe('line 7000');
    expect(ring.textAt(2999)).toBe('line 9999');
    expect(ring.timeAt(1)).toBe(70010);
    expect(ring.srcAt(2)).toBe(7002 % 3);
    expect(ring.find(8000)).toBe(1000);
    expect(ring.find(6999)).toBe(-1);
    const tail = ring.slice(2998);
    expect(tail).toEqual({
      first: 9998,
      src: [9998 % 3, 9999 % 3],
      t: [99980, 99990],
      text: ['line 9998', 'line 9999'],
    });
  });

  it('grows on demand below its capacity and finds lines across the wrap', () => {
    const ring = new LogRing(5);
    for (let i = 0; i < 7; i++) ring.push(i * 2, 0, 0, String(i));
    expect(Array.from({ length: ring.size }, (_, i) => ring.textAt(i))).toEqual(['2', '3', '4', '5', '6']);
    expect(ring.find(8)).toBe(2);
    ring.clear();
    expect(ring.size).toBe(0);
  });
});

describe('LineSplitter', () => {
  it('lets only complete lines out, whatever the chunk boundaries, and the rest at the end', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('one\ntw')).toEqual(['one']);
    expect(splitter.push('o\r\nthr')).toEqual(['two']);
    expect(splitter.push('ee')).toEqual([]);
    expect(splitter.flush()).toEqual(['three']);
    expect(splitter.flush()).toEqual([]);
  });

  it('cuts a runaway line and says how much was cut', () => {
    const splitter = new LineSplitter();
    const [line] = splitter.push(`${'x'.repeat(maxLineChars + 10)}\n`);
    expect(line).toHaveLength(maxLineChars + '… [10 more characters cut]'.length);
    expect(line!.endsWith('… [10 more characters cut]')).toBe(true);
  });
});

describe('TimeMerge', () => {
  it('holds lines long enough for a slower source to deliver older ones, then lets them out in time order', () => {
    const merge = new TimeMerge(200);
    merge.push({ src: 0, t: 100, text: 'a1', arrived: 1000 });
    merge.push({ src: 0, t: 300, text: 'a2', arrived: 1000 });
    // B's older line comes 150 ms later over a slower link.
    merge.push({ src: 1, t: 200, text: 'b1', arrived: 1150 });
    expect(merge.release(1100)).toEqual([]);
    expect(merge.release(1200).map((l) => l.text)).toEqual(['a1']);
    expect(merge.release(1350).map((l) => l.text)).toEqual(['b1', 'a2']);
    expect(merge.size).toBe(0);
  });

  it('keeps each source in its own order and lets everything out at the end', () => {
    const merge = new TimeMerge(1000);
    merge.push({ src: 0, t: 5, text: 'a', arrived: 0 });
    merge.push({ src: 1, t: 5, text: 'b', arrived: 0 });
    merge.push({ src: 0, t: 5, text: 'c', arrived: 0 });
    expect(merge.release(0, true).map((l) => l.text)).toEqual(['a', 'c', 'b']);
  });
});

describe('levels, timestamps, secrets and colours', () => {
  it("reads a line's level from its words", () => {
    expect(levelOf('2026/12/01 [error] 12#12: connect() failed')).toBe('error');
    expect(levelOf('level=warn msg="slow"')).toBe('warn');
    expect(levelOf('panic: runtime error')).toBe('error');
    expect(levelOf('WARNING: disk 91% full')).toBe('warn');
    expect(levelOf('GET /errors-page 200')).toBeUndefined();
    expect(levelOf('all good')).toBeUndefined();
  });

  it("splits Docker's timestamp off a line, keeping sub-millisecond order", () => {
    const a = splitDockerTimestamp('2026-12-01T07:20:36.123456789Z hello world')!;
    const b = splitDockerTimestamp('2026-12-01T07:20:36.123457Z next')!;
    expect(a.text).toBe('hello world');
    expect(Math.floor(a.t)).toBe(Date.parse('2026-12-01T07:20:36.123Z'));
    expect(b.t).toBeGreaterThan(a.t);
    expect(splitDockerTimestamp('no stamp here')).toBeUndefined();
    expect(splitDockerTimestamp('2026-12-01T07:20:36Z')).toEqual({ t: Date.parse('2026-12-01T07:20:36Z'), text: '' });
  });

  it('redacts every secret, longest first, in one pass', () => {
    const redact = redactor(['hunter2', 'hunter2-long', '', 'a.b*c']);
    expect(redact('pw=hunter2-long and hunter2 and a.b*c, not abbc')).toBe('pw=*** and *** and ***, not abbc');
    expect(redactor([])('untouched')).toBe('untouched');
  });

  it('turns SGR codes into styled runs and drops other escapes', () => {
    expect(parseAnsi('plain')).toEqual([{ text: 'plain', style: {} }]);
    expect(parseAnsi('\x1b[1;31mred\x1b[0m ok \x1b[38;5;208mor\x1b[39m \x1b[48;2;0;128;255mbg\x1b[m')).toEqual([
      { text: 'red', style: { bold: true, fg: 1 } },
      { text: ' ok ', style: {} },
      { text: 'or', style: { fg: 208 } },
      { text: ' ', style: {} },
      { text: 'bg', style: { bg: '#0080ff' } },
    ]);
    expect(parseAnsi('\x1b[92mbright\x1b[22m')).toEqual([{ text: 'bright', style: { fg: 10 } }]);
    expect(stripAnsi('\x1b]0;title\x07\x1b[2Kdone \x1b[32m✓\x1b[0m')).toBe('done ✓');
  });
});

describe('FrameReader', () => {
  const frame = (stream: 1 | 2, text: string | Buffer) => {
    const body = typeof text === 'string' ? Buffer.from(text) : text;
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(body.length, 4);
    return Buffer.concat([header, body]);
  };

  it('reads frames split anywhere, a character split across frames included', () => {
    const euro = Buffer.from('€');
    const all = Buffer.concat([
      frame(1, 'out 1\n'),
      frame(2, 'err\n'),
      frame(1, Buffer.concat([Buffer.from('price '), euro.subarray(0, 1)])),
      frame(1, Buffer.concat([euro.subarray(1), Buffer.from('\n')])),
    ]);
    for (const cut of [1, 3, 8, 9, 15, 20, all.length - 1]) {
      const reader = new FrameReader(true);
      const frames = [...reader.push(all.subarray(0, cut)), ...reader.push(all.subarray(cut))];
      const text = (stream: string) =>
        frames
          .filter((f) => f.stream === stream)
          .map((f) => f.text)
          .join('');
      expect(text('stdout')).toBe('out 1\nprice €\n');
      expect(text('stderr')).toBe('err\n');
    }
  });

  it("passes a TTY container's raw output through as stdout", () => {
    expect(new FrameReader(false).push(Buffer.from('\x1b[32mok\x1b[0m\n'))).toEqual([
      { stream: 'stdout', text: '\x1b[32mok\x1b[0m\n' },
    ]);
  });
});
