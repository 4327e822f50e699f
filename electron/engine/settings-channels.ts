import { checkFreezeRuleIds, describeFreeze } from '../../shared/freeze';
import type { ChannelMap, WriteLog } from './channels';
import type { FleetMonitor } from './fleet/fleet-monitor';
import type { SettingsStore } from './settings-store';

/** The settings' channels: the fleet's refresh, the logs' length, and the freeze windows. */
export type SettingsChannel =
  | 'getFleetSettings'
  | 'updateFleetSettings'
  | 'getLogSettings'
  | 'updateLogSettings'
  | 'getFreezeRules'
  | 'updateFreezeRules';

/** What the settings' channels work on; the monitor takes a new refresh interval at once. */
export interface SettingsChannelParts {
  readonly store: SettingsStore;
  readonly monitor: FleetMonitor;
  readonly log: WriteLog;
}

/** The settings' handlers: each kept in the settings store, and logged in words when it changes. */
export function settingsChannels({ store, monitor, log }: SettingsChannelParts): ChannelMap<SettingsChannel> {
  return {
    getFleetSettings: async () => store.get('fleet'),
    updateFleetSettings: async (settings) => {
      store.set('fleet', settings);
      monitor.reschedule();
      log('info', `fleet settings: refresh every ${settings.refreshMs} ms, ${settings.parallelism} hosts at once`);
      return settings;
    },
    getLogSettings: async () => store.get('logs'),
    updateLogSettings: async (settings) => {
      store.set('logs', settings);
      log('info', `log settings: keep ${settings.capLines} lines per log`);
      return settings;
    },
    getFreezeRules: async () => store.get('freeze'),
    updateFreezeRules: async ({ rules }) => {
      checkFreezeRuleIds(rules);
      store.set('freeze', rules);
      log('info', `freeze windows: ${rules.map(describeFreeze).join('; ') || 'none'}`);
      return rules;
    },
  };
}
