import type { ChannelMap } from '../channels';
import type { FleetMonitor } from './fleet-monitor';

/** The fleet overview's channels: every server's latest figures, and a refresh on demand. */
export type FleetChannel = 'getFleetStatus' | 'refreshFleet';

/** The fleet overview's handlers, read from the monitor that watches every server. */
export function fleetChannels(monitor: FleetMonitor): ChannelMap<FleetChannel> {
  return {
    getFleetStatus: async () => monitor.snapshot(),
    refreshFleet: async () => monitor.refresh(),
  };
}
