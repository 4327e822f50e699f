import { describe, expect, it } from 'vitest';
import { formatInterval, formatMs, formatPValue, orderedCards } from '../../../../renderer/src/verify/verify-format';
import type { DecisionCard } from '../../../../shared/verify';

describe('verification figures', () => {
  it('p-values', () => {
    expect(formatPValue(0.0000012)).toBe('< 0.001');
    expect(formatPValue(0.0042)).toBe('0.004');
    expect(formatPValue(0.3127)).toBe('0.31');
  });

  it('intervals with their level and unit', () => {
    expect(formatInterval({ low: 480.4, high: 521.6, level: 0.95, unit: 'ms' })).toBe('95% interval: 480 to 522 ms');
    expect(formatInterval({ low: 11.234, high: 19.41, level: 0.95, unit: '%' })).toBe('95% interval: 11.2 to 19.4%');
    expect(formatInterval({ low: -0.4, high: 0.31, level: 0.99, unit: 'ms' })).toBe('99% interval: -0.40 to 0.31 ms');
  });

  it('times', () => {
    expect(formatMs(0.42)).toBe('0.4 ms');
    expect(formatMs(512.3)).toBe('512 ms');
    expect(formatMs(1234)).toBe('1.23 s');
  });

  it('cards that need attention come first; figures only shown come last', () => {
    const card = (metric: DecisionCard['metric'], verdict: DecisionCard['verdict']): DecisionCard => ({
      metric,
      verdict,
      action: 'none',
      reason: '',
      candidate: '',
      threshold: '',
      samples: { baseline: 0, candidate: 0, needed: 0 },
    });
    const order = orderedCards([
      card('cpu', 'pass'),
      card('health', 'pass'),
      card('error rate', 'inconclusive'),
      card('latency shift', 'fail'),
      card('p95 latency', 'error'),
    ]).map((c) => c.metric);
    expect(order).toEqual(['latency shift', 'p95 latency', 'error rate', 'health', 'cpu']);
  });
});
