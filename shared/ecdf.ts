/** The empirical distribution function of a sample, as points for a chart: the renderer's VERIFY charts and the run report draw the same curve. */

export interface EcdfPoint {
  readonly x: number;
  readonly p: number;
}

/**
 * The empirical distribution of `values` as at most `maxPoints` steps, sorted
 * by x. Thinned evenly by rank when there are more values, always keeping the
 * smallest and the largest, so the curve still starts and ends where the data do.
 */
export function ecdf(values: readonly number[], maxPoints = 200): EcdfPoint[] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return [];
  const points: EcdfPoint[] = [];
  const step = n <= maxPoints ? 1 : (n - 1) / (Math.max(2, maxPoints) - 1);
  const count = n <= maxPoints ? n : Math.max(2, maxPoints);
  for (let k = 0; k < count; k++) {
    let i = Math.round(k * step);
    // Ties: the share at a value counts every copy of it.
    while (i + 1 < n && sorted[i + 1] === sorted[i]) i++;
    const point = { x: sorted[i]!, p: (i + 1) / n };
    if (points.length > 0 && points[points.length - 1]!.x === point.x) points[points.length - 1] = point;
    else points.push(point);
  }
  return points;
}
