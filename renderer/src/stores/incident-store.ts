import { create } from 'zustand';
import { incidentSummary, type Assessment, type Incident, type IncidentSummary } from '../../../shared/incident';
import { type Problem, problemOf } from '../../../shared/problem';
import { api } from '../api';

/** What the open-incident dialog starts with: a run it follows, and that run's service and environment. */
export interface IncidentStart {
  readonly causedBy?: string;
  readonly service?: string;
  readonly environment?: string;
}

interface IncidentState {
  /** Newest first, as the engine lists them. */
  readonly list: readonly IncidentSummary[];
  readonly loaded: boolean;
  readonly loadProblem: Problem | null;
  /** The incident open on its page; null shows the list. */
  readonly openId: string | null;
  readonly incident: Incident | null;
  readonly incidentProblem: Problem | null;
  /** The latest assessment of each incident this window made (the timeline keeps its gist). */
  readonly assessments: Readonly<Record<string, Assessment>>;
  /** The open-incident dialog, when it is shown. */
  readonly starting: IncidentStart | null;
  load(): Promise<void>;
  open(id: string): Promise<void>;
  close(): void;
  startOpening(start?: IncidentStart): void;
  cancelOpening(): void;
  /** An incident the engine sent back (a request's answer or an event). */
  receive(incident: Incident): void;
  keepAssessment(assessment: Assessment, id: string): void;
}

/** Incidents: the list, the one open on its page, and the dialog that opens a new one. */
export const useIncidents = create<IncidentState>((set, get) => ({
  list: [],
  loaded: false,
  loadProblem: null,
  openId: null,
  incident: null,
  incidentProblem: null,
  assessments: {},
  starting: null,
  async load() {
    try {
      set({ list: await api.listIncidents({}), loaded: true, loadProblem: null });
    } catch (error) {
      set({ loadProblem: problemOf(error), loaded: true });
    }
  },
  async open(id) {
    set({ openId: id, incident: get().incident?.id === id ? get().incident : null, incidentProblem: null });
    try {
      const incident = await api.getIncident({ id });
      if (get().openId === id) set({ incident });
    } catch (error) {
      if (get().openId === id) set({ incidentProblem: problemOf(error) });
    }
  },
  close: () => set({ openId: null, incident: null, incidentProblem: null }),
  startOpening: (start = {}) => set({ starting: start }),
  cancelOpening: () => set({ starting: null }),
  receive(incident) {
    const { list, openId, incident: shown } = get();
    // A request's answer can arrive after a newer event: a shorter timeline is the older one.
    if (shown?.id === incident.id && incident.timeline.length < shown.timeline.length) return;
    const summary = incidentSummary(incident);
    const others = list.filter((i) => i.id !== incident.id);
    set({
      list: [summary, ...others].sort((a, b) => b.openedAt.localeCompare(a.openedAt)),
      ...(openId === incident.id ? { incident } : {}),
    });
  },
  keepAssessment: (assessment, id) => set({ assessments: { ...get().assessments, [id]: assessment } }),
}));

api.on('incidentUpdate', (incident) => useIncidents.getState().receive(incident));
