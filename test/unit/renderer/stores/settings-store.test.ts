import { describe, expect, it } from 'vitest';
import { ProblemError, type Problem } from '../../../../shared/problem';
import { settingsStore } from '../../../../renderer/src/stores/settings-store';

interface Limits {
  readonly lines: number;
}

const refused: Problem = {
  code: 'bad-request',
  message: 'Lines must be at most 1,000,000',
  where: 'lines',
  hint: 'Type a smaller number.',
};

/** A channel over a value held here, standing in for the engine: it clamps what it keeps, and fails when told to. */
function engine(start: Limits) {
  let kept = start;
  const savedCalls: Limits[] = [];
  const failing = { read: false, write: false };
  const store = settingsStore<Limits>({
    read: async () => {
      if (failing.read) throw new Error('the engine is gone');
      return kept;
    },
    write: async (settings) => {
      if (failing.write) throw new ProblemError(refused);
      kept = { lines: Math.min(settings.lines, 500) };
      return kept;
    },
    saved: (settings) => savedCalls.push(settings),
  });
  return { store, savedCalls, failing };
}

describe('settingsStore', () => {
  it('holds nothing before the first read, then what the engine sends', async () => {
    const { store } = engine({ lines: 100 });
    expect(store.getState().settings).toBeNull();
    await store.getState().load();
    expect(store.getState()).toMatchObject({ settings: { lines: 100 }, loadProblem: null });
  });

  it('keeps the last value and says why when a read fails, and forgets the problem once a read works', async () => {
    const { store, failing } = engine({ lines: 100 });
    await store.getState().load();
    failing.read = true;
    await store.getState().load();
    expect(store.getState().settings).toEqual({ lines: 100 });
    expect(store.getState().loadProblem).toEqual({ code: 'internal', message: 'the engine is gone' });
    failing.read = false;
    await store.getState().load();
    expect(store.getState().loadProblem).toBeNull();
  });

  it('keeps what the engine kept, not what was sent, and tells `saved` about it', async () => {
    const { store, savedCalls } = engine({ lines: 100 });
    expect(await store.getState().save({ lines: 9000 })).toBeNull();
    expect(store.getState().settings).toEqual({ lines: 500 });
    expect(savedCalls).toEqual([{ lines: 500 }]);
  });

  it('resolves with the problem of a refused save, keeping the value it had and telling no one', async () => {
    const { store, savedCalls, failing } = engine({ lines: 100 });
    await store.getState().load();
    failing.write = true;
    expect(await store.getState().save({ lines: 200 })).toEqual(refused);
    expect(store.getState().settings).toEqual({ lines: 100 });
    expect(savedCalls).toEqual([]);
  });
});
