import Store from 'electron-store';
import { storageError } from './engine/data-file';
import { settingsDefaults, type Settings, type SettingsStore } from './engine/settings-store';

/**
 * Settings in `<dataDir>/settings.json` through electron-store: the same file
 * and format the browser host's conf store uses. Note that electron-store
 * registers a raw `electron-store-get-data` IPC listener; main removes it.
 */
export function electronSettingsStore(dataDir: string): SettingsStore {
  const store = new Store<Settings>({ cwd: dataDir, name: 'settings', defaults: settingsDefaults });
  return {
    get: (key) => store.get(key),
    set: (key, value) => {
      try {
        store.set(key, value);
      } catch (error) {
        throw storageError(error, store.path);
      }
    },
    path: store.path,
  };
}
