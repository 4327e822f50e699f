// One line per finished step: time since start, outcome, label, duration.
import { performance } from 'node:perf_hooks';

export const formatMs = (ms: number): string => (ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(2)} s`);

export class Progress {
  private readonly started = performance.now();

  elapsedMs(): number {
    return performance.now() - this.started;
  }

  // Durations come before labels so that the columns line up whatever the label.
  private print(outcome: string, label: string, ms: number): void {
    const at = `+${(this.elapsedMs() / 1_000).toFixed(2)}s`.padStart(8);
    console.log(`${at}  ${outcome.padEnd(4)}  ${formatMs(ms).padStart(8)}  ${label}`);
  }

  /** Runs fn and prints one line when it ends; `describe` adds details from its result. */
  async step<T>(label: string, fn: () => T | Promise<T>, describe?: (result: T) => string): Promise<T> {
    const begin = performance.now();
    try {
      const result = await fn();
      const detail = describe?.(result);
      this.print('ok', detail ? `${label}: ${detail}` : label, performance.now() - begin);
      return result;
    } catch (err) {
      this.print('FAIL', label, performance.now() - begin);
      throw new StepError(label, err);
    }
  }
}

/** An error that remembers which step it came from, printed once at the end. */
export class StepError extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(`${step}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
