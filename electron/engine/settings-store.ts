import Conf from 'conf';
import { defaultFleetSettings, type FleetSettings } from '../../shared/fleet-status';
import { defaultFreezeRules, type FreezeRule } from '../../shared/freeze';
import { defaultLogSettings, type LogSettings } from '../../shared/log';
import type { Server } from '../../shared/server';
import { storageError } from './data-file';

/** Everything Shipdeck keeps between sessions (besides run journals). */
export interface Settings {
  servers: Server[];
  fleet: FleetSettings;
  logs: LogSettings;
  /** Freeze windows per environment; the practice's defaults until the user changes them. */
  freeze: FreezeRule[];
}

export const settingsDefaults: Settings = { servers: [], fleet: defaultFleetSettings, logs: defaultLogSettings, freeze: [...defaultFreezeRules] };

/**
 * The one small interface both hosts persist through: electron-store in the
 * desktop app, conf (the library underneath it) in the browser host and tests.
 */
export interface SettingsStore {
  get<K extends keyof Settings>(key: K): Settings[K];
  set<K extends keyof Settings>(key: K, value: Settings[K]): void;
  /** The file it writes, for display and diagnostics. */
  readonly path: string;
}

/** Settings in `<dataDir>/settings.json` through conf (atomic writes). */
export function confSettingsStore(dataDir: string): SettingsStore {
  const conf = new Conf<Settings>({ cwd: dataDir, configName: 'settings', defaults: settingsDefaults, projectName: 'shipdeck' });
  return {
    get: (key) => conf.get(key),
    set: (key, value) => {
      // conf writes beside and renames, so a full disk leaves the old file; it must still say which folder.
      try {
        conf.set(key, value);
      } catch (error) {
        throw storageError(error, conf.path);
      }
    },
    path: conf.path,
  };
}
