import type { RunSummary } from '../../../shared/run';

/** Runs whose journal holds no run (its start never reached the disk) or cannot be read: named, never hidden, never in the way. */
export function UnreadableRuns({ runs }: { runs: readonly RunSummary[] }) {
  const unreadable = runs.filter((r) => r.status === 'unreadable');
  if (unreadable.length === 0) return null;
  return (
    <div className="problem" role="status" data-testid="unreadable-runs">
      <strong className="problem-title">
        {unreadable.length === 1
          ? 'One run journal cannot be read'
          : `${unreadable.length} run journals cannot be read`}
      </strong>
      {unreadable.map((r) => (
        <p key={r.id} className="problem-message">
          {r.problem?.message ?? `The journal of run ${r.id} cannot be read`}
          {r.problem?.where && (
            <>
              {' '}
              (<code>{r.problem.where}</code>)
            </>
          )}
          {r.problem?.hint && <span className="muted small"> {r.problem.hint}</span>}
        </p>
      ))}
    </div>
  );
}

/** What the run's first column shows: its service, or its id when its journal could not tell. */
export function runName(run: RunSummary): string {
  return run.service || run.id;
}
