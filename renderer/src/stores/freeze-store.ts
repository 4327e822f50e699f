import type { FreezeRule } from '../../../shared/freeze';
import { api } from '../api';
import { settingsStore } from './settings-store';

/** The freeze windows the engine keeps: when an environment takes no deploy without an override. The engine checks each rule on save. */
export const useFreezeRules = settingsStore<readonly FreezeRule[]>({
  read: () => api.getFreezeRules({}),
  write: (rules) => api.updateFreezeRules({ rules: [...rules] }),
});
