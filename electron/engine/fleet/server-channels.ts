import { loginOf } from '../../../shared/server';
import type { ChannelMap, Emit, WriteLog } from '../channels';
import type { Inventory } from '../inventory';
import { importSshHosts, readSshConfig } from '../ssh-import';
import type { Fleet } from './fleet';
import type { FleetMonitor } from './fleet-monitor';
import type { HostTrust } from './host-trust';

/** The inventory's channels: servers added, edited, removed, imported, and their host keys trusted. */
export type ServerChannel =
  | 'listServers'
  | 'addServer'
  | 'updateServer'
  | 'removeServer'
  | 'scanHostKey'
  | 'trustHostKey'
  | 'readSshConfig'
  | 'importSshHosts'
  | 'importKnownHosts';

/** What the inventory's channels work on. */
export interface ServerChannelParts {
  readonly inventory: Inventory;
  readonly fleet: Fleet;
  readonly monitor: FleetMonitor;
  readonly trust: HostTrust;
  readonly emit: Emit;
  readonly log: WriteLog;
}

/** The inventory's handlers; each change tells every window and reads the changed servers at once. */
export function serverChannels({
  inventory,
  fleet,
  monitor,
  trust,
  emit,
  log,
}: ServerChannelParts): ChannelMap<ServerChannel> {
  // Read at once rather than at the next refresh, so a window shows the change's effect right away.
  const changed = (ids: readonly string[] = []): void => {
    emit('inventoryChanged', { servers: inventory.list() });
    for (const id of ids) void monitor.refreshServer(id);
  };
  return {
    listServers: async () => inventory.list(),
    addServer: async (draft) => {
      const server = inventory.add(draft);
      log('info', `server added: ${server.name} ${loginOf(server)} (${server.auth.kind})`);
      changed([server.id]);
      return server;
    },
    updateServer: async ({ id, draft }) => {
      const server = inventory.update(id, draft);
      fleet.forget(id);
      monitor.forget(id);
      log('info', `server updated: ${server.name} ${loginOf(server)} (${server.auth.kind})`);
      changed([server.id]);
      return server;
    },
    removeServer: async ({ id }) => {
      inventory.remove(id);
      fleet.forget(id);
      monitor.forget(id);
      log('info', `server removed: ${id}`);
      changed();
      return { removed: true };
    },
    scanHostKey: async ({ id }) => trust.scan(id),
    trustHostKey: async ({ id, fingerprint, replacing, confirmName }) => {
      const { server, replaced } = trust.trust(id, fingerprint, { replacing, confirmName });
      log(
        'info',
        replaced
          ? `host key re-trusted: ${server.name} ${fingerprint}, replacing ${replaced}`
          : `host key trusted: ${server.name} ${fingerprint}`,
      );
      changed([server.id]);
      return server;
    },
    readSshConfig: async ({ path }) => readSshConfig(inventory, path),
    importSshHosts: async ({ path, aliases }) => {
      const result = await importSshHosts(inventory, path, aliases);
      log(
        'info',
        `imported from ssh config: ${result.added.map((s) => s.name).join(', ') || 'nothing'}; skipped ${result.skipped.length}`,
      );
      if (result.added.length) changed(result.added.map((s) => s.id));
      return result;
    },
    importKnownHosts: async ({ path }) => {
      const result = await trust.importKnownHosts(path);
      log(
        'info',
        `known_hosts ${result.path}: trusted ${result.trusted.map((t) => `${t.name} ${t.fingerprint}`).join(', ') || 'none'}`,
      );
      if (result.trusted.length) changed(result.trusted.map((t) => t.serverId));
      return result;
    },
  };
}
