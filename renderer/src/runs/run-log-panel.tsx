import { useId, useState } from 'react';
import type { RunRecord } from '../../../shared/run';
import { LogViewer } from '../logs/log-viewer';
import { onEscape } from '../common/on-escape';
import { useLogStream } from '../logs/use-log-stream';

/** Lines of the service's containers the panel reads first. */
const serviceTail = 1000;

/** A log beside the run: the whole run's output, or the service's containers in the run's environment. */
export function RunLogPanel({
  record,
  runStream,
  onClose,
}: {
  record: RunRecord;
  runStream: string | null;
  onClose: () => void;
}) {
  const [shown, setShown] = useState<'run' | 'service'>('run');
  const serviceStream = useLogStream(
    shown === 'service'
      ? { kind: 'service', service: record.service, environment: record.environment, tail: serviceTail }
      : null,
  );
  const choiceId = useId();
  const what =
    shown === 'run'
      ? `Whole run of ${record.service} ${record.version}`
      : `Containers of ${record.service} on ${record.environment}`;
  return (
    <aside className="panel log-panel run-log-panel" aria-label="Log beside the run" onKeyDown={onEscape(onClose)}>
      <div className="panel-head">
        <h3>Log</h3>
        <div className="actions">
          <label htmlFor={choiceId} className="small">
            Show
          </label>
          <select id={choiceId} value={shown} onChange={(e) => setShown(e.target.value as 'run' | 'service')}>
            <option value="run">the whole run</option>
            <option value="service">
              {record.service}'s containers on {record.environment}
            </option>
          </select>
          <button className="small-button" onClick={onClose}>
            Close log
          </button>
        </div>
      </div>
      <LogViewer key={shown} streamKey={shown === 'run' ? runStream : serviceStream} label={what} />
    </aside>
  );
}
