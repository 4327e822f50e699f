import { create } from 'zustand';
import type { ConnectionReport, HostKeyScan } from '../../../shared/contract';
import type { ContainerSummary } from '../../../shared/docker';
import { type Problem, problemOf } from '../../../shared/problem';
import { api } from '../api';
import { useFleet } from './fleet-store';

/** What the UI knows of one server's live link. */
export interface ServerSession {
  readonly scan?: HostKeyScan;
  readonly scanning?: boolean;
  readonly connecting?: boolean;
  readonly connection?: ConnectionReport;
  readonly problem?: Problem;
  readonly containers?: readonly ContainerSummary[];
  readonly containersLoading?: boolean;
  readonly containersProblem?: Problem;
  readonly containersAt?: string;
}

interface SessionState {
  readonly sessions: Readonly<Record<string, ServerSession>>;
  scan(serverId: string): Promise<void>;
  /** Trust the presented key; a changed key also names the key it replaces and the server's name as typed. */
  trust(
    serverId: string,
    fingerprint: string,
    retrust?: { readonly replacing: string; readonly confirmName: string },
  ): Promise<void>;
  connect(serverId: string): Promise<void>;
  loadContainers(serverId: string): Promise<void>;
  /** Drop what is known of a server's link, after its settings changed. */
  forget(serverId: string): void;
}

/** Host-key scans, connections and containers, per server. */
export const useSessions = create<SessionState>((set, get) => {
  const patch = (serverId: string, change: Partial<ServerSession>) =>
    set({ sessions: { ...get().sessions, [serverId]: { ...get().sessions[serverId], ...change } } });

  return {
    sessions: {},
    async scan(serverId) {
      // A refusal for a changed key stays while its key is read: the page shows both, and the re-trust needs it.
      const refusal = get().sessions[serverId]?.problem;
      patch(serverId, { scanning: true, problem: refusal?.code === 'host-key-changed' ? refusal : undefined });
      try {
        patch(serverId, { scan: await api.scanHostKey({ id: serverId }), scanning: false });
      } catch (error) {
        patch(serverId, { scanning: false, problem: problemOf(error) });
      }
    },
    async trust(serverId, fingerprint, retrust) {
      try {
        useFleet.getState().replace(await api.trustHostKey({ id: serverId, fingerprint, ...retrust }));
        patch(serverId, { scan: undefined, problem: undefined });
        await get().connect(serverId);
      } catch (error) {
        patch(serverId, { problem: problemOf(error) });
      }
    },
    async connect(serverId) {
      patch(serverId, { connecting: true, problem: undefined });
      try {
        patch(serverId, { connection: await api.connectServer({ id: serverId }), connecting: false });
        await get().loadContainers(serverId);
      } catch (error) {
        const problem = problemOf(error);
        patch(serverId, { connecting: false, connection: undefined, problem });
        if (problem.code === 'host-key-changed') await get().scan(serverId);
      }
    },
    async loadContainers(serverId) {
      patch(serverId, { containersLoading: true });
      try {
        const containers = await api.listContainers({ serverId });
        patch(serverId, {
          containers,
          containersLoading: false,
          containersProblem: undefined,
          containersAt: new Date().toISOString(),
        });
      } catch (error) {
        patch(serverId, { containersLoading: false, containersProblem: problemOf(error) });
      }
    },
    forget(serverId) {
      const sessions = { ...get().sessions };
      delete sessions[serverId];
      set({ sessions });
    },
  };
});
