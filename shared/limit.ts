/**
 * Run `work` on every item with at most `limit` running at once, and resolve
 * with every outcome in input order; one failure never stops the others.
 */
export async function settleLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await work(items[index]!) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** At most `size()` holders at once; the others wait their turn in order. */
export class Slots {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: () => number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.held >= Math.max(1, this.size())) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.held++;
    try {
      return await work();
    } finally {
      this.held--;
      this.waiting.shift()?.();
    }
  }
}
