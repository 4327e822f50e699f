import type { RunUpdate } from '../../../shared/contract';

/** Listen to every run's updates (as the engine pushes them to the windows); returns how to stop. */
export type RunSubscription = (listener: (update: RunUpdate) => void) => () => void;

/**
 * One run's updates, in the order they came, for a follower that awaits them
 * one by one instead of reading the run's journal again and again. After the
 * deadline the updates that came before it are still given, then no more.
 */
export class RunFeed {
  private readonly queue: RunUpdate[] = [];
  private waiter: ((update: RunUpdate | undefined) => void) | undefined;
  private expired = false;
  private readonly unsubscribe: () => void;
  private readonly deadline: ReturnType<typeof setTimeout>;

  /** Starts listening at once, so nothing the run does from here on is missed. */
  constructor(subscribe: RunSubscription, runId: string, deadlineMs: number) {
    this.unsubscribe = subscribe((update) => {
      if (update.runId === runId) this.give(update);
    });
    this.deadline = setTimeout(() => {
      this.expired = true;
      this.give(undefined);
    }, deadlineMs);
    // A run followed to the end never needs it; it must not keep a closing engine's process alive.
    this.deadline.unref?.();
  }

  /** The next update, or `undefined` once the deadline passed and every earlier update was taken. */
  next(): Promise<RunUpdate | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift());
    if (this.expired) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** Stop listening. */
  close(): void {
    this.unsubscribe();
    clearTimeout(this.deadline);
  }

  private give(update: RunUpdate | undefined): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter(update);
    } else if (update) this.queue.push(update);
  }
}
