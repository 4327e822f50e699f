import type { ContainerSummary } from '../../../shared/docker';
import type { Server } from '../../../shared/server';
import { containerKey, useContainerActions } from '../stores/container-store';
import { onEscape } from '../common/on-escape';
import { ProblemNotice } from '../common/problem-notice';

/** Ask before a restart, naming what restarts where: Enter confirms, Escape cancels. */
export function RestartConfirm({ server, container }: { server: Server; container: ContainerSummary }) {
  const state = useContainerActions((s) => s.restarts[containerKey(server.id, container.id)]);
  const { restart, cancelRestart } = useContainerActions.getState();
  if (!state) return null;

  return (
    <div
      className="confirm-box"
      role="group"
      aria-label={`Confirm restart of ${container.name}`}
      onKeyDown={onEscape(() => cancelRestart(server.id, container.id))}
    >
      <p>
        Restart <code>{container.name}</code> on <strong>{server.name}</strong>? Docker stops it and starts it again;
        whatever it serves is down meanwhile.
      </p>
      {state.problem && <ProblemNotice problem={state.problem} title={`${container.name} was not restarted`} />}
      <div className="actions">
        <button
          className="danger"
          autoFocus
          onClick={() => void restart(server.id, container.id)}
          disabled={state.restarting}
        >
          {state.restarting ? 'Restarting…' : `Restart ${container.name}`}
        </button>
        <button onClick={() => cancelRestart(server.id, container.id)} disabled={state.restarting}>
          Cancel
        </button>
      </div>
    </div>
  );
}
