import type { Phase, RunStatus } from '../../../shared/run';

const labels: Record<RunStatus, string> = {
  running: 'running',
  paused: 'paused: needs you',
  'awaiting-decision': 'awaiting decision',
  confirmed: 'confirmed',
  'rolled-back': 'rolled back',
  failed: 'failed',
  interrupted: 'interrupted',
  unreadable: 'journal unreadable',
};

/** A run's status as a coloured word, readable from across the room. */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`run-status run-status-${status}`} data-testid="run-status">
      {labels[status]}
    </span>
  );
}

/** Is the run still live: working, or waiting for a person? */
export function isLive(status: RunStatus): boolean {
  return status === 'running' || status === 'paused' || status === 'awaiting-decision' || status === 'interrupted';
}

export type ShownState<S extends string> = S | 'unfinished';

/**
 * What a step or phase that still says "running" means once the run stopped
 * working on it: the run ended, or the engine stopped mid-run (interrupted,
 * where only a later CONFIRM or ROLLBACK can be under way). Its end never came.
 */
export function shownState<S extends string>(state: S, phase: Phase, status: RunStatus): ShownState<S> {
  if (state !== 'running') return state;
  const ended = status === 'confirmed' || status === 'rolled-back' || status === 'failed';
  const cutOff = status === 'interrupted' && phase !== 'CONFIRM' && phase !== 'ROLLBACK';
  return ended || cutOff ? 'unfinished' : state;
}
