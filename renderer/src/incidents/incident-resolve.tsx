import { useState } from 'react';
import type { Incident } from '../../../shared/incident';
import { api } from '../api';
import { useIncidents } from '../stores/incident-store';
import { formatStarted } from '../common/format';
import { lasted } from './incident-list';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';

/** RESOLVE: close the incident with a summary of how; it is read-only after, but for its postmortem. */
export function IncidentResolve({
  incident,
  by,
  now,
  onResolved,
}: {
  incident: Incident;
  by: string;
  now: number;
  onResolved: () => void;
}) {
  const [summary, setSummary] = useState('');
  const { busy, problem, run } = useAction();
  const resolution = [...incident.timeline].reverse().find((e) => e.step === 'resolve');

  const resolve = () =>
    run(async () => {
      useIncidents.getState().receive(await api.resolveIncident({ id: incident.id, summary: summary.trim(), by }));
      onResolved();
    });

  return (
    <section className="panel incident-panel" aria-label="Resolve">
      <h3>Resolve: the cause is fixed, or the mitigation holds</h3>
      <dl className="facts">
        <dt>Detected</dt>
        <dd>{formatStarted(incident.detectedAt, now)}</dd>
        <dt>Mitigated</dt>
        <dd>
          {incident.mitigatedAt ? formatStarted(incident.mitigatedAt, now) : <span className="muted">not yet</span>}
        </dd>
        {incident.resolvedAt && (
          <>
            <dt>Resolved</dt>
            <dd>{formatStarted(incident.resolvedAt, now)}</dd>
          </>
        )}
        <dt>Duration</dt>
        <dd>{lasted(incident, now)}</dd>
      </dl>
      {incident.status === 'resolved' ? (
        <p className="banner ok" role="status">
          {resolution ? `${resolution.text} (${resolution.by})` : 'Resolved.'}
        </p>
      ) : (
        <>
          {incident.status === 'open' && (
            <p className="banner warn">
              The incident is not mitigated yet: resolve it only if the service is well again.
            </p>
          )}
          <label className="notes">
            Summary
            <textarea
              aria-label="Resolution summary"
              value={summary}
              onChange={(e) => setSummary(e.target.value)}
              rows={3}
              placeholder="What fixed it, and whether it holds"
              maxLength={2000}
            />
          </label>
          <div className="actions">
            <button className="primary" onClick={() => void resolve()} disabled={busy || !summary.trim() || !by}>
              {busy ? 'Resolving…' : 'Resolve'}
            </button>
          </div>
        </>
      )}
      {problem && <ProblemNotice problem={problem} title="The incident was not resolved" />}
    </section>
  );
}
