import Store from 'electron-store';
import { settingsDefaults, wholeSet, type Settings, type SettingsStore } from './engine/settings-store';

/**
 * Settings in `<dataDir>/settings.json` through electron-store: the same file
 * and format the browser host's conf store uses. Note that electron-store
 * registers a raw `electron-store-get-data` IPC listener; main removes it.
 */
export function electronSettingsStore(dataDir: string): SettingsStore {
  const store = new Store<Settings>({ cwd: dataDir, name: 'settings', defaults: settingsDefaults });
  return {
    get: (key) => store.get(key),
    set: (key, value) => wholeSet(store.path, key, value, () => store.set(key, value)),
    path: store.path,
  };
}
