import { create } from 'zustand';
import type { FleetStatus, ServerStatus } from '../../../shared/fleet-status';
import { type Problem, problemOf } from '../../../shared/problem';
import { api } from '../api';

interface FleetStatusState {
  /** The latest status of each server, by server id. */
  readonly statuses: Readonly<Record<string, ServerStatus>>;
  readonly refreshing: boolean;
  readonly refreshedAt?: string;
  readonly tookMs?: number;
  /** The engine's refresh interval; 0 means paused. */
  readonly intervalMs: number;
  /** Servers that reported during the refresh under way, for its progress. */
  readonly reported: Readonly<Record<string, true>>;
  readonly problem: Problem | null;
  load(): Promise<void>;
  /** Refresh every server now; statuses arrive one by one while it runs. */
  refresh(): Promise<void>;
  setIntervalMs(ms: number): void;
}

/** The live health of the fleet, fed by the engine's periodic refresh. */
export const useFleetStatus = create<FleetStatusState>((set) => {
  const take = (status: FleetStatus) =>
    set({
      statuses: status.servers,
      refreshing: status.refreshing,
      refreshedAt: status.refreshedAt,
      intervalMs: status.intervalMs,
      problem: null,
    });

  return {
    statuses: {},
    refreshing: false,
    intervalMs: 0,
    reported: {},
    problem: null,
    async load() {
      try {
        take(await api.getFleetStatus({}));
      } catch (error) {
        set({ problem: problemOf(error) });
      }
    },
    async refresh() {
      set({ refreshing: true, reported: {}, problem: null });
      try {
        take(await api.refreshFleet({}));
        // The reply comes when the refresh is over, whatever its snapshot says.
        set({ refreshing: false, reported: {} });
      } catch (error) {
        set({ refreshing: false, problem: problemOf(error) });
      }
    },
    setIntervalMs: (intervalMs) => set({ intervalMs }),
  };
});

api.on('serverStatus', (status) => {
  const state = useFleetStatus.getState();
  useFleetStatus.setState({
    statuses: { ...state.statuses, [status.serverId]: status },
    ...(state.refreshing ? { reported: { ...state.reported, [status.serverId]: true as const } } : {}),
  });
});

api.on('fleetRefresh', ({ refreshing, refreshedAt, tookMs }) => {
  useFleetStatus.setState(
    refreshing
      ? { refreshing: true, reported: {} }
      : {
          refreshing: false,
          reported: {},
          ...(refreshedAt ? { refreshedAt } : {}),
          ...(tookMs !== undefined ? { tookMs } : {}),
        },
  );
});
