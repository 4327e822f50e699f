/** One printed benchmark figure and whether it meets its target. */
export interface Figure {
  readonly metric: string;
  readonly value: string;
  readonly target: string;
  readonly met: boolean;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function printFigures(title: string, figures: readonly Figure[]): void {
  const width = Math.max(...figures.map((f) => f.metric.length));
  process.stdout.write(`\n${title}\n`);
  for (const f of figures)
    process.stdout.write(`  ${f.met ? 'met ' : 'MISS'}  ${f.metric.padEnd(width)}  ${f.value}   target ${f.target}\n`);
}
