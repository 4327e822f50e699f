import type { Incident } from '../../../shared/incident';
import { formatStarted } from '../common/format';
import { IncidentRunLink } from './incident-run-link';
import { stepTitles } from './incident-stepper';

/** Everything that happened, in order: when, at which step, who, what; the runs it names are links. */
export function IncidentTimeline({ incident, now }: { incident: Incident; now: number }) {
  return (
    <section className="panel incident-timeline" aria-label="Timeline">
      <h3>
        Timeline <span className="count">{incident.timeline.length}</span>
      </h3>
      <ol className="timeline">
        {incident.timeline.map((entry, index) => {
          const [first, ...rest] = entry.text.split('\n');
          return (
            <li key={index} className={`timeline-entry timeline-${entry.step}`}>
              <div className="timeline-meta">
                <time dateTime={entry.at} title={entry.at}>
                  {formatStarted(entry.at, now)}
                </time>
                <span className="timeline-step">{stepTitles[entry.step]}</span>
                <span className={entry.by === 'Shipdeck' ? 'timeline-by by-shipdeck' : 'timeline-by'}>{entry.by}</span>
              </div>
              <p className="timeline-text">
                {first}
                {entry.runId && (
                  <>
                    {' '}
                    <IncidentRunLink runId={entry.runId} />
                  </>
                )}
              </p>
              {rest.length > 0 && <pre className="output timeline-output">{rest.join('\n')}</pre>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
