import { useState } from 'react';
import type { Problem } from '../../../shared/problem';
import type { ServiceEntry } from '../../../shared/run';
import { useServices } from '../stores/service-store';
import { onEscape } from '../common/on-escape';
import { ProblemNotice } from '../common/problem-notice';
import { ForceUnlock } from './force-unlock';
import { ServiceLogs } from './service-logs';
import { ServiceSecrets } from './service-secrets';
import { SpecEditor } from './spec-editor';

/** One service: where it runs, its logs, its spec to edit, and the way to release it. */
export function ServicePage({ entry }: { entry: ServiceEntry }) {
  const spec = entry.spec;
  return (
    <section className="page" aria-label={`Service ${entry.name}`}>
      <header className="page-head">
        <div>
          <h2>{entry.name}</h2>
          {spec ? (
            <p className="muted">
              <code>{spec.image}</code> · port {spec.port} ·{' '}
              {spec.strategy.kind === 'rolling' ? `rolling, ${spec.strategy.batch} at a time` : 'blue-green'} · keeps{' '}
              {spec.retain}
            </p>
          ) : (
            <p className="muted">The saved spec has problems: fix them to release this service.</p>
          )}
          {spec && (
            <dl className="facts env-servers">
              {Object.entries(spec.servers).map(([env, names]) => (
                <div key={env} className="env-row">
                  <dt>
                    <span className={`env env-${env}`}>{env}</span>
                  </dt>
                  <dd>{names.join(', ')}</dd>
                </div>
              ))}
            </dl>
          )}
          <p className="muted small">
            Saved as <code>{entry.file}</code>
          </p>
        </div>
        <ServiceActions entry={entry} />
      </header>
      {spec && <ServiceSecrets entry={entry} spec={spec} />}
      {spec && <ForceUnlock spec={spec} />}
      {spec && <ServiceLogs spec={spec} />}
      <SpecEditor initialText={entry.text} isNew={false} />
    </section>
  );
}

/** Release, and Remove with its inline confirmation (Escape keeps the service). */
function ServiceActions({ entry }: { entry: ServiceEntry }) {
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const { remove, startRelease } = useServices.getState();

  return (
    <div className="actions">
      <button
        className="primary"
        onClick={() => startRelease(entry.name)}
        disabled={!entry.spec}
        title={entry.spec ? 'Preview a release of the saved spec' : 'Fix the spec first'}
      >
        Release…
      </button>
      {confirmRemove ? (
        <span
          className="confirm"
          role="group"
          aria-label={`Confirm removing ${entry.name}`}
          onKeyDown={onEscape(() => setConfirmRemove(false))}
        >
          <button className="danger" autoFocus onClick={() => void remove(entry.name).then(setProblem)}>
            Remove {entry.name}
          </button>
          <button onClick={() => setConfirmRemove(false)}>Keep</button>
        </span>
      ) : (
        <button onClick={() => setConfirmRemove(true)}>Remove…</button>
      )}
      {problem && <ProblemNotice problem={problem} title="The service was not removed" />}
    </div>
  );
}
