import { incidentMarkdown } from '../../../shared/incident';
import type { ChannelMap } from '../channels';
import type { Incidents } from './incidents';

/** The incidents' channels: each step of incident mode, and the incident as Markdown. */
export type IncidentChannel =
  | 'listIncidents'
  | 'getIncident'
  | 'openIncident'
  | 'assessIncident'
  | 'rollbackIncident'
  | 'restartForIncident'
  | 'diagnoseForIncident'
  | 'postIncidentUpdate'
  | 'noteIncident'
  | 'resolveIncident'
  | 'savePostmortem'
  | 'exportIncident';

/** The incidents' handlers: each one a call of the incidents. */
export function incidentChannels(incidents: Incidents): ChannelMap<IncidentChannel> {
  return {
    listIncidents: async () => incidents.list(),
    getIncident: async ({ id }) => incidents.get(id),
    openIncident: async (request) => incidents.open(request),
    assessIncident: async ({ id, by }) => incidents.assess(id, by),
    rollbackIncident: async ({ id, by }) => incidents.rollback(id, by),
    restartForIncident: async ({ id, serverId, containerId, by }) => incidents.restart(id, serverId, containerId, by),
    diagnoseForIncident: async ({ id, serverId, diagnostic, by }) => incidents.diagnose(id, serverId, diagnostic, by),
    postIncidentUpdate: async ({ id, text, by }) => incidents.postUpdate(id, text, by),
    noteIncident: async ({ id, step, text, by }) => incidents.note(id, step, text, by),
    resolveIncident: async ({ id, summary, by }) => incidents.resolve(id, summary, by),
    savePostmortem: async ({ id, text, by }) => incidents.savePostmortem(id, text, by),
    exportIncident: async ({ id }) => {
      const incident = incidents.get(id);
      return { fileName: `incident-${incident.id}.md`, text: incidentMarkdown(incident) };
    },
  };
}
