import { useFleet } from '../stores/fleet-store';
import { FleetOverview } from './fleet-overview';
import { ServerForm } from '../servers/server-form';
import { ServerList } from './server-list';
import { ServerPage } from '../servers/server-page';
import { useFleetKeys } from './use-fleet-keys';

/** Every server on the left; beside it the fleet overview, the open server, or the server form. */
export function FleetView() {
  const servers = useFleet((s) => s.servers);
  const selectedId = useFleet((s) => s.selectedId);
  const adding = useFleet((s) => s.adding);
  const editingId = useFleet((s) => s.editingId);
  const selected = servers.find((s) => s.id === selectedId);
  const editing = servers.find((s) => s.id === editingId);
  useFleetKeys();

  return (
    <div className={selected || adding || editing ? 'fleet' : 'fleet wide'}>
      <ServerList />
      <div className="server-detail">
        {adding ? (
          <ServerForm />
        ) : editing ? (
          <ServerForm key={editing.id} server={editing} />
        ) : selected ? (
          <ServerPage key={selected.id} server={selected} />
        ) : (
          <FleetOverview servers={servers} />
        )}
      </div>
    </div>
  );
}
