import { useState, type FormEvent } from 'react';
import type { KnownHostsImport as KnownHostsResult } from '../../../shared/contract';
import { api } from '../api';
import { useFleetStatus } from '../stores/fleet-status-store';
import { useFleet } from '../stores/fleet-store';
import { Dialog } from '../common/dialog';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';
import { TableHead } from '../common/table-head';

/** Trust the host keys a known_hosts file already lists for servers not trusted yet. */
export function KnownHostsImport({ onClose }: { onClose: () => void }) {
  const servers = useFleet((s) => s.servers);
  const [path, setPath] = useState('');
  const { busy, problem, run } = useAction();
  const [result, setResult] = useState<KnownHostsResult | null>(null);
  const untrusted = servers.filter((s) => !s.hostKey);

  const trust = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      setResult(await api.importKnownHosts(path.trim() ? { path: path.trim() } : {}));
      void useFleet.getState().load();
      void useFleetStatus.getState().refresh();
    });
  };

  // The engine names a server it did not find by id; show its name when the inventory knows it.

  return (
    <Dialog label="Trust keys from known_hosts" onClose={onClose} wide>
      {result ? (
        <div className="import-result" role="status">
          <p className="muted small">
            Read <code>{result.path}</code>.
          </p>
          <h3>
            {result.trusted.length === 0
              ? 'No key was trusted'
              : `Trusted ${result.trusted.length} ${result.trusted.length === 1 ? 'key' : 'keys'}`}
          </h3>
          {result.trusted.length > 0 && (
            <table className="table" aria-label="Trusted keys">
              <TableHead columns={['Server', 'Fingerprint']} />
              <tbody>
                {result.trusted.map((t) => (
                  <tr key={t.serverId}>
                    <td>
                      <strong>{t.name}</strong>
                    </td>
                    <td>
                      <code className="fingerprint">{t.fingerprint}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.notListed.length > 0 && (
            <>
              <h3>Not trusted</h3>
              <p className="muted">
                These servers still have no trusted key. Open each one to check the key it presents.
              </p>
              <ul aria-label="Not trusted">
                {result.notListed.map((n) => (
                  <li key={n.serverId}>
                    <strong>{n.name}</strong>: {n.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="actions dialog-actions">
            <button className="primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={trust} className="dialog-form">
          <p>
            For each server whose host key is not trusted yet (
            {untrusted.length === 0 ? 'none now' : untrusted.map((s) => s.name).join(', ')}), Shipdeck trusts the key
            that your known_hosts file lists for its host and port: keys you already accepted with <code>ssh</code>.
            Servers already trusted are left as they are.
          </p>
          <label>
            known_hosts file
            <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="~/.ssh/known_hosts" autoFocus />
          </label>
          {problem && <ProblemNotice problem={problem} title="No key was trusted" />}
          <div className="actions dialog-actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Reading…' : 'Trust listed keys'}
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
