import { describe, expect, it } from 'vitest';
import { ProblemError, type Problem } from '../../../../shared/problem';
import { attempt, runAction, type ActionState } from '../../../../renderer/src/common/use-action';

const refused: Problem = {
  code: 'auth-failed',
  message: 'The server refused the key',
  where: 'lab-1',
  hint: 'Check the key file.',
};

/** Apply runAction's changes the way the hook does, and keep every state it passed through. */
function recorder<K>() {
  let state: ActionState<K> = { doing: null, problem: null };
  const states: ActionState<K>[] = [];
  const update = (change: Partial<ActionState<K>>) => {
    state = { ...state, ...change };
    states.push(state);
  };
  return { update, states, now: () => state, set: (s: ActionState<K>) => (state = s) };
}

describe('attempt', () => {
  it('says nothing went wrong when the action succeeds, after the action ran', async () => {
    let ran = false;
    expect(await attempt(async () => void (ran = true))).toBeUndefined();
    expect(ran).toBe(true);
  });

  it('turns a thrown ProblemError into its own Problem', async () => {
    expect(
      await attempt(async () => {
        throw new ProblemError(refused);
      }),
    ).toEqual(refused);
  });

  it('turns a storage error into the storage Problem that names the folder', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device'), {
      code: 'ENOSPC',
      path: '/data/settings.json',
    });
    const problem = await attempt(async () => {
      throw full;
    });
    expect(problem?.code).toBe('storage');
    expect(problem?.where).toBe('/data');
    expect(problem?.message).toContain('(ENOSPC)');
  });

  it('turns anything else into an internal Problem with its message', async () => {
    expect(await attempt(() => Promise.reject(new Error('socket closed')))).toEqual({
      code: 'internal',
      message: 'socket closed',
    });
    expect(await attempt(() => Promise.reject('plain text'))).toEqual({ code: 'internal', message: 'plain text' });
  });
});

describe('runAction', () => {
  it('is busy with its kind and clears the last problem while the action runs, then ends not busy', async () => {
    const r = recorder<'saving'>();
    r.set({ doing: null, problem: refused });
    let during: ActionState<'saving'> | undefined;
    const ok = await runAction('saving', async () => void (during = r.now()), r.update);
    expect(ok).toBe(true);
    expect(during).toEqual({ doing: 'saving', problem: null });
    expect(r.now()).toEqual({ doing: null, problem: null });
  });

  it('ends not busy with the problem when the action throws, and says it failed', async () => {
    const r = recorder<true>();
    const ok = await runAction(
      true,
      async () => {
        throw new ProblemError(refused);
      },
      r.update,
    );
    expect(ok).toBe(false);
    expect(r.states).toEqual([
      { doing: true, problem: null },
      { doing: null, problem: refused },
    ]);
  });

  it('keeps a problem the action itself set on success (a load it awaited failed)', async () => {
    const r = recorder<true>();
    const ok = await runAction(true, async () => r.update({ problem: refused }), r.update);
    expect(ok).toBe(true);
    expect(r.now()).toEqual({ doing: null, problem: refused });
  });
});
