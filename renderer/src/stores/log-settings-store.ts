import { create } from 'zustand';
import { defaultLogSettings, type LogSettings } from '../../../shared/log';
import { type Problem, problemOf } from '../../../shared/problem';
import { api } from '../api';

interface LogSettingsState {
  readonly settings: LogSettings | null;
  readonly loadProblem: Problem | null;
  load(): Promise<void>;
  /** Resolves with the problem that stopped the change, or null once saved. */
  save(settings: LogSettings): Promise<Problem | null>;
}

/** How many lines each log keeps, as the engine keeps the setting. */
export const useLogSettings = create<LogSettingsState>((set) => ({
  settings: null,
  loadProblem: null,
  async load() {
    try {
      set({ settings: await api.getLogSettings({}), loadProblem: null });
    } catch (error) {
      set({ loadProblem: problemOf(error) });
    }
  },
  async save(settings) {
    try {
      set({ settings: await api.updateLogSettings(settings) });
      return null;
    } catch (error) {
      return problemOf(error);
    }
  },
}));

let loading: Promise<void> | undefined;

/** The lines a new log buffer keeps: the engine's setting, read once; the default if it cannot be read. */
export async function capLines(): Promise<number> {
  const known = useLogSettings.getState().settings;
  if (known) return known.capLines;
  loading ??= useLogSettings.getState().load().finally(() => (loading = undefined));
  await loading;
  return useLogSettings.getState().settings?.capLines ?? defaultLogSettings.capLines;
}
