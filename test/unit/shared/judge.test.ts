import { describe, expect, it } from 'vitest';
import { judge, type JudgeInput } from '../../../shared/judge';
import { defaultThresholds, type HttpSample, type Sample } from '../../../shared/verify';

/** A steady stream of HTTP samples: `n` answers on each host, every `failEvery`-th one a 500, taking `ms(i)`. */
function http(
  role: 'baseline' | 'candidate',
  n: number,
  ms: (i: number) => number,
  failEvery = 0,
  hosts = ['a', 'b'],
): HttpSample[] {
  return hosts.flatMap((host) =>
    Array.from({ length: n }, (_, i) => ({
      kind: 'http' as const,
      t: i * 50,
      host,
      role,
      path: '/x',
      status: failEvery && i % failEvery === 0 ? 500 : 200,
      ms: ms(i),
    })),
  );
}
// Latency around 5 ms with a spread, the same shape for both releases.
const jitter = (i: number) => 4 + ((i * 37) % 17) / 10;

function input(candidate: Sample[], baseline: Sample[], final = false): JudgeInput {
  return {
    candidate,
    baseline,
    comparison: 'concurrent',
    thresholds: defaultThresholds,
    verify: { minSamples: 50 },
    final,
    now: 0,
  };
}

const cardOf = (j: ReturnType<typeof judge>, metric: string) => j.cards.find((c) => c.metric === metric)!;

describe('judge', () => {
  it('passes a release like its baseline', () => {
    const j = judge(
      input(
        http('candidate', 100, jitter),
        http('baseline', 100, (i) => jitter(i + 3)),
      ),
    );
    expect(j.decision).toBe('pass');
    expect(cardOf(j, 'latency shift')).toMatchObject({ verdict: 'pass', test: 'Mann-Whitney U, Hodges-Lehmann shift' });
    expect(cardOf(j, 'error rate').verdict).toBe('pass');
  });

  it('rolls back a release 500 ms slower, with the interval of the shift on its card', () => {
    const j = judge(
      input(
        http('candidate', 60, (i) => 500 + jitter(i)),
        http('baseline', 60, jitter),
      ),
    );
    expect(j.decision).toBe('rollback');
    const shift = cardOf(j, 'latency shift');
    expect(shift).toMatchObject({ verdict: 'fail', action: 'rollback' });
    expect(shift.interval!.low).toBeGreaterThan(490);
    expect(shift.pValue).toBeLessThan(1e-10);
  });

  it('waits while a shift sits in the gray zone, and asks when the time is up', () => {
    // 6 ms slower on a 5 ms baseline: over the 5 ms floor in the middle, but not surely.
    const candidate = http('candidate', 60, (i) => jitter(i) + (i % 2 ? 12 : 0));
    const baseline = http('baseline', 60, jitter);
    expect(cardOf(judge(input(candidate, baseline)), 'latency shift').action).toBe('wait');
    const last = judge(input(candidate, baseline, true));
    expect(cardOf(last, 'latency shift')).toMatchObject({ verdict: 'inconclusive', action: 'ask' });
    expect(last.decision).toBe('ask');
  });

  it('rolls back at once over 10% errors, asks between 5 and 10%, passes under 5%', () => {
    const base = http('baseline', 150, jitter);
    expect(judge(input(http('candidate', 150, jitter, 6), base)).decision).toBe('rollback');
    const seven = judge(input(http('candidate', 500, jitter, 14), http('baseline', 500, jitter)));
    expect(cardOf(seven, 'error rate')).toMatchObject({ verdict: 'inconclusive', action: 'ask' });
    expect(seven.decision).toBe('ask');
    expect(judge(input(http('candidate', 150, jitter, 100), base)).decision).toBe('pass');
  });

  it('rolls back on a p95 over 2 s, and on more than 1% of answers over 3 s', () => {
    const base = http('baseline', 100, jitter);
    expect(
      cardOf(
        judge(
          input(
            http('candidate', 100, (i) => (i % 25 === 0 ? 2500 : jitter(i))),
            base,
          ),
        ),
        'p95 latency',
      ).verdict,
    ).toBe('pass');
    expect(
      cardOf(
        judge(
          input(
            http('candidate', 100, (i) => (i % 4 === 0 ? 2500 : jitter(i))),
            base,
          ),
        ),
        'p95 latency',
      ).verdict,
    ).toBe('fail');
    expect(
      cardOf(
        judge(
          input(
            http('candidate', 100, (i) => (i === 7 ? 3500 : jitter(i))),
            base,
          ),
        ),
        'slowest answer',
      ).verdict,
    ).toBe('pass');
    expect(
      cardOf(
        judge(
          input(
            http('candidate', 100, (i) => (i % 20 === 0 ? 3500 : jitter(i))),
            base,
          ),
        ),
        'slowest answer',
      ).verdict,
    ).toBe('fail');
  });

  it('rolls back after 3 failed health checks in a row, not after 2', () => {
    const health = (oks: boolean[]): Sample[] =>
      oks.map((ok, i) => ({
        kind: 'health',
        t: i,
        host: 'a',
        role: 'candidate',
        ok,
        detail: ok ? '/up answered 200' : '/up answered 503',
      }));
    expect(judge(input(health([true, false, false]), [])).decision).not.toBe('rollback');
    const j = judge(input(health([true, false, false, false]), []));
    expect(j.decision).toBe('rollback');
    expect(cardOf(j, 'health').reason).toBe('3 health checks failed in a row (last: /up answered 503).');
  });

  it('calls a host that could not be measured an Error and asks, never rolling back for it', () => {
    const measuredOk = http('candidate', 100, jitter, 0, ['b']);
    const lost: HttpSample[] = Array.from({ length: 5 }, (_, i) => ({
      kind: 'http',
      t: 5000 + i,
      host: 'a',
      role: 'candidate',
      path: '/x',
      status: 0,
      ms: 1,
      unmeasured: 'the SSH connection to a is down',
    }));
    const j = judge(
      input([...http('candidate', 40, jitter, 0, ['a']), ...measuredOk, ...lost], http('baseline', 100, jitter), true),
    );
    expect(j.decision).toBe('ask');
    expect(cardOf(j, 'error rate')).toMatchObject({ verdict: 'error', action: 'ask' });
    expect(cardOf(j, 'error rate').reason).toMatch(
      /^Could not measure error rate: 5 probes in a row failed to reach the release \(the SSH connection to a is down\)/,
    );
    expect(j.cards.some((c) => c.action === 'rollback')).toBe(false);
  });

  it('waits for enough samples, and asks when VERIFY ends without a baseline', () => {
    expect(judge(input(http('candidate', 10, jitter), http('baseline', 10, jitter))).decision).toBe('wait');
    const noBaseline = judge(input(http('candidate', 100, jitter), [], true));
    expect(cardOf(noBaseline, 'latency shift').reason).toBe(
      'No baseline was measured, so latency cannot be compared: a person decides.',
    );
    expect(noBaseline.decision).toBe('ask');
  });

  it('passes two releases whose every answer took the same time', () => {
    expect(
      cardOf(
        judge(
          input(
            http('candidate', 60, () => 3),
            http('baseline', 60, () => 3),
          ),
        ),
        'latency shift',
      ).verdict,
    ).toBe('pass');
  });
});
