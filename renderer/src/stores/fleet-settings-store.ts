import type { FleetSettings } from '../../../shared/fleet-status';
import { api } from '../api';
import { useFleetStatus } from './fleet-status-store';
import { settingsStore } from './settings-store';

/** How often the fleet refreshes and how many hosts at once, as the engine keeps them. */
export const useFleetSettings = settingsStore<FleetSettings>({
  read: () => api.getFleetSettings({}),
  write: (settings) => api.updateFleetSettings(settings),
  saved: (settings) => useFleetStatus.getState().setIntervalMs(settings.refreshMs),
});
