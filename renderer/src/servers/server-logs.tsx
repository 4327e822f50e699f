import { useId, useState, type FormEvent } from 'react';
import type { LogTarget } from '../../../shared/log';
import type { Server } from '../../../shared/server';
import { LogViewer } from '../logs/log-viewer';
import { useLogStream } from '../logs/use-log-stream';

/** Files people follow most on a Shipdeck host. */
export const filePresets = ['/var/log/nginx/access.log', '/var/log/nginx/error.log'] as const;
const tails = [100, 1000, 10000] as const;

type Shown = { readonly kind: 'containers' } | { readonly kind: 'file'; readonly path: string } | null;

/** A server's logs beyond one container: all its containers merged, or a file followed over SSH. */
export function ServerLogs({ server }: { server: Server }) {
  const [shown, setShown] = useState<Shown>(null);
  const [asking, setAsking] = useState(false);
  const [path, setPath] = useState<string>(filePresets[0]);
  const [tail, setTail] = useState<number>(1000);
  const pathId = useId();
  const tailId = useId();
  const presetsId = useId();
  const target: LogTarget | null =
    shown?.kind === 'containers'
      ? { kind: 'server', serverId: server.id, tail }
      : shown?.kind === 'file'
        ? { kind: 'file', serverId: server.id, path: shown.path, tail }
        : null;
  const stream = useLogStream(target);
  const badPath = !path.trim().startsWith('/');

  const follow = (event: FormEvent) => {
    event.preventDefault();
    if (badPath) return;
    setShown({ kind: 'file', path: path.trim() });
    setAsking(false);
  };

  return (
    <section className="panel log-panel" aria-label="Server logs">
      <div className="panel-head">
        <h3>Logs {shown?.kind === 'file' && <code>{shown.path}</code>}</h3>
        <div className="actions">
          <label htmlFor={tailId} className="small">
            Start with
          </label>
          <select id={tailId} value={tail} onChange={(e) => setTail(Number(e.target.value))}>
            {tails.map((n) => (
              <option key={n} value={n}>
                last {n.toLocaleString('en-US')} lines
              </option>
            ))}
          </select>
          <button
            aria-pressed={shown?.kind === 'containers'}
            onClick={() => setShown(shown?.kind === 'containers' ? null : { kind: 'containers' })}
          >
            All containers
          </button>
          <button aria-expanded={asking} onClick={() => setAsking(!asking)}>
            Follow a file…
          </button>
          {shown && <button onClick={() => setShown(null)}>Stop following</button>}
        </div>
      </div>
      {asking && (
        <form className="log-source-form" aria-label="Follow a file" onSubmit={follow}>
          <label htmlFor={pathId}>
            File on {server.name}
            <input
              id={pathId}
              value={path}
              list={presetsId}
              onChange={(e) => setPath(e.target.value)}
              aria-invalid={badPath ? true : undefined}
              spellCheck={false}
              autoFocus
            />
          </label>
          <datalist id={presetsId}>
            {filePresets.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
          {filePresets.map((p) => (
            <button key={p} type="button" className="small-button" onClick={() => setPath(p)}>
              {p.split('/').pop()}
            </button>
          ))}
          <button type="submit" className="primary" disabled={badPath}>
            Follow this file
          </button>
          {badPath && <span className="hot small">Give the file's full path, starting with /.</span>}
        </form>
      )}
      {shown ? (
        <LogViewer
          key={JSON.stringify(target)}
          streamKey={stream}
          label={shown.kind === 'file' ? `File ${shown.path} on ${server.name}` : `Containers of ${server.name}`}
          className="tall"
        />
      ) : (
        !asking && (
          <p className="muted small">
            Follow every container of {server.name} merged in time order, or a file such as nginx's access log.
          </p>
        )
      )}
    </section>
  );
}
