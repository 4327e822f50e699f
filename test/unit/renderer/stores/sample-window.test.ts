import { describe, expect, it } from 'vitest';
import type { HttpSample, Sample } from '../../../../shared/verify';
import { SampleWindow, sampleKey, unseen } from '../../../../renderer/src/stores/sample-window';

const probe = (t: number, extra: Partial<HttpSample> = {}): HttpSample => ({
  kind: 'http',
  t,
  host: 'lab-1',
  role: 'candidate',
  path: '/',
  status: 200,
  ms: t % 7,
  ...extra,
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => probe(from + i));

describe('SampleWindow', () => {
  it('keeps at most its cap, dropping the oldest and counting them', () => {
    const window = new SampleWindow(5);
    window.push(range(0, 3));
    expect(window.size).toBe(3);
    expect(window.dropped).toBe(0);
    window.push(range(3, 8));
    expect(window.all().map((s) => s.t)).toEqual([3, 4, 5, 6, 7]);
    expect(window.dropped).toBe(3);
  });

  it('takes only the newest part of a batch larger than the cap', () => {
    const window = new SampleWindow(4);
    window.push(range(0, 10));
    expect(window.all().map((s) => s.t)).toEqual([6, 7, 8, 9]);
    expect(window.dropped).toBe(6);
  });

  it('bumps its version on every change, and not for an empty batch', () => {
    const window = new SampleWindow(4);
    window.push([]);
    expect(window.version).toBe(0);
    window.push(range(0, 1));
    window.clear();
    expect(window.version).toBe(2);
    expect(window.size).toBe(0);
    expect(window.dropped).toBe(0);
  });

  it('holds 20,000 samples of a long VERIFY in bounded memory', () => {
    const window = new SampleWindow(20_000);
    for (let second = 0; second < 1_000; second++) window.push(range(second * 40, second * 40 + 40));
    expect(window.size).toBe(20_000);
    expect(window.dropped).toBe(20_000);
    expect(window.all()[0]!.t).toBe(20_000);
  });
});

describe('unseen', () => {
  it('drops the live samples the journal already had, keeps the rest in order', () => {
    const read = range(0, 10);
    const live = [probe(8), probe(9), probe(10), probe(11)];
    expect(unseen(read, live).map((s) => s.t)).toEqual([10, 11]);
  });

  it('tells samples apart by what they measured, not only by time', () => {
    const read: Sample[] = [probe(5), probe(5, { host: 'lab-2' })];
    const live: Sample[] = [probe(5, { host: 'lab-2' }), probe(5, { status: 500 }), probe(5, { role: 'baseline' })];
    expect(unseen(read, live)).toEqual([probe(5, { status: 500 }), probe(5, { role: 'baseline' })]);
  });

  it('counts copies: a sample seen once in the journal hides one live copy only', () => {
    expect(unseen([probe(1)], [probe(1), probe(1)])).toEqual([probe(1)]);
  });

  it('keys every kind of sample on its figures', () => {
    const health: Sample = { kind: 'health', t: 1, host: 'h', role: 'candidate', ok: true, detail: '200' };
    const host: Sample = {
      kind: 'host',
      t: 1,
      host: 'h',
      role: 'candidate',
      load1: 0.5,
      memoryUsedShare: 0.3,
      diskUsedShare: 0.2,
    };
    const container: Sample = {
      kind: 'container',
      t: 1,
      host: 'h',
      role: 'candidate',
      cpuPercent: 1,
      memoryBytes: 2,
      restarts: 0,
      errorLines: 0,
    };
    expect(new Set([health, host, container, probe(1)].map(sampleKey)).size).toBe(4);
    expect(sampleKey({ ...health, ok: false })).not.toBe(sampleKey(health));
  });

  it('is empty without live samples', () => {
    expect(unseen(range(0, 3), [])).toEqual([]);
  });
});
