import { create } from 'zustand';
import { type Problem, problemOf } from '../../../shared/problem';
import type { Server, ServerDraft } from '../../../shared/server';
import { api } from '../api';

interface FleetState {
  readonly servers: readonly Server[];
  readonly selectedId: string | null;
  readonly adding: boolean;
  /** The server whose settings are being edited, if any. */
  readonly editingId: string | null;
  readonly loadProblem: Problem | null;
  load(): Promise<void>;
  /** Open a server's page; null shows the fleet overview. */
  select(id: string | null): void;
  startAdding(): void;
  cancelAdding(): void;
  startEditing(id: string): void;
  cancelEditing(): void;
  /** Resolves with the new server, or the problem that stopped it. */
  add(draft: ServerDraft): Promise<{ server?: Server; problem?: Problem }>;
  /** Resolves with the changed server, or the problem that stopped it. */
  update(id: string, draft: ServerDraft): Promise<{ server?: Server; problem?: Problem }>;
  remove(id: string): Promise<Problem | null>;
  replace(server: Server): void;
}

/** The inventory as the UI sees it, and which server is open. */
export const useFleet = create<FleetState>((set, get) => ({
  servers: [],
  selectedId: null,
  adding: false,
  editingId: null,
  loadProblem: null,
  async load() {
    try {
      const servers = await api.listServers({});
      set({ servers, loadProblem: null, adding: servers.length === 0 ? true : get().adding });
    } catch (error) {
      set({ loadProblem: problemOf(error) });
    }
  },
  select: (id) => set({ selectedId: id, adding: false, editingId: null }),
  startAdding: () => set({ adding: true, selectedId: null, editingId: null }),
  cancelAdding: () => set({ adding: false }),
  startEditing: (id) => set({ editingId: id, selectedId: id, adding: false }),
  cancelEditing: () => set({ editingId: null }),
  async add(draft) {
    try {
      const server = await api.addServer(draft);
      set({ servers: upsert(get().servers, server), selectedId: server.id, adding: false });
      return { server };
    } catch (error) {
      return { problem: problemOf(error) };
    }
  },
  async update(id, draft) {
    try {
      const server = await api.updateServer({ id, draft });
      set({ servers: upsert(get().servers, server), editingId: null });
      return { server };
    } catch (error) {
      return { problem: problemOf(error) };
    }
  },
  async remove(id) {
    try {
      await api.removeServer({ id });
      set({
        servers: get().servers.filter((s) => s.id !== id),
        selectedId: get().selectedId === id ? null : get().selectedId,
      });
      return null;
    } catch (error) {
      return problemOf(error);
    }
  },
  replace: (server) => set({ servers: upsert(get().servers, server) }),
}));

/** Replace the server with the same id, or append it; the inventoryChanged event may arrive before a reply. */
function upsert(servers: readonly Server[], server: Server): readonly Server[] {
  return servers.some((s) => s.id === server.id)
    ? servers.map((s) => (s.id === server.id ? server : s))
    : [...servers, server];
}

// Another window (or an import) changed the inventory: take the engine's list as the truth.
api.on('inventoryChanged', ({ servers }) => {
  const { selectedId, editingId } = useFleet.getState();
  const has = (id: string | null) => id !== null && servers.some((s) => s.id === id);
  useFleet.setState({
    servers,
    selectedId: has(selectedId) ? selectedId : null,
    editingId: has(editingId) ? editingId : null,
  });
});
