/** How verification figures read: p-values, intervals, times, the order of the cards. */
import type { DecisionCard, VerdictState } from '../../../shared/verify';

const severity: Record<VerdictState, number> = { fail: 0, error: 1, inconclusive: 2, pass: 3 };
const shownOnly = (c: DecisionCard) =>
  c.metric === 'cpu' || c.metric === 'memory' || c.metric === 'error lines' ? 1 : 0;

/** The cards, the ones that need attention first (fail, error, inconclusive, pass); rules that only show a figure go last. */
export function orderedCards(cards: readonly DecisionCard[]): DecisionCard[] {
  return [...cards].sort((a, b) => severity[a.verdict] - severity[b.verdict] || shownOnly(a) - shownOnly(b));
}

/** A p-value as a reader wants it: "< 0.001", "0.042", "0.31". */
export function formatPValue(p: number): string {
  if (p < 0.001) return '< 0.001';
  return p < 0.01 ? p.toFixed(3) : p.toFixed(2);
}

/** A bound of an interval: fewer decimals as it grows. */
function formatBound(value: number): string {
  const size = Math.abs(value);
  return value.toFixed(size >= 100 ? 0 : size >= 10 ? 1 : 2);
}

/** "95% interval: 480 to 521 ms", "95% interval: 11.2 to 19.4%". */
export function formatInterval(interval: NonNullable<DecisionCard['interval']>): string {
  const unit = interval.unit === '%' ? '%' : ` ${interval.unit}`;
  return `${Math.round(interval.level * 100)}% interval: ${formatBound(interval.low)} to ${formatBound(interval.high)}${unit}`;
}

/** A time in ms as people read it: "0.4 ms", "12 ms", "1.20 s". */
export function formatMs(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}
