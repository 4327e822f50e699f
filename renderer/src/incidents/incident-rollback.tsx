import type { Incident, TimelineEntry } from '../../../shared/incident';
import { api } from '../api';
import { formatStarted } from '../common/format';
import { IncidentRunLink } from './incident-run-link';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';
import type { IncidentStepProps } from './incident-step-props';

/** The latest rollback a person started for the incident, and the latest Shipdeck recorded about it (none until traffic is back). */
export function latestRollback(incident: Incident): { start: TimelineEntry; end?: TimelineEntry } | undefined {
  const entries = incident.timeline;
  let index = entries.length - 1;
  while (
    index >= 0 &&
    !(entries[index]!.step === 'mitigate' && entries[index]!.runId !== undefined && entries[index]!.by !== 'Shipdeck')
  )
    index--;
  if (index < 0) return undefined;
  const start = entries[index]!;
  // The latest of what Shipdeck recorded about it: traffic back first, then the run confirmed (or how it ended).
  const end = entries
    .slice(index + 1)
    .filter((e) => e.runId === start.runId && e.by === 'Shipdeck')
    .at(-1);
  return end ? { start, end } : { start };
}

/**
 * MITIGATE in one click: back to the release live before the latest
 * confirmed one, as an emergency run that Shipdeck follows and confirms once
 * VERIFY holds; the incident is mitigated then.
 */
export function IncidentRollback({ incident, by, readOnly, now }: IncidentStepProps) {
  const { busy, problem, run } = useAction();
  const rollback = latestRollback(incident);
  const underWay = rollback !== undefined && rollback.end === undefined;
  // Once mitigated, the latest confirmed run is the rollback itself: another click would go back to the broken release.
  const mitigated = incident.status !== 'open';

  const start = () => run(() => api.rollbackIncident({ id: incident.id, by }));

  return (
    <div className="incident-rollback" role="group" aria-label="Rollback">
      <div className="actions">
        <button
          className="danger big-button"
          onClick={() => void start()}
          disabled={busy || underWay || mitigated || readOnly || !by}
          title="Starts the warm previous release again and moves traffic back to it"
        >
          {busy ? 'Starting the rollback…' : underWay ? 'Rolling back…' : 'Roll back to the previous release'}
        </button>
        {incident.causedBy && (
          <span className="muted small">
            The release this incident follows: <IncidentRunLink runId={incident.causedBy}>its run</IncidentRunLink>
          </span>
        )}
      </div>
      {mitigated && !readOnly && (
        <p className="muted small">
          The incident is mitigated: rolling back again would return to the release that broke. Restart or fix forward
          instead.
        </p>
      )}
      {problem && <ProblemNotice problem={problem} title="The rollback did not start" />}
      {rollback && (
        <p
          className={rollback.end ? (incident.mitigatedAt ? 'banner ok' : 'banner warn') : 'banner info'}
          role="status"
          data-testid="rollback-state"
        >
          {rollback.end ? (
            <>
              {incident.mitigatedAt && <strong>Mitigated at {formatStarted(incident.mitigatedAt, now)}. </strong>}
              {rollback.end.text}
            </>
          ) : (
            <>
              <progress aria-label="Rollback under way" /> {rollback.start.text},{' '}
              {formatStarted(rollback.start.at, now)} by {rollback.start.by}; Shipdeck follows it and confirms it once
              VERIFY holds.
            </>
          )}{' '}
          <IncidentRunLink runId={rollback.start.runId!}>Open the rollback run</IncidentRunLink>
        </p>
      )}
    </div>
  );
}
