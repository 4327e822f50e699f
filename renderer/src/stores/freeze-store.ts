import { create } from 'zustand';
import type { FreezeRule } from '../../../shared/freeze';
import { type Problem, problemOf } from '../../../shared/problem';
import { api } from '../api';

interface FreezeState {
  readonly rules: readonly FreezeRule[] | null;
  readonly loadProblem: Problem | null;
  load(): Promise<void>;
  /** Resolves with the problem that refused the rules (the engine checks each one), or null once saved. */
  save(rules: readonly FreezeRule[]): Promise<Problem | null>;
}

/** The freeze windows the engine keeps: when an environment takes no deploy without an override. */
export const useFreezeRules = create<FreezeState>((set) => ({
  rules: null,
  loadProblem: null,
  async load() {
    try {
      set({ rules: await api.getFreezeRules({}), loadProblem: null });
    } catch (error) {
      set({ loadProblem: problemOf(error) });
    }
  },
  async save(rules) {
    try {
      set({ rules: await api.updateFreezeRules({ rules: [...rules] }) });
      return null;
    } catch (error) {
      return problemOf(error);
    }
  },
}));
