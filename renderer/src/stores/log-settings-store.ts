import { defaultLogSettings, type LogSettings } from '../../../shared/log';
import { api } from '../api';
import { settingsStore } from './settings-store';

/** How many lines each log keeps, as the engine keeps the setting. */
export const useLogSettings = settingsStore<LogSettings>({
  read: () => api.getLogSettings({}),
  write: (settings) => api.updateLogSettings(settings),
});

let loading: Promise<void> | undefined;

/** The lines a new log buffer keeps: the engine's setting, read once; the default if it cannot be read. */
export async function capLines(): Promise<number> {
  const known = useLogSettings.getState().settings;
  if (known) return known.capLines;
  loading ??= useLogSettings
    .getState()
    .load()
    .finally(() => (loading = undefined));
  await loading;
  return useLogSettings.getState().settings?.capLines ?? defaultLogSettings.capLines;
}
