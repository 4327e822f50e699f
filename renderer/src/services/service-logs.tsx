import { useId, useState } from 'react';
import type { ServiceSpec } from '../../../shared/service-spec';
import { LogViewer } from '../logs/log-viewer';
import { logStartOf, logStarts } from './log-start';
import { useLogStream } from '../logs/use-log-stream';

/** A service's containers on every host of an environment, followed and merged in time order, host and container shown. */
export function ServiceLogs({ spec }: { spec: ServiceSpec }) {
  const environments = Object.keys(spec.servers);
  const [open, setOpen] = useState(false);
  const [environment, setEnvironment] = useState(environments[0] ?? '');
  const [start, setStart] = useState('tail-1000');
  const shownEnvironment = environments.includes(environment) ? environment : (environments[0] ?? '');
  const stream = useLogStream(
    open && shownEnvironment
      ? { kind: 'service', service: spec.service, environment: shownEnvironment, ...logStartOf(start) }
      : null,
  );
  const envId = useId();
  const startId = useId();

  return (
    <section className="panel log-panel" aria-label="Logs">
      <div className="panel-head">
        <h3>Logs</h3>
        <div className="actions">
          {open && (
            <>
              <label htmlFor={envId} className="small">
                Environment
              </label>
              <select id={envId} value={shownEnvironment} onChange={(e) => setEnvironment(e.target.value)}>
                {environments.map((env) => (
                  <option key={env} value={env}>
                    {env}
                  </option>
                ))}
              </select>
              <label htmlFor={startId} className="small">
                From
              </label>
              <select id={startId} value={start} onChange={(e) => setStart(e.target.value)}>
                {logStarts.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </>
          )}
          <button aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Stop following' : 'Follow logs'}
          </button>
        </div>
      </div>
      {open ? (
        <LogViewer
          key={`${shownEnvironment} ${start}`}
          streamKey={stream}
          label={`Logs of ${spec.service} on ${shownEnvironment}`}
          className="tall"
        />
      ) : (
        <p className="muted small">
          Follow the containers of {spec.service} on every host of an environment, merged in time order.
        </p>
      )}
    </section>
  );
}
