import { create } from 'zustand';
import { type Problem, problemOf } from '../../../shared/problem';
import type { ServiceEntry } from '../../../shared/run';
import { api } from '../api';

interface ServiceState {
  readonly services: readonly ServiceEntry[];
  /** The service open in the editor; null with `creating` false shows the list alone. */
  readonly selected: string | null;
  readonly creating: boolean;
  /** The service whose release dialog is open, if any. */
  readonly releasing: string | null;
  readonly loadProblem: Problem | null;
  load(): Promise<void>;
  select(name: string | null): void;
  startCreating(): void;
  startRelease(name: string): void;
  closeRelease(): void;
  /** Resolves with the saved service, or the problem that refused it. */
  save(text: string): Promise<{ entry?: ServiceEntry; problem?: Problem }>;
  remove(name: string): Promise<Problem | null>;
  /** Give one of a service's secrets its value; resolves with the problem that refused it, or null. */
  setSecret(service: string, name: string, value: string): Promise<Problem | null>;
}

/** The services the user keeps, and which one is open. */
export const useServices = create<ServiceState>((set, get) => ({
  services: [],
  selected: null,
  creating: false,
  releasing: null,
  loadProblem: null,
  async load() {
    try {
      set({ services: await api.listServices({}), loadProblem: null });
    } catch (error) {
      set({ loadProblem: problemOf(error) });
    }
  },
  select: (name) => set({ selected: name, creating: false }),
  startCreating: () => set({ creating: true, selected: null }),
  startRelease: (name) => set({ releasing: name }),
  closeRelease: () => set({ releasing: null }),
  async save(text) {
    try {
      const entry = await api.saveService({ text });
      const others = get().services.filter((s) => s.name !== entry.name);
      set({
        services: [...others, entry].sort((a, b) => a.name.localeCompare(b.name)),
        selected: entry.name,
        creating: false,
      });
      return { entry };
    } catch (error) {
      return { problem: problemOf(error) };
    }
  },
  async setSecret(service, name, value) {
    try {
      const entry = await api.setServiceSecret({ service, name, value });
      set({ services: get().services.map((s) => (s.name === entry.name ? entry : s)) });
      return null;
    } catch (error) {
      return problemOf(error);
    }
  },
  async remove(name) {
    try {
      await api.removeService({ name });
      set({
        services: get().services.filter((s) => s.name !== name),
        selected: get().selected === name ? null : get().selected,
      });
      return null;
    } catch (error) {
      return problemOf(error);
    }
  },
}));
