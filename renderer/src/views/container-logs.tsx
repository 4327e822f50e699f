import { useEffect, useId, useRef } from 'react';
import type { ContainerSummary } from '../../../shared/docker';
import type { Server } from '../../../shared/server';
import { containerKey, tailSizes, useContainerActions, type TailSize } from '../stores/container-store';
import { onEscape } from './on-escape';
import { ProblemNotice } from './problem-notice';

/** The last lines a container wrote, in a monospace pane that opens at the newest line. */
export function ContainerLogs({ server, container }: { server: Server; container: ContainerSummary }) {
  const view = useContainerActions((s) => s.logs[containerKey(server.id, container.id)]);
  const { readLogs, closeLogs } = useContainerActions.getState();
  const pane = useRef<HTMLPreElement>(null);
  const tailId = useId();

  useEffect(() => {
    pane.current?.scrollTo({ top: pane.current.scrollHeight });
  }, [view?.text]);

  if (!view) return null;
  const lines = view.text ? view.text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1).length : 0;

  return (
    <div
      className="logs"
      role="region"
      aria-label={`Logs of ${container.name}`}
      onKeyDown={onEscape(() => closeLogs(server.id, container.id))}
    >
      <div className="logs-head">
        <strong>Logs of <code>{container.name}</code></strong>
        <span className="muted small">
          {view.loading ? 'reading…' : view.readAt ? `${lines} ${lines === 1 ? 'line' : 'lines'}${view.truncated ? ` (the last ${view.tail})` : ''} · read ${new Date(view.readAt).toLocaleTimeString()}` : ''}
        </span>
        <div className="actions">
          <label htmlFor={tailId}>Lines</label>
          <select id={tailId} className="tail-size" value={view.tail} onChange={(e) => void readLogs(server.id, container.id, Number(e.target.value) as TailSize)}>
            {tailSizes.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
          <button onClick={() => void readLogs(server.id, container.id)} disabled={view.loading}>Refresh logs</button>
          <button onClick={() => closeLogs(server.id, container.id)}>Close</button>
        </div>
      </div>
      {view.problem && <ProblemNotice problem={view.problem} title="Could not read the logs" />}
      {view.text !== undefined && (
        <pre className="output logs-text" ref={pane} tabIndex={0} aria-label={`Last lines of ${container.name}`}>{view.text || '(the container has written nothing)'}</pre>
      )}
    </div>
  );
}
