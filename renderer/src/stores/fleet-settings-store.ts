import { create } from 'zustand';
import type { FleetSettings } from '../../../shared/fleet-status';
import { type Problem, problemOf } from '../../../shared/problem';
import { api } from '../api';
import { useFleetStatus } from './fleet-status-store';

interface FleetSettingsState {
  readonly settings: FleetSettings | null;
  readonly loadProblem: Problem | null;
  load(): Promise<void>;
  /** Resolves with the problem that stopped the change, or null once saved. */
  save(settings: FleetSettings): Promise<Problem | null>;
}

/** How often the fleet refreshes and how many hosts at once, as the engine keeps them. */
export const useFleetSettings = create<FleetSettingsState>((set) => ({
  settings: null,
  loadProblem: null,
  async load() {
    try {
      set({ settings: await api.getFleetSettings({}), loadProblem: null });
    } catch (error) {
      set({ loadProblem: problemOf(error) });
    }
  },
  async save(settings) {
    try {
      const saved = await api.updateFleetSettings(settings);
      set({ settings: saved });
      useFleetStatus.getState().setIntervalMs(saved.refreshMs);
      return null;
    } catch (error) {
      return problemOf(error);
    }
  },
}));
