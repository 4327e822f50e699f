import { useId, useState } from 'react';
import { gateTitles, isGateOpen, type GateRecord } from '../../../shared/gates';
import type { RunRecord } from '../../../shared/run';
import { isFinalStatus } from '../stores/run-list-store';
import { overrideGate } from '../stores/run-store';
import { ActForm } from './act-form';
import { formatStarted } from '../common/format';

/** The stop gates the run met: why, and the override (who, why) or what cleared it; an open one can be overridden with a reason while the run is live. */
export function RunGates({ record }: { record: RunRecord }) {
  const live = !isFinalStatus(record.status);
  const now = Date.now();
  return (
    <section className="run-gates" aria-label="Stop gates">
      <h4>Stop gates</h4>
      {record.gates.length === 0 ? (
        <p className="muted small">None met.</p>
      ) : (
        <ul>
          {record.gates.map((gate) => (
            <Gate key={gate.key} gate={gate} runId={record.id} live={live} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Gate({ gate, runId, live, now }: { gate: GateRecord; runId: string; live: boolean; now: number }) {
  const [acting, setActing] = useState(false);
  const titleId = useId();
  const open = isGateOpen(gate);
  const title = gateTitles[gate.gate];
  return (
    <li className={open ? 'gate gate-open' : 'gate'} aria-label={title}>
      <div>
        <strong id={titleId}>{title}</strong> <span className="tag">{gate.phase}</span>{' '}
        {open && <span className="hot">open</span>}
      </div>
      <p className="small">{gate.detail}</p>
      {gate.override && (
        <p className="item-meta">
          Overridden by <strong>{gate.override.by}</strong> at{' '}
          <time dateTime={gate.override.at}>{formatStarted(gate.override.at, now)}</time>:{' '}
          <span className="item-reason">{gate.override.reason}</span>
        </p>
      )}
      {gate.cleared && (
        <p className="item-meta">
          Cleared at <time dateTime={gate.cleared.at}>{formatStarted(gate.cleared.at, now)}</time>: {gate.cleared.why}
        </p>
      )}
      {open && live && !acting && (
        <button className="small-button" aria-describedby={titleId} onClick={() => setActing(true)}>
          Override…
        </button>
      )}
      {open && live && acting && (
        <ActForm
          label={`Override: ${title}`}
          submit="Override"
          text={{ label: 'Reason', required: true, placeholder: 'Why the run may go on' }}
          onCancel={() => setActing(false)}
          onAct={(by, reason) => overrideGate(runId, gate.key, by, reason)}
        />
      )}
    </li>
  );
}
