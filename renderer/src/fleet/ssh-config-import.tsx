import { useState, type FormEvent } from 'react';
import type { SshConfigCandidate, SshConfigReading, SshImport } from '../../../shared/contract';
import { loginOf } from '../../../shared/server';
import { api } from '../api';
import { useFleetStatus } from '../stores/fleet-status-store';
import { useFleet } from '../stores/fleet-store';
import { Dialog } from '../common/dialog';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';

/** Read an ssh config file, pick its hosts, add them to the inventory. */
export function SshConfigImport({ onClose, onTrustNext }: { onClose: () => void; onTrustNext: () => void }) {
  const [path, setPath] = useState('');
  const [reading, setReading] = useState<SshConfigReading | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const { busy, problem, run } = useAction();
  const [result, setResult] = useState<SshImport | null>(null);

  const read = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await run(async () => {
      const found = await api.readSshConfig(path.trim() ? { path: path.trim() } : {});
      setReading(found);
      setChosen(new Set(found.hosts.filter((h) => !h.inInventory).map((h) => h.alias)));
    });
    if (!ok) setReading(null);
  };

  const importChosen = async () => {
    if (!reading) return;
    await run(async () => {
      // Keep the file's order, so a jump host is added before the hosts behind it.
      const aliases = reading.hosts.filter((h) => chosen.has(h.alias)).map((h) => h.alias);
      const imported = await api.importSshHosts({ path: reading.path, aliases });
      setResult(imported);
      void useFleet.getState().load();
      // Show the fleet with its new servers behind the dialog.
      if (imported.added.length > 0) useFleet.getState().select(null);
      void useFleetStatus.getState().refresh();
    });
  };

  const toggle = (alias: string) => {
    const next = new Set(chosen);
    if (next.has(alias)) next.delete(alias);
    else next.add(alias);
    setChosen(next);
  };

  const open = reading?.hosts.filter((h) => !h.inInventory) ?? [];
  const allChosen = open.length > 0 && open.every((h) => chosen.has(h.alias));

  return (
    <Dialog label="Import from SSH config" onClose={onClose} wide>
      {result ? (
        <ImportResult result={result} onClose={onClose} onTrustNext={onTrustNext} />
      ) : (
        <>
          <form className="inline-form" onSubmit={read}>
            <label className="grow">
              Config file
              <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="~/.ssh/config" autoFocus />
            </label>
            <button type="submit" disabled={busy}>
              {busy && !reading ? 'Reading…' : 'Read'}
            </button>
          </form>
          {problem && (
            <ProblemNotice
              problem={problem}
              title={reading ? 'The hosts were not imported' : 'Could not read the file'}
            />
          )}
          {reading && (
            <>
              <p className="muted small">
                Read <code>{reading.path}</code>: {reading.hosts.length} {reading.hosts.length === 1 ? 'host' : 'hosts'}
                .
              </p>
              {reading.warnings.length > 0 && (
                <ul className="warnings" aria-label="Warnings">
                  {reading.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              )}
              {reading.hosts.length > 0 && (
                <div className="table-scroll">
                  <table className="table" aria-label="Hosts in the file">
                    <thead>
                      <tr>
                        <th scope="col">
                          <input
                            type="checkbox"
                            aria-label="Choose every host"
                            checked={allChosen}
                            disabled={open.length === 0}
                            onChange={() => setChosen(allChosen ? new Set() : new Set(open.map((h) => h.alias)))}
                          />
                        </th>
                        <th scope="col">Host</th>
                        <th scope="col">Login</th>
                        <th scope="col">Identity file</th>
                        <th scope="col">Note</th>
                      </tr>
                    </thead>
                    <tbody>
                      {reading.hosts.map((h) => (
                        <CandidateRow
                          key={h.alias}
                          host={h}
                          chosen={chosen.has(h.alias)}
                          onToggle={() => toggle(h.alias)}
                        />
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <p className="muted small">
                A host without an IdentityFile logs in with ssh-agent; a ProxyJump host is added with it. Imported
                servers still need their host keys trusted, and their environment and labels set with Edit.
              </p>
            </>
          )}
          <div className="actions dialog-actions">
            {reading && (
              <button className="primary" onClick={() => void importChosen()} disabled={busy || chosen.size === 0}>
                {busy ? 'Importing…' : `Import ${chosen.size} ${chosen.size === 1 ? 'host' : 'hosts'}`}
              </button>
            )}
            <button onClick={onClose}>Cancel</button>
          </div>
        </>
      )}
    </Dialog>
  );
}

function CandidateRow({ host, chosen, onToggle }: { host: SshConfigCandidate; chosen: boolean; onToggle: () => void }) {
  return (
    <tr className={host.inInventory ? 'disabled' : undefined}>
      <td>
        <input
          type="checkbox"
          aria-label={`Import ${host.alias}`}
          checked={chosen && !host.inInventory}
          disabled={host.inInventory}
          onChange={onToggle}
        />
      </td>
      <td>
        <strong>{host.alias}</strong> <span className="muted small">line {host.line}</span>
      </td>
      <td>
        <code>{loginOf({ user: host.user ?? '‹you›', host: host.hostName, port: host.port })}</code>
        {!host.user && <span className="muted small"> (no User: your own user name)</span>}
      </td>
      <td>{host.identityFile ? <code>{host.identityFile}</code> : <span className="muted">ssh-agent</span>}</td>
      <td>
        {host.inInventory && <span className="tag">already in inventory</span>}
        {host.proxyJump && <span className="tag">via {host.proxyJump}</span>}
      </td>
    </tr>
  );
}

function ImportResult({
  result,
  onClose,
  onTrustNext,
}: {
  result: SshImport;
  onClose: () => void;
  onTrustNext: () => void;
}) {
  return (
    <div className="import-result" role="status">
      <h3>
        {result.added.length === 0
          ? 'No server was added'
          : `Added ${result.added.length} ${result.added.length === 1 ? 'server' : 'servers'}`}
      </h3>
      {result.added.length > 0 && (
        <ul aria-label="Added">
          {result.added.map((s) => (
            <li key={s.id}>
              <strong>{s.name}</strong> <code>{loginOf(s)}</code>{' '}
              {s.environment && <span className={`env env-${s.environment}`}>{s.environment}</span>}
            </li>
          ))}
        </ul>
      )}
      {result.skipped.length > 0 && (
        <>
          <h3>Skipped</h3>
          <ul aria-label="Skipped">
            {result.skipped.map((s) => (
              <li key={s.alias}>
                <strong>{s.alias}</strong>: {s.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {result.added.length > 0 && (
        <p className="muted">
          Their host keys are not trusted yet. Open each server to check its key, or trust the keys your known_hosts
          file already lists.
        </p>
      )}
      <div className="actions dialog-actions">
        {result.added.length > 0 && (
          <button className="primary" onClick={onTrustNext}>
            Trust keys from known_hosts…
          </button>
        )}
        <button onClick={onClose}>Done</button>
      </div>
    </div>
  );
}
