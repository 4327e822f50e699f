import { useState, type ReactNode } from 'react';
import type { Incident, IncidentStep } from '../../../shared/incident';
import { useIncidents } from '../stores/incident-store';
import { useOperator } from '../stores/operator-store';
import { formatStarted } from '../common/format';
import { IncidentAssess } from './incident-assess';
import { IncidentCommunicate } from './incident-communicate';
import { lasted } from './incident-list';
import { IncidentMitigate } from './incident-mitigate';
import { IncidentPostmortem } from './incident-postmortem';
import { IncidentResolve } from './incident-resolve';
import { IncidentRunLink } from './incident-run-link';
import { IncidentSeverity, IncidentStatusBadge } from './incident-status';
import { IncidentStepper, suggestedStep } from './incident-stepper';
import { IncidentTimeline } from './incident-timeline';
import { ProblemNotice } from '../common/problem-notice';
import { useNow } from '../common/use-now';

/**
 * One incident: its six steps across the top, the chosen step's panel, and
 * the timeline beside it, live. A resolved incident only takes its postmortem.
 */
export function IncidentPage() {
  const incident = useIncidents((s) => s.incident);
  const problem = useIncidents((s) => s.incidentProblem);
  const close = useIncidents((s) => s.close);
  const now = useNow(1000);

  const breadcrumb = (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <button className="link-button" onClick={close}>
        Incidents
      </button>{' '}
      <span aria-hidden="true">›</span> {incident?.title ?? 'incident'}
    </nav>
  );
  if (!incident) {
    return (
      <section className="page" aria-label="Incident">
        {breadcrumb}
        {problem ? (
          <ProblemNotice problem={problem} title="Could not open the incident" />
        ) : (
          <p className="muted" role="status">
            Opening the incident…
          </p>
        )}
      </section>
    );
  }
  return <IncidentWork incident={incident} breadcrumb={breadcrumb} now={now} />;
}

function IncidentWork({ incident, breadcrumb, now }: { incident: Incident; breadcrumb: ReactNode; now: number }) {
  const [shown, setShown] = useState<IncidentStep>(() => suggestedStep(incident));
  const [by, setBy] = useState(useOperator.getState().name);
  const readOnly = incident.status === 'resolved';
  const person = by.trim();

  return (
    <section className="page incident-page" aria-label={`Incident ${incident.title}`}>
      {breadcrumb}
      <header className="page-head">
        <div>
          <h2>
            {incident.title} <IncidentSeverity severity={incident.severity} />{' '}
            <IncidentStatusBadge status={incident.status} />
          </h2>
          <p className="muted">
            {incident.service} <span className={`env env-${incident.environment}`}>{incident.environment}</span> ·
            detected {formatStarted(incident.detectedAt, now)} ({incident.detection}) · opened by {incident.openedBy} ·{' '}
            {lasted(incident, now)}
            {incident.causedBy && (
              <>
                {' '}
                · follows <IncidentRunLink runId={incident.causedBy}>the release run</IncidentRunLink>
              </>
            )}
          </p>
        </div>
        <div className="actions">
          <label className="acting-as">
            Acting as
            <input
              value={by}
              onChange={(e) => setBy(e.target.value)}
              onBlur={() => useOperator.getState().remember(by)}
              placeholder="Your name"
              autoComplete="name"
              maxLength={80}
              aria-invalid={!person}
            />
          </label>
        </div>
      </header>
      {readOnly && (
        <p className="banner info" role="status">
          This incident is resolved: it is kept as it happened. Only its postmortem can still change.
        </p>
      )}
      {!person && (
        <p className="banner warn" role="status">
          Give your name (Acting as) first: every step is recorded with who took it.
        </p>
      )}
      <IncidentStepper incident={incident} shown={shown} onShow={setShown} />
      <div className="incident-grid">
        <div className="incident-main">
          {shown === 'detect' && <IncidentDetect incident={incident} now={now} />}
          {shown === 'assess' && <IncidentAssess incident={incident} by={person} readOnly={readOnly} now={now} />}
          {shown === 'mitigate' && <IncidentMitigate incident={incident} by={person} readOnly={readOnly} now={now} />}
          {shown === 'communicate' && (
            <IncidentCommunicate incident={incident} by={person} readOnly={readOnly} now={now} />
          )}
          {shown === 'resolve' && (
            <IncidentResolve incident={incident} by={person} now={now} onResolved={() => setShown('postmortem')} />
          )}
          {shown === 'postmortem' && <IncidentPostmortem incident={incident} by={person} />}
        </div>
        <IncidentTimeline incident={incident} now={now} />
      </div>
    </section>
  );
}

/** DETECT: what was noticed, when, by whom, and the release it follows. */
function IncidentDetect({ incident, now }: { incident: Incident; now: number }) {
  return (
    <section className="panel incident-panel" aria-label="Detect">
      <h3>Detect</h3>
      <dl className="facts">
        <dt>What</dt>
        <dd>{incident.title}</dd>
        <dt>Severity</dt>
        <dd>
          <IncidentSeverity severity={incident.severity} />
        </dd>
        <dt>Where</dt>
        <dd>
          {incident.service} on {incident.environment}
        </dd>
        <dt>Noticed</dt>
        <dd>
          {incident.detection}, {formatStarted(incident.detectedAt, now)}
        </dd>
        <dt>Opened</dt>
        <dd>
          {formatStarted(incident.openedAt, now)} by {incident.openedBy}
        </dd>
        <dt>Follows</dt>
        <dd>
          {incident.causedBy ? (
            <IncidentRunLink runId={incident.causedBy}>{incident.causedBy}</IncidentRunLink>
          ) : (
            <span className="muted">no release run (none was live)</span>
          )}
        </dd>
      </dl>
    </section>
  );
}
