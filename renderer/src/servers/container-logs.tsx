import { useId } from 'react';
import type { ContainerSummary } from '../../../shared/docker';
import type { Server } from '../../../shared/server';
import { containerKey, tailSizes, useContainerActions, type TailSize } from '../stores/container-store';
import { useLogs } from '../stores/log-store';
import { LogViewer } from '../logs/log-viewer';
import { onEscape } from '../common/on-escape';
import { useLogStream } from '../logs/use-log-stream';

/** One container's log, followed: the last lines first, then each new one as it is written. */
export function ContainerLogs({ server, container }: { server: Server; container: ContainerSummary }) {
  const view = useContainerActions((s) => s.logs[containerKey(server.id, container.id)]);
  const { setTail, closeLogs } = useContainerActions.getState();
  const tail = view?.tail ?? 200;
  const stream = useLogStream({ kind: 'server', serverId: server.id, containers: [container.name], tail });
  const readAt = useLogs((s) => (stream ? s.streams[stream]?.readAt : undefined));
  const tailId = useId();

  if (!view) return null;
  return (
    <div
      className="logs"
      role="region"
      aria-label={`Logs of ${container.name}`}
      onKeyDown={onEscape(() => closeLogs(server.id, container.id))}
    >
      <div className="logs-head">
        <strong>
          Logs of <code>{container.name}</code>
        </strong>
        <span className="muted small">
          {readAt ? `following · read ${new Date(readAt).toLocaleTimeString()}` : 'opening…'}
        </span>
        <div className="actions">
          <label htmlFor={tailId}>Lines</label>
          <select
            id={tailId}
            className="tail-size"
            value={tail}
            onChange={(e) => setTail(server.id, container.id, Number(e.target.value) as TailSize)}
            title="How many lines back the log starts"
          >
            {tailSizes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <button onClick={() => closeLogs(server.id, container.id)}>Close</button>
        </div>
      </div>
      <LogViewer key={tail} streamKey={stream} label={`Last lines of ${container.name}`} className="short" />
    </div>
  );
}
