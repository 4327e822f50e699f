import { useState, type FormEvent } from 'react';
import type { Problem } from '../../../shared/problem';
import type { ServiceEntry } from '../../../shared/run';
import type { ServiceSpec } from '../../../shared/service-spec';
import { useServices } from '../stores/service-store';
import { ProblemNotice } from '../common/problem-notice';

/**
 * The values of the variables a spec lists under `secrets`: which are set,
 * and a field to set or replace one. A value goes to the engine once and never
 * comes back; the page only learns whether it is set.
 */
export function ServiceSecrets({ entry, spec }: { entry: ServiceEntry; spec: ServiceSpec }) {
  if (spec.secrets.length === 0) return null;
  const set = new Set(entry.secretsSet ?? []);
  const missing = spec.secrets.filter((name) => !set.has(name));
  return (
    <section className="panel service-secrets" aria-label="Secrets">
      <h3>Secrets</h3>
      <p className="muted small">
        Kept encrypted by Shipdeck, given to the container as environment variables, and shown as *** everywhere else.
      </p>
      {missing.length > 0 && (
        <p className="status warn small" role="status">
          Not set yet: {missing.join(', ')}. A release needs every one.
        </p>
      )}
      <ul className="secret-list">
        {spec.secrets.map((name) => (
          <SecretRow key={name} service={spec.service} name={name} isSet={set.has(name)} />
        ))}
      </ul>
    </section>
  );
}

function SecretRow({ service, name, isSet }: { service: string; name: string; isSet: boolean }) {
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const setSecret = useServices((s) => s.setSecret);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    const refused = await setSecret(service, name, value);
    setBusy(false);
    setProblem(refused);
    if (!refused) {
      setValue('');
      setSaved(true);
    }
  };

  return (
    <li>
      <form className="secret-row" aria-label={`Secret ${name}`} onSubmit={submit}>
        <code>{name}</code>
        <span className={isSet ? 'secret-state ok' : 'secret-state hot'}>{isSet ? 'set' : 'not set'}</span>
        <label className="sr-only" htmlFor={`secret-${name}`}>
          Value of {name}
        </label>
        <input
          id={`secret-${name}`}
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder={isSet ? 'type a new value to replace it' : 'value'}
        />
        <button type="submit" disabled={busy || value === ''}>
          {busy ? 'Saving…' : isSet ? 'Replace' : 'Set'}
        </button>
        {saved && (
          <span className="status ok small" role="status">
            Saved
          </span>
        )}
      </form>
      {problem && <ProblemNotice problem={problem} title={`${name} was not saved`} />}
    </li>
  );
}
