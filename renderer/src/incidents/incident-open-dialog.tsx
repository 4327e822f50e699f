import { useState, type FormEvent } from 'react';
import { severities, type Severity } from '../../../shared/incident';
import { api } from '../api';
import { useIncidents, type IncidentStart } from '../stores/incident-store';
import { useOperator } from '../stores/operator-store';
import { useSection } from '../stores/section-store';
import { useServices } from '../stores/service-store';
import { Dialog } from '../common/dialog';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';

/** A time as a datetime-local field holds it: local, to the second. */
export function localSecond(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * DETECT: open an incident on a service's environment: what is wrong, how
 * bad, how and when it was noticed, and who opens it.
 */
export function IncidentOpenDialog({ start, onClose }: { start: IncidentStart; onClose: () => void }) {
  const services = useServices((s) => s.services).filter((s) => s.spec);
  const [chosen, setService] = useState(start.service ?? '');
  // The services may still be loading when the dialog opens: the first one stands in until one is chosen.
  const service = services.some((s) => s.name === chosen) ? chosen : (services[0]?.name ?? '');
  const spec = services.find((s) => s.name === service)?.spec;
  const environments = spec ? Object.keys(spec.servers) : [];
  const [environment, setEnvironment] = useState(start.environment ?? environments[0] ?? '');
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('high');
  const [detection, setDetection] = useState('');
  const [detectedAt, setDetectedAt] = useState(() => localSecond(Date.now()));
  const [by, setBy] = useState(useOperator.getState().name);
  const { busy, problem, run } = useAction();
  const shownEnvironment = environments.includes(environment) ? environment : (environments[0] ?? '');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const when = Date.parse(detectedAt);
    await run(async () => {
      const incident = await api.openIncident({
        title: title.trim(),
        severity,
        service,
        environment: shownEnvironment,
        detection: detection.trim(),
        ...(Number.isFinite(when) ? { detectedAt: new Date(when).toISOString() } : {}),
        ...(start.causedBy ? { causedBy: start.causedBy } : {}),
        by: by.trim(),
      });
      useOperator.getState().remember(by);
      useIncidents.getState().receive(incident);
      onClose();
      useSection.getState().open('incidents');
      void useIncidents.getState().open(incident.id);
    });
  };

  return (
    <Dialog label="Open an incident" onClose={onClose}>
      {services.length === 0 ? (
        <p className="muted">An incident is opened on a service. Add a service first (Services → New service).</p>
      ) : (
        <form className="dialog-form incident-form" onSubmit={submit} aria-label="The incident">
          <label>
            What is wrong
            <input
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              placeholder="Checkout returns 502"
              required
              autoFocus
              maxLength={200}
            />
          </label>
          <div className="form-row">
            <label className="grow">
              Severity
              <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
                {severities.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <label className="grow">
              Service
              <select
                value={service}
                onChange={(e) => setService(e.target.value)}
                disabled={start.causedBy !== undefined}
              >
                {services.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="grow">
              Environment
              <select
                value={shownEnvironment}
                onChange={(e) => setEnvironment(e.target.value)}
                disabled={start.causedBy !== undefined}
              >
                {environments.map((env) => (
                  <option key={env} value={env}>
                    {env} ({spec!.servers[env]!.join(', ')})
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label>
            How it was noticed
            <input
              value={detection}
              onChange={(e) => setDetection(e.target.value)}
              placeholder="an alert, a customer's report, a failing check…"
              required
              maxLength={1000}
            />
          </label>
          <div className="form-row">
            <label className="grow">
              When it was noticed
              <input
                type="datetime-local"
                value={detectedAt}
                onChange={(e) => setDetectedAt(e.target.value)}
                step={1}
                max={localSecond(Date.now() + 60_000)}
              />
            </label>
            <label className="grow">
              Your name
              <input value={by} onChange={(e) => setBy(e.target.value)} required autoComplete="name" maxLength={80} />
            </label>
          </div>
          {start.causedBy && (
            <p className="note small">
              It follows the release run <code>{start.causedBy}</code>, which counts as a change failure.
            </p>
          )}
          {!start.causedBy && (
            <p className="muted small">The release live on that environment now is linked as its likely cause.</p>
          )}
          {problem && <ProblemNotice problem={problem} title="The incident was not opened" />}
          <div className="actions dialog-actions">
            <button
              type="submit"
              className="danger"
              disabled={busy || !title.trim() || !detection.trim() || !by.trim() || !shownEnvironment}
            >
              {busy ? 'Opening…' : 'Open incident'}
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
