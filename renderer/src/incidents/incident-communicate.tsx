import { useRef, useState } from 'react';
import { statusUpdateDraft } from '../../../shared/incident';
import { api } from '../api';
import { useIncidents } from '../stores/incident-store';
import { formatStarted } from '../common/format';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';
import type { IncidentStepProps } from './incident-step-props';

/**
 * COMMUNICATE: a status update drafted from what is known now (it follows
 * the incident until edited), copied to wherever the team tells people, then
 * marked as sent so the timeline keeps it with its time.
 */
export function IncidentCommunicate({ incident, by, readOnly, now }: IncidentStepProps) {
  // null: the draft, kept current; a string: the person's own words.
  const [edited, setEdited] = useState<string | null>(null);
  const { busy, problem, run } = useAction();
  const [copied, setCopied] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const text = edited ?? statusUpdateDraft(incident, new Date(now).toISOString());

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // An insecure context or a denied permission: copy the selection instead.
      area.current?.select();
      document.execCommand('copy');
    }
    setCopied(true);
  };

  const markSent = () =>
    run(async () => {
      useIncidents.getState().receive(await api.postIncidentUpdate({ id: incident.id, text: text.trim(), by }));
      setEdited(null);
      setCopied(false);
    });

  return (
    <section className="panel incident-panel" aria-label="Communicate">
      <h3>Communicate: tell the people affected, with times</h3>
      {!readOnly && (
        <>
          <label className="notes">
            Status update{' '}
            {edited === null ? (
              <span className="muted small">(drafted from the incident; edit it freely)</span>
            ) : (
              <span className="muted small">(edited)</span>
            )}
            <textarea
              ref={area}
              aria-label="Status update"
              value={text}
              onChange={(e) => {
                setEdited(e.target.value);
                setCopied(false);
              }}
              rows={7}
              spellCheck
            />
          </label>
          <div className="actions">
            <button onClick={() => void copy()}>{copied ? 'Copied' : 'Copy'}</button>
            <button
              onClick={() => {
                setEdited(null);
                setCopied(false);
              }}
              title="Draft it again from what is known now"
            >
              Refresh draft
            </button>
            <button className="primary" onClick={() => void markSent()} disabled={busy || !text.trim() || !by}>
              {busy ? 'Recording…' : 'Mark as sent'}
            </button>
          </div>
          <p className="muted small">
            Shipdeck does not send it: send it where your team does (status page, chat, e-mail), then mark it as sent.
          </p>
        </>
      )}
      {problem && <ProblemNotice problem={problem} title="The update was not recorded" />}
      <h4 className="incident-subhead">
        Updates sent <span className="count">{incident.updates.length}</span>
      </h4>
      {incident.updates.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ol className="incident-updates" aria-label="Updates sent">
          {incident.updates.map((u, i) => (
            <li key={i}>
              <p className="muted small">
                <time dateTime={u.at} title={u.at}>
                  {formatStarted(u.at, now)}
                </time>{' '}
                by {u.by}
              </p>
              <pre className="update-text">{u.text}</pre>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
