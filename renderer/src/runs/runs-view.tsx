import { useRun } from '../stores/run-store';
import { RunTable } from './run-table';
import { RunView } from './run-view';

/** Every run, or one run open in the cockpit. */
export function RunsView() {
  const openId = useRun((s) => s.openId);
  return openId ? <RunView key={openId} /> : <RunTable />;
}
