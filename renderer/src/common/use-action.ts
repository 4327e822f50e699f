import { useCallback, useState } from 'react';
import { type Problem, problemOf } from '../../../shared/problem';

/** Run an action and say what went wrong: nothing when it succeeded, else the Problem its throw becomes. */
export async function attempt(action: () => Promise<unknown>): Promise<Problem | undefined> {
  try {
    await action();
    return undefined;
  } catch (error) {
    return problemOf(error);
  }
}

/** Which action is under way (null: none), and the problem of the last one that failed. */
export interface ActionState<K> {
  readonly doing: K | null;
  readonly problem: Problem | null;
}

/**
 * One action through its states: busy with `kind` and no problem while it runs, then not busy,
 * with the problem it threw if it failed. A success leaves the problem as the action left it
 * (a load it awaited may have set one). Resolves whether the action succeeded.
 */
export async function runAction<K>(
  kind: K,
  action: () => Promise<unknown>,
  update: (change: Partial<ActionState<K>>) => void,
): Promise<boolean> {
  update({ doing: kind, problem: null });
  const problem = await attempt(action);
  update(problem ? { doing: null, problem } : { doing: null });
  return problem === undefined;
}

/** A view's action: its busy state for the buttons, its problem for the notice, and run to start one. */
export interface Action<K> {
  readonly busy: boolean;
  readonly doing: K | null;
  readonly problem: Problem | null;
  readonly setProblem: (problem: Problem | null) => void;
  readonly run: (action: () => Promise<unknown>, kind?: K) => Promise<boolean>;
}

/**
 * Busy and problem state for a view's api calls, written once: `run` disables the buttons while the
 * call is under way and turns a throw into the Problem the view's notice shows. `kind` names which
 * of a view's actions is busy, where its buttons say so.
 */
export function useAction<K = true>(): Action<K> {
  const [doing, setDoing] = useState<K | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = useCallback(
    (action: () => Promise<unknown>, kind: K = true as K) =>
      runAction(kind, action, (change) => {
        if (change.doing !== undefined) setDoing(change.doing);
        if (change.problem !== undefined) setProblem(change.problem);
      }),
    [],
  );
  return { busy: doing !== null, doing, problem, setProblem, run };
}
