/** How the delivery metrics read: short, exact enough to check by hand. */

/** 1.25, 0.75, 1: at most two decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** A share as a percentage with one decimal at most: 33.3%, 75%, 0%. */
export function formatShare(rate: number): string {
  return `${String(Number((rate * 100).toFixed(1)))}%`;
}

/** A span of time to the minute: "25 min", "22 h 30 min", "1 d 1 h 30 min" (seconds under a minute). */
export function formatSpan(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [...(d ? [`${d} d`] : []), ...(h ? [`${h} h`] : []), ...(m || (!d && !h) ? [`${m} min`] : [])];
  return parts.join(' ');
}
