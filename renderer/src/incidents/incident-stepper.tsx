import { incidentSteps, type Incident, type IncidentStep } from '../../../shared/incident';

export const stepTitles: Record<IncidentStep, string> = {
  detect: 'Detect',
  assess: 'Assess',
  mitigate: 'Mitigate',
  communicate: 'Communicate',
  resolve: 'Resolve',
  postmortem: 'Postmortem',
};

/** Has the incident taken this step: an entry of it in the timeline (resolve: the incident is resolved)? */
export function stepDone(incident: Incident, step: IncidentStep): boolean {
  if (step === 'resolve') return incident.status === 'resolved';
  return incident.timeline.some((e) => e.step === step);
}

/** The step to show first: the one the incident is most likely at. */
export function suggestedStep(incident: Incident): IncidentStep {
  if (incident.status === 'resolved') return 'postmortem';
  if (incident.status === 'mitigated') return stepDone(incident, 'communicate') ? 'resolve' : 'communicate';
  return stepDone(incident, 'assess') ? 'mitigate' : 'assess';
}

/** The six steps across the top, each done or not; a click shows its panel. */
export function IncidentStepper({
  incident,
  shown,
  onShow,
}: {
  incident: Incident;
  shown: IncidentStep;
  onShow: (step: IncidentStep) => void;
}) {
  return (
    <ol className="stepper incident-stepper" aria-label="Incident steps">
      {incidentSteps.map((step, index) => {
        const done = stepDone(incident, step);
        const count = incident.timeline.filter((e) => e.step === step).length;
        return (
          <li
            key={step}
            className={`phase ${done ? 'phase-done' : 'phase-pending'}${shown === step ? ' phase-shown' : ''}`}
            data-step={step}
          >
            <button
              className="step-button"
              onClick={() => onShow(step)}
              aria-current={shown === step ? 'step' : undefined}
              aria-label={`${stepTitles[step]}: ${done ? 'done' : 'to do'}`}
            >
              <span className="phase-index" aria-hidden="true">
                {done ? '✓' : index + 1}
              </span>
              <span className="phase-name">{stepTitles[step]}</span>
              <span className="phase-state">{done ? (count > 1 ? `done · ${count} entries` : 'done') : 'to do'}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
