import { useEffect, useState, type ReactNode } from 'react';
import { defaultProxySettings, loginOf, type Server } from '../../../shared/server';
import type { Problem } from '../../../shared/problem';
import { useFleet } from '../stores/fleet-store';
import { useFleetStatus } from '../stores/fleet-status-store';
import { useSessions } from '../stores/session-store';
import { ContainerTable } from './container-table';
import { DiagnosticsPanel } from './diagnostics-panel';
import { HostKeyCard } from './host-key-card';
import { onEscape } from '../common/on-escape';
import { ProblemNotice } from '../common/problem-notice';
import { ServerFacts } from './server-facts';
import { ServerLogs } from './server-logs';

/** One server: its live facts, its trust, its link, its diagnostics and its containers. */
export function ServerPage({ server }: { server: Server }) {
  const session = useSessions((s) => s.sessions[server.id]) ?? {};
  const { scan, connect } = useSessions.getState();
  const jump = useFleet((s) => s.servers.find((j) => j.id === server.jumpServerId));

  useEffect(() => {
    // Untrusted: show the key first. Trusted: connect, so containers show without a click; a link
    // made earlier is checked again (its host key may have changed since), which costs one handshake.
    if (!server.hostKey) void scan(server.id);
    else if (!session.connecting) void connect(server.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per server opened
  }, [server.id]);

  // The fleet saw a changed key (another connection was refused): ask again, so this page refuses too and offers the re-trust.
  const fleetSawChangedKey = useFleetStatus((s) => s.statuses[server.id]?.problem?.code === 'host-key-changed');
  useEffect(() => {
    if (fleetSawChangedKey && server.hostKey && session.problem?.code !== 'host-key-changed' && !session.connecting)
      void connect(server.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- when the fleet's finding changes
  }, [fleetSawChangedKey, server.id]);

  const changedKey = session.problem?.code === 'host-key-changed';
  const showKeyCard = session.scan && (!server.hostKey || changedKey);

  return (
    <section className="page" aria-label={`Server ${server.name}`}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <button className="link-button" onClick={() => useFleet.getState().select(null)}>
          Fleet overview
        </button>{' '}
        <span aria-hidden="true">›</span> {server.name}
      </nav>
      <header className="page-head">
        <div>
          <h2>
            {server.name}{' '}
            {server.environment && <span className={`env env-${server.environment}`}>{server.environment}</span>}
          </h2>
          <p className="muted">
            <code>{loginOf(server)}</code> · {authText(server)}
            {server.jumpServerId && (
              <>
                {' '}
                · via <strong>{jump?.name ?? 'a removed server'}</strong>
              </>
            )}
            {server.labels.length > 0 && (
              <>
                {' '}
                ·{' '}
                {server.labels.map((l) => (
                  <span key={l} className="label">
                    {l}
                  </span>
                ))}
              </>
            )}
          </p>
          <p className="muted" data-testid="proxy-settings">
            nginx: upstream <code>{(server.proxy ?? defaultProxySettings).upstreamFile}</code> · reload{' '}
            <code>{(server.proxy ?? defaultProxySettings).reload}</code>
            {!server.proxy && ' (defaults)'}
          </p>
          <p className="muted">
            {server.hostKey ? (
              <>
                Host key <code className="fingerprint">{server.hostKey.fingerprint}</code>
                {server.hostKey.source === 'known_hosts' && ' (from known_hosts)'}
              </>
            ) : (
              'Host key not trusted yet'
            )}
          </p>
        </div>
        <ServerActions server={server} connecting={!!session.connecting} connected={!!session.connection} />
      </header>

      <ServerFacts server={server} />

      {session.scanning && (
        <p className="muted" role="status">
          Reading the host key…
        </p>
      )}
      {session.problem && (
        <ProblemNotice
          problem={session.problem}
          title={changedKey ? 'Connection refused: host key changed' : 'Could not connect'}
        />
      )}
      {showKeyCard && <HostKeyCard server={server} scan={session.scan!} />}
      {session.connection && (
        <p className="status ok" role="status">
          Connected as <code>{session.connection.login}</code> in {session.connection.connectMs} ms (
          {session.connection.algorithm})
        </p>
      )}

      {server.hostKey && !changedKey && (
        <>
          <DiagnosticsPanel server={server} />
          <ContainerTable server={server} session={session} />
          <ServerLogs server={server} />
        </>
      )}
    </section>
  );
}

/** Connect, Edit, and Remove with its confirmation (Escape keeps the server). */
function ServerActions({ server, connecting, connected }: { server: Server; connecting: boolean; connected: boolean }) {
  const { remove, startEditing } = useFleet.getState();
  const connect = useSessions((s) => s.connect);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  return (
    <div className="actions">
      <button onClick={() => void connect(server.id)} disabled={!server.hostKey || connecting}>
        {connecting ? 'Connecting…' : connected ? 'Reconnect' : 'Connect'}
      </button>
      <button onClick={() => startEditing(server.id)}>Edit</button>
      {confirmRemove ? (
        <span
          className="confirm"
          role="group"
          aria-label={`Confirm removing ${server.name}`}
          onKeyDown={onEscape(() => setConfirmRemove(false))}
        >
          <button className="danger" autoFocus onClick={() => void remove(server.id).then(setProblem)}>
            Remove {server.name}
          </button>
          <button onClick={() => setConfirmRemove(false)}>Keep</button>
        </span>
      ) : (
        <button onClick={() => setConfirmRemove(true)}>Remove…</button>
      )}
      {problem && <ProblemNotice problem={problem} title="The server was not removed" />}
    </div>
  );
}

function authText(server: Server): ReactNode {
  switch (server.auth.kind) {
    case 'key':
      return (
        <>
          key <code>{server.auth.keyPath}</code>
          {server.auth.hasSecret ? ' (passphrase stored)' : ''}
        </>
      );
    case 'agent':
      return 'ssh-agent';
    case 'password':
      return server.auth.hasSecret ? 'password (stored)' : 'password (none stored)';
  }
}
