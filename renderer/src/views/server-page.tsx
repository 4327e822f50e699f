import { useEffect, useState } from 'react';
import { loginOf, type Server } from '../../../shared/server';
import { useFleet } from '../stores/fleet-store';
import { useSessions } from '../stores/session-store';
import { ContainerTable } from './container-table';
import { DiagnosticsPanel } from './diagnostics-panel';
import { HostKeyCard } from './host-key-card';
import { ProblemNotice } from './problem-notice';

/** One server: its trust, its link, its diagnostics and its containers. */
export function ServerPage({ server }: { server: Server }) {
  const session = useSessions((s) => s.sessions[server.id]) ?? {};
  const { scan, connect } = useSessions.getState();
  const remove = useFleet((s) => s.remove);
  const [confirmRemove, setConfirmRemove] = useState(false);

  useEffect(() => {
    // Untrusted: show the key first. Trusted: connect, so containers show without a click.
    if (!server.hostKey) void scan(server.id);
    else if (!session.connection && !session.problem) void connect(server.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per server opened
  }, [server.id]);

  const changedKey = session.problem?.code === 'host-key-changed';
  const showKeyCard = session.scan && (!server.hostKey || changedKey);

  return (
    <section className="page" aria-label={`Server ${server.name}`}>
      <header className="page-head">
        <div>
          <h2>{server.name} <span className={`env env-${server.environment}`}>{server.environment}</span></h2>
          <p className="muted"><code>{loginOf(server)}</code> · key <code>{server.auth.keyPath}</code></p>
          <p className="muted">{server.hostKey ? <>Host key <code className="fingerprint">{server.hostKey.fingerprint}</code></> : 'Host key not trusted yet'}</p>
        </div>
        <div className="actions">
          <button onClick={() => void connect(server.id)} disabled={!server.hostKey || session.connecting}>{session.connecting ? 'Connecting…' : session.connection ? 'Reconnect' : 'Connect'}</button>
          {confirmRemove ? (
            <>
              <button className="danger" onClick={() => void remove(server.id)}>Remove {server.name}</button>
              <button onClick={() => setConfirmRemove(false)}>Keep</button>
            </>
          ) : (
            <button onClick={() => setConfirmRemove(true)}>Remove…</button>
          )}
        </div>
      </header>

      {session.scanning && <p className="muted" role="status">Reading the host key…</p>}
      {session.problem && <ProblemNotice problem={session.problem} title={changedKey ? 'Connection refused: host key changed' : 'Could not connect'} />}
      {showKeyCard && <HostKeyCard server={server} scan={session.scan!} />}
      {session.connection && (
        <p className="status ok" role="status">
          Connected as <code>{session.connection.login}</code> in {session.connection.connectMs} ms ({session.connection.algorithm})
        </p>
      )}

      {server.hostKey && !changedKey && (
        <>
          <DiagnosticsPanel server={server} />
          <ContainerTable server={server} session={session} />
        </>
      )}
    </section>
  );
}
