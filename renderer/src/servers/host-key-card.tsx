import { useState } from 'react';
import type { HostKeyScan } from '../../../shared/contract';
import type { Server } from '../../../shared/server';
import { useSessions } from '../stores/session-store';

/**
 * Trust on first use: show the fingerprint the server presents and let the user confirm it.
 * A changed key shows both fingerprints, and is trusted only once the server's name is typed.
 */
export function HostKeyCard({ server, scan }: { server: Server; scan: HostKeyScan }) {
  const trust = useSessions((s) => s.trust);
  const [typed, setTyped] = useState('');
  const changed = scan.trusted !== undefined && scan.trusted !== scan.fingerprint;
  const confirmed = !changed || typed === server.name;
  return (
    <div className={changed ? 'card host-key loud' : 'card host-key'} role="region" aria-label="Host key">
      <h3>{changed ? 'The host key has CHANGED' : 'Check this server’s host key'}</h3>
      {changed ? (
        <p>
          Shipdeck refused to connect. The key that {server.name} presents is not the one you trusted. Someone may be
          intercepting the connection, or the server was reinstalled. Trust the new key only after its owner confirms
          it.
        </p>
      ) : (
        <p>
          First connection to {server.name}. Compare this fingerprint with the one on the server (
          <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>) before you trust it.
        </p>
      )}
      <dl className="facts">
        {changed && (
          <>
            <dt>Trusted before</dt>
            <dd>
              <code className="fingerprint" data-testid="trusted-fingerprint">
                {scan.trusted}
              </code>
            </dd>
          </>
        )}
        <dt>{changed ? 'Presented now' : 'Fingerprint'}</dt>
        <dd>
          <code className="fingerprint" data-testid="presented-fingerprint">
            {scan.fingerprint}
          </code>
        </dd>
        <dt>Key type</dt>
        <dd>{scan.algorithm}</dd>
      </dl>
      <form
        className="actions"
        onSubmit={(event) => {
          event.preventDefault();
          if (confirmed)
            void trust(
              server.id,
              scan.fingerprint,
              changed ? { replacing: scan.trusted!, confirmName: typed } : undefined,
            );
        }}
      >
        {changed && (
          <label className="confirm-name">
            <span>
              Type <strong>{server.name}</strong> to trust the new key
            </span>
            <input
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              aria-label={`Type ${server.name} to trust the new key`}
            />
          </label>
        )}
        <button type="submit" className={changed ? 'danger' : 'primary'} disabled={!confirmed}>
          {changed ? 'Trust the new key' : 'Trust and connect'}
        </button>
      </form>
    </div>
  );
}
