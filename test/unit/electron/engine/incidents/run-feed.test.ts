import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunUpdate } from '../../../../../shared/contract';
import { RunFeed } from '../../../../../electron/engine/incidents/run-feed';

/** A stand-in for the engine's run updates: what a feed subscribes to. */
function updates() {
  const listeners = new Set<(update: RunUpdate) => void>();
  return {
    subscribe: (listener: (update: RunUpdate) => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    push: (update: RunUpdate) => listeners.forEach((l) => l(update)),
    get listening() {
      return listeners.size;
    },
  };
}
const running = (runId: string): RunUpdate => ({ runId, kind: 'status', status: 'running' });
const confirmed = (runId: string): RunUpdate => ({ runId, kind: 'status', status: 'confirmed' });

afterEach(() => vi.useRealTimers());

describe('a run feed', () => {
  it("gives one run's updates in order, those that came before it was asked and those after", async () => {
    const source = updates();
    const feed = new RunFeed(source.subscribe, 'r1', 60_000);
    source.push(running('r1'));
    source.push(running('other'));
    expect(await feed.next()).toEqual(running('r1'));
    const waited = feed.next();
    source.push(confirmed('other'));
    source.push(confirmed('r1'));
    expect(await waited).toEqual(confirmed('r1'));
    feed.close();
    expect(source.listening).toBe(0);
  });

  it('after its deadline gives the updates that came before it, then nothing', async () => {
    vi.useFakeTimers();
    const source = updates();
    const feed = new RunFeed(source.subscribe, 'r1', 1000);
    const waited = feed.next();
    vi.advanceTimersByTime(1000);
    expect(await waited).toBeUndefined();
    const late = new RunFeed(source.subscribe, 'r2', 1000);
    source.push(running('r2'));
    vi.advanceTimersByTime(1000);
    expect(await late.next()).toEqual(running('r2'));
    expect(await late.next()).toBeUndefined();
    feed.close();
    late.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
