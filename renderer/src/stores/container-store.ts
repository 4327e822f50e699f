import { create } from 'zustand';
import { type Problem, problemOf } from '../../../shared/problem';
import { api } from '../api';
import { useSessions } from './session-store';

export const tailSizes = [100, 200, 1000, 10000] as const;
export type TailSize = (typeof tailSizes)[number];

/** One container's followed log: open or not, and how many lines back it starts. */
export interface ContainerLogView {
  readonly open: boolean;
  readonly tail: TailSize;
}

/** A restart: asked, confirmed, done or failed. */
export interface ContainerRestart {
  readonly confirming: boolean;
  readonly restarting: boolean;
  readonly restartedAt?: string;
  readonly problem?: Problem;
}

interface ContainerActionsState {
  readonly logs: Readonly<Record<string, ContainerLogView>>;
  readonly restarts: Readonly<Record<string, ContainerRestart>>;
  openLogs(serverId: string, containerId: string): void;
  closeLogs(serverId: string, containerId: string): void;
  /** Start the log again from this many lines back. */
  setTail(serverId: string, containerId: string, tail: TailSize): void;
  askRestart(serverId: string, containerId: string): void;
  cancelRestart(serverId: string, containerId: string): void;
  /** Restart after the user confirmed, then read the containers again. */
  restart(serverId: string, containerId: string): Promise<void>;
}

/** The key of one container of one server. */
export const containerKey = (serverId: string, containerId: string) => `${serverId}/${containerId}`;

const closedLogs: ContainerLogView = { open: false, tail: 200 };
const idleRestart: ContainerRestart = { confirming: false, restarting: false };

/** Acting on one container: following its log, restarting it. */
export const useContainerActions = create<ContainerActionsState>((set, get) => {
  const patchLogs = (key: string, change: Partial<ContainerLogView>) =>
    set({ logs: { ...get().logs, [key]: { ...(get().logs[key] ?? closedLogs), ...change } } });
  const patchRestart = (key: string, change: Partial<ContainerRestart>) =>
    set({ restarts: { ...get().restarts, [key]: { ...(get().restarts[key] ?? idleRestart), ...change } } });

  return {
    logs: {},
    restarts: {},
    openLogs: (serverId, containerId) => patchLogs(containerKey(serverId, containerId), { open: true }),
    closeLogs: (serverId, containerId) => patchLogs(containerKey(serverId, containerId), { open: false }),
    setTail: (serverId, containerId, tail) => patchLogs(containerKey(serverId, containerId), { tail }),
    askRestart: (serverId, containerId) =>
      patchRestart(containerKey(serverId, containerId), {
        confirming: true,
        problem: undefined,
        restartedAt: undefined,
      }),
    cancelRestart: (serverId, containerId) => patchRestart(containerKey(serverId, containerId), { confirming: false }),
    async restart(serverId, containerId) {
      const key = containerKey(serverId, containerId);
      if (get().restarts[key]?.restarting) return;
      patchRestart(key, { restarting: true, problem: undefined });
      try {
        const { restartedAt } = await api.restartContainer({ serverId, containerId });
        patchRestart(key, { confirming: false, restarting: false, restartedAt });
        await useSessions.getState().loadContainers(serverId);
      } catch (error) {
        patchRestart(key, { restarting: false, problem: problemOf(error) });
      }
    },
  };
});
