import { loginOf } from '../../../shared/server';
import type { ChannelMap, WriteLog } from '../channels';
import type { Inventory } from '../inventory';
import { startDiagnostic, type DiagnosticParts } from './diagnostic-run';
import type { Fleet } from './fleet';
import { noteOnHost } from './host-audit';

/** The channels that work on one server: log in, run a diagnostic, read and restart its containers. */
export type HostChannel = 'connectServer' | 'runDiagnostic' | 'listContainers' | 'containerLogs' | 'restartContainer';

/** What the host channels work on; `who` is the engine's login, for the host's audit line. */
export interface HostChannelParts extends DiagnosticParts {
  readonly inventory: Inventory;
  readonly fleet: Fleet;
  readonly who: string;
  readonly log: WriteLog;
}

/** The handlers of the channels that work on one server. */
export function hostChannels(parts: HostChannelParts): ChannelMap<HostChannel> {
  const { inventory, fleet, who, log } = parts;
  return {
    connectServer: async ({ id }) => {
      const server = inventory.get(id);
      const link = await fleet.connections.checkedLinkTo(server);
      log('info', `connected: ${server.name} ${loginOf(server)} in ${link.connectMs} ms`);
      return {
        serverId: id,
        login: loginOf(server),
        fingerprint: link.hostKey.fingerprint,
        algorithm: link.hostKey.algorithm,
        connectMs: link.connectMs,
      };
    },
    runDiagnostic: async ({ serverId, diagnostic }) => startDiagnostic(parts, inventory.get(serverId), diagnostic),
    listContainers: async ({ serverId }) => {
      const server = inventory.get(serverId);
      const docker = await fleet.docker(server);
      return docker.containers();
    },
    containerLogs: async ({ serverId, containerId, tail }) => {
      const docker = await fleet.docker(inventory.get(serverId));
      return docker.logs(containerId, tail);
    },
    restartContainer: async ({ serverId, containerId }) => {
      const server = inventory.get(serverId);
      const docker = await fleet.docker(server);
      log('info', `restart container ${containerId} on ${server.name}`);
      await docker.restart(containerId);
      const noted = await noteOnHost(
        fleet,
        server,
        { who, action: 'restart', container: containerId },
        `Note in the host's audit log: ${containerId} restarted`,
      );
      log(
        noted.written ? 'info' : 'warn',
        `restarted container ${containerId} on ${server.name}${noted.written ? '' : ' (the host audit line could not be written)'}`,
      );
      return { restartedAt: new Date().toISOString() };
    },
  };
}
