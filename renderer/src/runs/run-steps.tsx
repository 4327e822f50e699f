import { memo, useEffect, useRef } from 'react';
import { phases, type RunStatus, type StepRecord } from '../../../shared/run';
import { formatDuration } from '../common/format';
import { shownState, type ShownState } from './run-status';

const icons: Record<ShownState<StepRecord['state']>, string> = {
  pending: '○',
  running: '◐',
  ok: '✓',
  failed: '✗',
  skipped: '–',
  unfinished: '⊘',
};
const words: Record<ShownState<StepRecord['state']>, string> = {
  pending: 'to do',
  running: 'running',
  ok: 'ok',
  failed: 'failed',
  skipped: 'skipped',
  unfinished: 'did not finish',
};

/** The run's steps by phase: state, host and purpose; choosing one shows its output. */
export const RunSteps = memo(function RunSteps({
  steps,
  status,
  selectedId,
  following,
  onSelect,
}: {
  steps: readonly StepRecord[];
  status: RunStatus;
  selectedId: string | undefined;
  following: boolean;
  onSelect: (id: string) => void;
}) {
  const list = useRef<HTMLElement>(null);
  useEffect(() => {
    // Following the run: keep its current step in sight, scrolling the list only (never the page).
    const box = list.current;
    const step = following && selectedId ? box?.querySelector<HTMLElement>(`[data-step="${selectedId}"]`) : null;
    if (!box || !step) return;
    if (step.offsetTop < box.scrollTop) box.scrollTop = step.offsetTop - 8;
    else if (step.offsetTop + step.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = step.offsetTop + step.offsetHeight - box.clientHeight + 8;
  }, [following, selectedId]);
  const groups = phases
    .map((phase) => ({ phase, steps: steps.filter((s) => s.phase === phase) }))
    .filter((g) => g.steps.length > 0);
  return (
    <nav className="run-steps" aria-label="Steps" ref={list}>
      {groups.length === 0 && <p className="muted small">This run has no steps.</p>}
      {groups.map(({ phase, steps: inPhase }) => (
        <section key={phase} aria-label={`${phase} steps`}>
          <h4>
            {phase}{' '}
            <span className="count">
              {inPhase.filter((s) => s.state === 'ok').length}/{inPhase.length}
            </span>
          </h4>
          <ol>
            {inPhase.map((step) => (
              <StepItem
                key={step.id}
                step={step}
                status={status}
                selected={step.id === selectedId}
                onSelect={onSelect}
              />
            ))}
          </ol>
        </section>
      ))}
    </nav>
  );
});

function StepItem({
  step,
  status,
  selected,
  onSelect,
}: {
  step: StepRecord;
  status: RunStatus;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  const state = shownState(step.state, step.phase, status);
  return (
    <li>
      <button
        data-step={step.id}
        className={`step step-${state}${selected ? ' selected' : ''}`}
        aria-pressed={selected}
        onClick={() => onSelect(step.id)}
        title={step.line}
      >
        <span className="step-icon" aria-hidden="true">
          {icons[state]}
        </span>
        <span className="sr-only">{words[state]}: </span>
        <span className="step-text">
          <span className="step-purpose">{step.purpose}</span>
          <span className="step-meta">
            <span className="host-tag">{step.host}</span>
            {step.durationMs !== undefined && <span className="num"> {formatDuration(step.durationMs)}</span>}
          </span>
        </span>
      </button>
    </li>
  );
}
