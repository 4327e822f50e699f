import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { Problem } from '../../../shared/problem';
import {
  defaultProxySettings,
  knownEnvironments,
  type AuthDraft,
  type AuthKind,
  type Server,
  type ServerDraft,
} from '../../../shared/server';
import { useFleet } from '../stores/fleet-store';
import { useSessions } from '../stores/session-store';
import { ProblemNotice } from '../common/problem-notice';

// Not a valid environment name (the engine allows letters, digits, dash, underscore), so it cannot collide.
const otherEnvironment = 'other…';

const authChoices: { kind: AuthKind; label: string }[] = [
  { kind: 'key', label: 'Key file' },
  { kind: 'agent', label: 'ssh-agent' },
  { kind: 'password', label: 'Password' },
];

/** The form's fields, as text; secrets stay only until the form is sent. */
interface Fields {
  name: string;
  host: string;
  port: string;
  user: string;
  kind: AuthKind;
  keyPath: string;
  environment: string;
  otherEnvironment: string;
  labels: string;
  dockerSocket: string;
  jumpServerId: string;
  upstreamFile: string;
  reload: string;
}

type FieldName = keyof Fields | 'secret';
type TextField = Exclude<keyof Fields, 'kind'>;

/** Add a server, or edit one (`server` given): the facts needed to reach it over SSH. */
export function ServerForm({ server }: { server?: Server }) {
  const servers = useFleet((s) => s.servers);
  const { add, update, cancelAdding, cancelEditing } = useFleet.getState();
  const environments = environmentChoices(servers);
  const [fields, setFields] = useState<Fields>(() => initialFields(server, environments));
  // The secret is kept apart and cleared on every submit, so it is never shown again.
  const [secret, setSecret] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const environmentId = useId();
  const jumpId = useId();
  const badField = problem ? fieldOf(problem.where) : null;

  useEffect(() => {
    // Take the user to the field the engine named.
    if (badField) formRef.current?.querySelector<HTMLElement>(`[data-field="${badField}"]`)?.focus();
  }, [problem, badField]);

  const set = <K extends keyof Fields>(name: K, value: Fields[K]) => setFields((f) => ({ ...f, [name]: value }));
  const storedSecret =
    server && server.auth.kind === fields.kind && server.auth.kind !== 'agent' && server.auth.hasSecret;
  const jumpChoices = servers.filter((s) => !server || (s.id !== server.id && !reachesThrough(s, server.id, servers)));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const draft = draftOf(fields, secret);
    setSecret('');
    setBusy(true);
    // The link was made with the old settings: once saved, the server page connects afresh.
    if (server) useSessions.getState().forget(server.id);
    const result = server ? await update(server.id, draft) : await add(draft);
    setBusy(false);
    setProblem(result.problem ?? null);
  };

  const invalid = (name: FieldName) => (badField === name ? { 'aria-invalid': true as const } : {});
  /** A text field's props: named as in the request (so a problem's `where` finds it), its value and its setter. */
  const text = (name: TextField) => ({
    'data-field': name,
    ...invalid(name),
    value: fields[name],
    onChange: (e: ChangeEvent<HTMLInputElement>) => set(name, e.target.value),
  });
  const secretPlaceholder = storedSecret ? 'unchanged — type to replace' : problem ? 'type it again' : undefined;

  return (
    <section className="page">
      <h2>{server ? `Edit ${server.name}` : 'Add a server'}</h2>
      <p className="muted">
        {server
          ? 'Changes take effect on the next connection.'
          : 'Shipdeck logs in over SSH. Nothing runs until you have checked the server’s host key.'}
      </p>
      <form ref={formRef} className="form" onSubmit={submit} aria-label={server ? 'Edit server' : 'Add a server'}>
        <label>
          Name
          <input {...text('name')} required autoFocus placeholder="prod-1" />
        </label>
        <div className="form-row">
          <label className="grow">
            Host
            <input {...text('host')} required placeholder="203.0.113.10 or app.example.com" />
          </label>
          <label className="narrow">
            Port
            <input {...text('port')} type="number" min={1} max={65535} />
          </label>
        </div>
        <label>
          User
          <input {...text('user')} required />
        </label>

        <fieldset className="choice" data-field="kind" {...invalid('kind')}>
          <legend>Log in with</legend>
          {authChoices.map((choice) => (
            <label key={choice.kind} className="inline">
              <input
                type="radio"
                name="auth"
                value={choice.kind}
                checked={fields.kind === choice.kind}
                onChange={() => set('kind', choice.kind)}
              />{' '}
              {choice.label}
            </label>
          ))}
        </fieldset>
        {fields.kind === 'key' && (
          <>
            <label>
              Private key file
              <input {...text('keyPath')} required placeholder="/home/you/.ssh/id_ed25519" />
            </label>
            <label>
              Key passphrase <span className="muted small">(only if the key has one)</span>
              <input
                data-field="secret"
                {...invalid('secret')}
                type="password"
                autoComplete="new-password"
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
                placeholder={secretPlaceholder}
              />
            </label>
          </>
        )}
        {fields.kind === 'agent' && (
          <p className="note">
            Shipdeck asks the ssh-agent of the machine that runs its engine (through that process’s{' '}
            <code>SSH_AUTH_SOCK</code>) to sign in. Load the key there first, for example with <code>ssh-add</code>.
          </p>
        )}
        {fields.kind === 'password' && (
          <label>
            Login password
            <input
              data-field="secret"
              {...invalid('secret')}
              type="password"
              autoComplete="new-password"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              required={!storedSecret}
              placeholder={secretPlaceholder}
            />
          </label>
        )}
        {fields.kind !== 'agent' && (
          <p className="muted small">Secrets are stored encrypted on this machine and never shown again.</p>
        )}

        <div className="field">
          <label htmlFor={environmentId}>Environment</label>
          <select
            id={environmentId}
            data-field="environment"
            {...invalid('environment')}
            value={fields.environment}
            onChange={(e) => set('environment', e.target.value)}
          >
            {environments.map((env) => (
              <option key={env} value={env}>
                {env}
              </option>
            ))}
            <option value={otherEnvironment}>other…</option>
          </select>
        </div>
        {fields.environment === otherEnvironment && (
          <label>
            Environment name
            <input
              data-field="otherEnvironment"
              {...invalid('environment')}
              value={fields.otherEnvironment}
              onChange={(e) => set('otherEnvironment', e.target.value)}
              required
              autoFocus
              placeholder="qa, eu-prod…"
            />
          </label>
        )}
        <label>
          Labels
          <input {...text('labels')} placeholder="web, eu (comma separated)" />
        </label>
        <div className="field">
          <label htmlFor={jumpId}>Jump server</label>
          <select
            id={jumpId}
            data-field="jumpServerId"
            {...invalid('jumpServerId')}
            value={fields.jumpServerId}
            onChange={(e) => set('jumpServerId', e.target.value)}
          >
            <option value="">None: connect directly</option>
            {jumpChoices.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <label>
          Docker socket
          <input {...text('dockerSocket')} placeholder="ask the host (DOCKER_HOST, else /var/run/docker.sock)" />
        </label>

        <fieldset className="group">
          <legend>nginx</legend>
          <p className="muted small">
            How releases switch traffic on this host. Leave both empty for the defaults shown;{' '}
            <code>{'{service}'}</code> stands for the service’s name.
          </p>
          <label>
            Upstream file
            <input {...text('upstreamFile')} placeholder={defaultProxySettings.upstreamFile} spellCheck={false} />
          </label>
          <label>
            Reload command
            <input {...text('reload')} placeholder={defaultProxySettings.reload} spellCheck={false} />
          </label>
        </fieldset>

        {problem && (
          <ProblemNotice problem={problem} title={server ? 'The changes were not saved' : 'The server was not added'} />
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {server ? (busy ? 'Saving…' : 'Save changes') : busy ? 'Adding…' : 'Add server'}
          </button>
          {server ? (
            <button type="button" onClick={cancelEditing}>
              Cancel
            </button>
          ) : (
            servers.length > 0 && (
              <button type="button" onClick={cancelAdding}>
                Cancel
              </button>
            )
          )}
        </div>
      </form>
    </section>
  );
}

/** staging and production first, then the names already in use. */
function environmentChoices(servers: readonly Server[]): string[] {
  const used = servers
    .map((s) => s.environment)
    .filter((e) => e && !(knownEnvironments as readonly string[]).includes(e));
  return [...knownEnvironments, ...[...new Set(used)].sort()];
}

function initialFields(server: Server | undefined, environments: readonly string[]): Fields {
  if (!server) {
    return {
      name: '',
      host: '',
      port: '22',
      user: 'root',
      kind: 'key',
      keyPath: '',
      environment: 'staging',
      otherEnvironment: '',
      labels: '',
      dockerSocket: '',
      jumpServerId: '',
      upstreamFile: '',
      reload: '',
    };
  }
  const listed = environments.includes(server.environment);
  return {
    name: server.name,
    host: server.host,
    port: String(server.port),
    user: server.user,
    kind: server.auth.kind,
    keyPath: server.auth.kind === 'key' ? server.auth.keyPath : '',
    environment: listed ? server.environment : otherEnvironment,
    otherEnvironment: listed ? '' : server.environment,
    labels: server.labels.join(', '),
    dockerSocket: server.dockerSocket,
    jumpServerId: server.jumpServerId ?? '',
    upstreamFile: server.proxy?.upstreamFile ?? '',
    reload: server.proxy?.reload ?? '',
  };
}

function draftOf(fields: Fields, secret: string): ServerDraft {
  const withSecret = secret ? { secret } : {};
  const auth: AuthDraft =
    fields.kind === 'key'
      ? { kind: 'key', keyPath: fields.keyPath.trim(), ...withSecret }
      : fields.kind === 'agent'
        ? { kind: 'agent' }
        : { kind: 'password', ...withSecret };
  return {
    name: fields.name.trim(),
    host: fields.host.trim(),
    port: Number(fields.port.trim() || '22'),
    user: fields.user.trim(),
    auth,
    environment: (fields.environment === otherEnvironment ? fields.otherEnvironment : fields.environment).trim(),
    labels: fields.labels
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean),
    dockerSocket: fields.dockerSocket.trim(),
    ...(fields.jumpServerId ? { jumpServerId: fields.jumpServerId } : {}),
    // Only when set: the engine fills an empty one with its default.
    ...(fields.upstreamFile.trim() || fields.reload.trim()
      ? { proxy: { upstreamFile: fields.upstreamFile.trim(), reload: fields.reload.trim() } }
      : {}),
  };
}

/** The form field a problem's `where` names (`auth.keyPath`, `draft.labels.1`…), if any. */
function fieldOf(where: string | undefined): FieldName | null {
  if (!where) return null;
  const path = where.replace(/^draft\./, '').split('.');
  const [head, next] = path;
  if (head === 'auth') return next === 'keyPath' ? 'keyPath' : next === 'secret' ? 'secret' : 'kind';
  if (head === 'proxy') return next === 'reload' ? 'reload' : 'upstreamFile';
  const known: FieldName[] = ['name', 'host', 'port', 'user', 'environment', 'labels', 'dockerSocket', 'jumpServerId'];
  return known.find((f) => f === head) ?? null;
}

/** Does `server` already reach the network through `targetId` (so choosing it as a jump would loop)? */
function reachesThrough(server: Server, targetId: string, servers: readonly Server[]): boolean {
  const seen = new Set<string>();
  let current: Server | undefined = server;
  while (current?.jumpServerId && !seen.has(current.id)) {
    if (current.jumpServerId === targetId) return true;
    seen.add(current.id);
    current = servers.find((s) => s.id === current!.jumpServerId);
  }
  return false;
}
