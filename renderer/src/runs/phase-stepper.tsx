import type { Phase, PhaseRecord, RunRecord } from '../../../shared/run';
import { durationBetween, formatDuration } from '../common/format';
import { shownState, type ShownState } from './run-status';

const stateWords: Record<ShownState<PhaseRecord['state']>, string> = {
  pending: 'to do',
  running: 'running',
  done: 'done',
  failed: 'failed',
  skipped: 'skipped',
  unfinished: 'did not finish',
};

/** The five phases across the top, each with its state and how long it took (or has taken so far). */
export function PhaseStepper({ record, now }: { record: RunRecord; now: number }) {
  const rolledBack = record.phases.some((p) => p.phase === 'ROLLBACK');
  const shown: Phase[] = ['PREPARE', 'BACKUP', 'DEPLOY', 'VERIFY', rolledBack ? 'ROLLBACK' : 'CONFIRM'];
  return (
    <ol className="stepper" aria-label="Phases">
      {shown.map((phase, index) => {
        const phaseRecord = record.phases.find((p) => p.phase === phase);
        const state = shownState(phaseRecord?.state ?? 'pending', phase, record.status);
        const ms =
          state === 'unfinished' ? undefined : durationBetween(phaseRecord?.startedAt, phaseRecord?.endedAt, now);
        const deciding =
          phase === 'CONFIRM' &&
          state === 'pending' &&
          (record.status === 'awaiting-decision' || record.status === 'interrupted');
        // A paused run waits before a phase (BACKUP, DEPLOY) or before CONFIRM.
        const paused = record.status === 'paused' && record.waiting?.at === phase && state === 'pending';
        const waiting = deciding || paused;
        return (
          <li
            key={phase}
            className={`phase phase-${state}${waiting ? ' phase-waiting' : ''}`}
            aria-current={state === 'running' || waiting ? 'step' : undefined}
            data-phase={phase}
          >
            <span className="phase-index" aria-hidden="true">
              {state === 'done' ? '✓' : state === 'failed' ? '✗' : index + 1}
            </span>
            <span className="phase-name">
              {phase === 'CONFIRM' && !rolledBack && state === 'pending' ? 'CONFIRM or ROLLBACK' : phase}
            </span>
            <span className="phase-state" data-testid="phase-state">
              {paused ? 'waiting for you' : deciding ? 'your decision' : stateWords[state]}
            </span>
            {/* PREPARE's reading of the hosts happened in the preview, before the run: no time to show. */}
            {ms !== undefined && ms > 0 && state !== 'skipped' && (
              <span className="phase-time num">{formatDuration(ms)}</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
