import { useState, type FormEvent } from 'react';
import type { Problem } from '../../../shared/problem';
import { useFleet } from '../stores/fleet-store';
import { ProblemNotice } from './problem-notice';

/** The few facts needed to reach a server over SSH. */
export function AddServerForm() {
  const { add, cancelAdding, servers } = useFleet();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    setBusy(true);
    const result = await add({
      name: text('name'),
      host: text('host'),
      port: Number(text('port') || '22'),
      user: text('user'),
      keyPath: text('keyPath'),
      environment: text('environment'),
      labels: text('labels').split(',').map((l) => l.trim()).filter(Boolean),
      dockerSocket: text('dockerSocket'),
    });
    setBusy(false);
    setProblem(result.problem ?? null);
  };

  return (
    <section className="page">
      <h2>Add a server</h2>
      <p className="muted">Shipdeck logs in over SSH with your key. Nothing runs until you have checked the server's host key.</p>
      <form className="form" onSubmit={submit} aria-label="Add a server">
        <label>Name<input name="name" required autoFocus placeholder="prod-1" /></label>
        <label>Host<input name="host" required placeholder="203.0.113.10 or app.example.com" /></label>
        <label>Port<input name="port" type="number" min={1} max={65535} defaultValue={22} /></label>
        <label>User<input name="user" required defaultValue="root" /></label>
        <label>Private key file<input name="keyPath" required placeholder="/home/you/.ssh/id_ed25519" /></label>
        <label>Environment
          <select name="environment" defaultValue="staging">
            <option value="staging">staging</option>
            <option value="production">production</option>
          </select>
        </label>
        <label>Labels<input name="labels" placeholder="web, eu (comma separated)" /></label>
        <label>Docker socket<input name="dockerSocket" placeholder="ask the host (DOCKER_HOST, else /var/run/docker.sock)" /></label>
        {problem && <ProblemNotice problem={problem} title="The server was not added" />}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Adding…' : 'Add server'}</button>
          {servers.length > 0 && <button type="button" onClick={cancelAdding}>Cancel</button>}
        </div>
      </form>
    </section>
  );
}
