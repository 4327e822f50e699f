import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { type Problem, problemOf } from '../../../shared/problem';

/** A setting the engine keeps, as the renderer holds it: what was read (null until then), and why it could not be. */
export interface SettingsState<T> {
  readonly settings: T | null;
  readonly loadProblem: Problem | null;
  load(): Promise<void>;
  /** Resolves with the problem that stopped the change (the engine checks it too), or null once saved. */
  save(settings: T): Promise<Problem | null>;
}

/** A store made by settingsStore. */
export type SettingsStore<T> = UseBoundStore<StoreApi<SettingsState<T>>>;

/** How a setting is read and written: in the app, two api calls; `saved` tells the rest of the renderer. */
export interface SettingsChannel<T> {
  readonly read: () => Promise<T>;
  /** Writes the setting and resolves with what the engine kept. */
  readonly write: (settings: T) => Promise<T>;
  readonly saved?: (settings: T) => void;
}

/**
 * One store for one setting, written once for all of them: load keeps what the engine sends (a failed
 * read keeps the last value and says why), save keeps what the engine kept, not what was sent.
 */
export function settingsStore<T>(channel: SettingsChannel<T>): SettingsStore<T> {
  return create<SettingsState<T>>((set) => ({
    settings: null,
    loadProblem: null,
    async load() {
      try {
        set({ settings: await channel.read(), loadProblem: null });
      } catch (error) {
        set({ loadProblem: problemOf(error) });
      }
    },
    async save(settings) {
      try {
        const kept = await channel.write(settings);
        set({ settings: kept });
        channel.saved?.(kept);
        return null;
      } catch (error) {
        return problemOf(error);
      }
    },
  }));
}
