import { create } from 'zustand';
import type { Problem } from '../../../shared/problem';
import type { Server, ServerDraft } from '../../../shared/server';
import { api } from '../api';
import { problemOf } from './problem';

interface FleetState {
  readonly servers: readonly Server[];
  readonly selectedId: string | null;
  readonly adding: boolean;
  readonly loadProblem: Problem | null;
  load(): Promise<void>;
  select(id: string | null): void;
  startAdding(): void;
  cancelAdding(): void;
  /** Resolves with the new server, or the problem that stopped it. */
  add(draft: ServerDraft): Promise<{ server?: Server; problem?: Problem }>;
  remove(id: string): Promise<Problem | null>;
  replace(server: Server): void;
}

/** The inventory as the UI sees it, and which server is open. */
export const useFleet = create<FleetState>((set, get) => ({
  servers: [],
  selectedId: null,
  adding: false,
  loadProblem: null,
  async load() {
    try {
      const servers = await api.listServers({});
      set({ servers, loadProblem: null, adding: servers.length === 0 ? true : get().adding });
    } catch (error) {
      set({ loadProblem: problemOf(error) });
    }
  },
  select: (id) => set({ selectedId: id, adding: false }),
  startAdding: () => set({ adding: true, selectedId: null }),
  cancelAdding: () => set({ adding: false }),
  async add(draft) {
    try {
      const server = await api.addServer(draft);
      set({ servers: [...get().servers, server], selectedId: server.id, adding: false });
      return { server };
    } catch (error) {
      return { problem: problemOf(error) };
    }
  },
  async remove(id) {
    try {
      await api.removeServer({ id });
      set({ servers: get().servers.filter((s) => s.id !== id), selectedId: get().selectedId === id ? null : get().selectedId });
      return null;
    } catch (error) {
      return problemOf(error);
    }
  },
  replace: (server) => set({ servers: get().servers.map((s) => (s.id === server.id ? server : s)) }),
}));
