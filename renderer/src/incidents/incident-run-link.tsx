import { openStartedRun } from '../stores/run-store';
import { useSection } from '../stores/section-store';

/** A run an incident names (the release it follows, the rollback that mitigated it), opened in the run view. */
export function IncidentRunLink({ runId, children }: { runId: string; children?: string }) {
  const open = () => {
    useSection.getState().open('runs');
    openStartedRun(runId);
  };
  return (
    <button className="link-button run-link" onClick={open} title={runId}>
      {children ?? 'Open the run'}
    </button>
  );
}
