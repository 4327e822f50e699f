import Conf from 'conf';
import { defaultFleetSettings, type FleetSettings } from '../../shared/fleet-status';
import { defaultFreezeRules, type FreezeRule } from '../../shared/freeze';
import { defaultLogSettings, type LogSettings } from '../../shared/log';
import type { Server } from '../../shared/server';
import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { ProblemError } from '../../shared/problem';
import { storageError, writeWhole } from './data-file';
import { storageProblem } from '../../shared/problem';

/** Everything Shipdeck keeps between sessions (besides run journals). */
export interface Settings {
  servers: Server[];
  fleet: FleetSettings;
  logs: LogSettings;
  /** Freeze windows per environment; the practice's defaults until the user changes them. */
  freeze: FreezeRule[];
}

export const settingsDefaults: Settings = {
  servers: [],
  fleet: defaultFleetSettings,
  logs: defaultLogSettings,
  freeze: [...defaultFreezeRules],
};

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

/**
 * Write settings through a library's set, whole or not at all. conf and
 * electron-store write beside and rename over, but take one write call's word
 * for it: on a full disk a short write would be renamed over the settings,
 * and the servers lost. So the file is read back; if it does not hold what
 * was set, the text from before goes back and the set fails, naming the folder.
 */
export function wholeSet<K extends keyof Settings>(path: string, key: K, value: Settings[K], set: () => void): void {
  const before = existsSync(path) ? readFileSync(path) : undefined;
  try {
    set();
  } catch (error) {
    throw storageError(error, path);
  }
  let written = false;
  try {
    // As JSON sees it: fields left undefined are not written.
    written = isDeepStrictEqual(
      (JSON.parse(readFileSync(path, 'utf8')) as Settings)[key],
      JSON.parse(JSON.stringify(value)),
    );
  } catch {
    written = false;
  }
  if (written) return;
  if (before) writeWhole(path, before);
  throw new ProblemError(storageProblem('ENOSPC', path));
}

/** Settings in `<dataDir>/settings.json` through conf (atomic writes, each checked by wholeSet). */
export function confSettingsStore(dataDir: string): SettingsStore {
  const conf = new Conf<Settings>({
    cwd: dataDir,
    configName: 'settings',
    defaults: settingsDefaults,
    projectName: 'shipdeck',
  });
  return {
    get: (key) => conf.get(key),
    set: (key, value) => wholeSet(conf.path, key, value, () => conf.set(key, value)),
    path: conf.path,
  };
}
