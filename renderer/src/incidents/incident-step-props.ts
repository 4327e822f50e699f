import type { Incident } from '../../../shared/incident';

/** What each step of an incident's page is given: the incident, who acts, whether it is closed, and the time. */
export interface IncidentStepProps {
  readonly incident: Incident;
  readonly by: string;
  /** A resolved incident is shown, not worked. */
  readonly readOnly: boolean;
  readonly now: number;
}
