import { useEffect } from 'react';
import { onLinkState } from '../api';
import { useIncidents } from '../stores/incident-store';
import { IncidentList } from './incident-list';
import { IncidentPage } from './incident-page';

/** The Incidents section: the list, or one incident on its page. */
export function IncidentSection() {
  const openId = useIncidents((s) => s.openId);
  useEffect(() => {
    void useIncidents.getState().load();
    // Events sent while the link was down are lost: read the list and the open incident afresh.
    return onLinkState((state) => {
      if (state !== 'open') return;
      const { load, open, openId: id } = useIncidents.getState();
      void load();
      if (id) void open(id);
    });
  }, []);
  return openId ? <IncidentPage key={openId} /> : <IncidentList />;
}
