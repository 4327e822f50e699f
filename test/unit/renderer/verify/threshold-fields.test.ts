import { describe, expect, it } from 'vitest';
import { defaultThresholds } from '../../../../shared/verify';
import { fieldsOf, parseThresholds } from '../../../../renderer/src/verify/threshold-fields';

describe('threshold fields', () => {
  it('shows shares in percent, times in ms', () => {
    expect(fieldsOf({ ...defaultThresholds, errorRate: { investigate: 0.07, rollback: 0.1 } })).toEqual({
      investigate: '7',
      rollback: '10',
      p95: '2000',
      max: '3000',
      degradation: '10',
      healthFailures: '3',
    });
  });

  it('reads them back to the same thresholds, keeping what the form does not show', () => {
    const base = { ...defaultThresholds, alpha: 0.01, degradationFloorMs: 8 };
    expect(parseThresholds(fieldsOf(base), base)).toEqual({ ok: true, thresholds: base });
  });

  it('takes changed values, a decimal comma too', () => {
    const parsed = parseThresholds(
      { ...fieldsOf(defaultThresholds), investigate: '2,5', degradation: '50', max: '4000' },
      defaultThresholds,
    );
    expect(parsed.ok && parsed.thresholds).toMatchObject({
      errorRate: { investigate: 0.025, rollback: 0.1 },
      degradation: 0.5,
      latencyMs: { p95: 2000, max: 4000 },
    });
  });

  it('names each field that is not a number, out of range or not whole', () => {
    const parsed = parseThresholds(
      { investigate: '', rollback: '120', p95: 'fast', max: '0', degradation: '-1', healthFailures: '2.5' },
      defaultThresholds,
    );
    expect(parsed).toEqual({
      ok: false,
      errors: {
        investigate: 'Error rate that asks: enter a number (%).',
        rollback: 'Error rate that rolls back: between 0 and 100 %.',
        p95: 'p95 latency limit: enter a number (ms).',
        max: 'Slowest answer limit: between 1 and 600,000 ms.',
        degradation: 'Allowed slowdown: between 0 and 100 %.',
        healthFailures: 'Health failures in a row: enter a whole number of checks.',
      },
    });
  });

  it('takes whole milliseconds and at most 100 checks, as the engine does', () => {
    const parsed = parseThresholds(
      { ...fieldsOf(defaultThresholds), p95: '1500.5', healthFailures: '101' },
      defaultThresholds,
    );
    expect(parsed).toEqual({
      ok: false,
      errors: {
        p95: 'p95 latency limit: enter a whole number of ms.',
        healthFailures: 'Health failures in a row: between 1 and 100 checks.',
      },
    });
  });

  it('refuses pairs out of order: asking over rolling back, a p95 over the slowest answer', () => {
    const parsed = parseThresholds(
      { ...fieldsOf(defaultThresholds), investigate: '12', rollback: '10', p95: '5000', max: '3000' },
      defaultThresholds,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.investigate).toBe(
      'Error rate that asks (12%) must not be over the one that rolls back (10%).',
    );
    expect(parsed.errors.p95).toBe('p95 latency limit (5000 ms) must not be over the slowest answer limit (3000 ms).');
  });
});
