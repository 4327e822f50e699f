import { useEffect, useEffectEvent, useState } from 'react';
import type { Problem } from '../../../shared/problem';
import type { SettingsStore } from '../stores/settings-store';

/** A settings form's state around its store: what was read, the problem to show, whether it is saving or saved. */
export interface SettingsForm<T> {
  readonly settings: T | null;
  readonly loadProblem: Problem | null;
  readonly problem: Problem | null;
  readonly saved: boolean;
  readonly busy: boolean;
  /** Save a checked value: busy meanwhile, then "Saved" or the problem that stopped it. */
  save(settings: T): Promise<void>;
  /** The form's own check refused the value: show why; nothing is saved. */
  refuse(problem: Problem): void;
  /** The person changed something: "Saved" no longer holds (and, if asked, the last problem goes). */
  edited(options?: { readonly clearProblem?: boolean }): void;
}

/**
 * The one load/save pattern of the settings forms: read the setting when the form opens, `fill`
 * the form's fields from it each time it arrives, and save through the store.
 */
export function useSettingsForm<T>(store: SettingsStore<T>, fill: (settings: T) => void): SettingsForm<T> {
  const { settings, loadProblem, load, save } = store();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const filled = useEffectEvent(fill);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (settings) filled(settings);
  }, [settings]);

  return {
    settings,
    loadProblem,
    problem,
    saved,
    busy,
    async save(value) {
      setBusy(true);
      const failed = await save(value);
      setBusy(false);
      setProblem(failed);
      setSaved(failed === null);
    },
    refuse: setProblem,
    edited(options) {
      setSaved(false);
      if (options?.clearProblem) setProblem(null);
    },
  };
}
