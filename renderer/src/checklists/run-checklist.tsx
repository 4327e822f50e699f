import { useId, useState } from 'react';
import { classLabels, sections, sectionTitles, type ChecklistItem } from '../../../shared/checklist';
import type { RunRecord } from '../../../shared/run';
import { isFinalStatus } from '../stores/run-list-store';
import { tickItem, waiveItem } from '../stores/run-store';
import { ActForm } from './act-form';
import { disciplineWords } from './discipline-words';
import { formatStarted } from '../common/format';
import { RunApproval } from './run-approval';
import { RunGates } from './run-gates';
import { RunSignOff } from './run-sign-off';

const marks: Record<ChecklistItem['state'], string> = { open: '○', done: '✓', failed: '✗', waived: '⤼', 'n/a': '–' };
const stateWords: Record<ChecklistItem['state'], string> = {
  open: 'open',
  done: 'done',
  failed: 'failed',
  waived: 'waived',
  'n/a': 'does not apply',
};

/**
 * The practices the run is worked through: its checklist section by section,
 * beside its stop gates, approval and sign-off. While the run is live, open
 * items can be ticked or waived; once it has ended only the sign-off (and its
 * own items) still take a hand, until the run is signed off.
 */
export function RunChecklist({ record }: { record: RunRecord }) {
  const now = Date.now();
  const ended = isFinalStatus(record.status);
  const items = record.checklist.items;
  const settled = items.filter((i) => i.state !== 'open' && i.state !== 'failed').length;
  const { discipline, change } = record;
  const canWork = (item: ChecklistItem) => !record.signOff && (!ended || item.phase === 'SIGN-OFF');

  return (
    <section className="run-checklist" aria-label="Checklist">
      <details open>
        <summary>
          <h3>Checklist</h3>
          <span className="count" data-testid="checklist-count">
            {settled} of {items.length} settled
          </span>
          <span className={`class-tag class-${discipline.class}`}>
            {discipline.classified ? classLabels[discipline.class] : 'Not classified: treated as high'}
          </span>
        </summary>
        <p className="muted small checklist-facts">
          {disciplineWords(discipline)}
          {' · '}started by <strong>{record.startedBy || record.who}</strong>
          {' · '}impact:{' '}
          {change.impact ? (
            <span data-testid="impact">{change.impact}</span>
          ) : (
            <span className="warn-text">unknown</span>
          )}
          {change.ci && <> · CI: {change.ci}</>}
          {change.database && (
            <>
              {' '}
              · <strong>changes the database</strong>
            </>
          )}
          {record.promotedFrom && (
            <>
              {' '}
              · promoted from staging run <code>{record.promotedFrom.runId}</code> of {record.promotedFrom.who}, passed{' '}
              {formatStarted(record.promotedFrom.endedAt, now)}
            </>
          )}
        </p>
        <div className="checklist-body">
          <div className="checklist-sections">
            {sections.map((section) => {
              const inSection = items.filter((i) => i.section === section);
              if (inSection.length === 0) return null;
              return (
                // A group, not a region: the run view's regions keep names of their own ("Verification").
                <div key={section} className="checklist-section" role="group" aria-label={sectionTitles[section]}>
                  <h4>
                    {sectionTitles[section]} <span className="muted">{inSection[0]!.phase}</span>
                  </h4>
                  <ul>
                    {inSection.map((item) => (
                      <Item key={item.id} item={item} runId={record.id} canWork={canWork(item)} now={now} />
                    ))}
                  </ul>
                </div>
              );
            })}
          </div>
          <div className="checklist-side">
            <RunGates record={record} />
            {(discipline.approval || change.database) && <RunApproval record={record} />}
            <RunSignOff record={record} />
          </div>
        </div>
      </details>
    </section>
  );
}

/** One item: its mark, text, whether it is required, the evidence or who settled it, and (while it can be worked) Tick and Waive. */
function Item({ item, runId, canWork, now }: { item: ChecklistItem; runId: string; canWork: boolean; now: number }) {
  const [acting, setActing] = useState<'tick' | 'waive' | null>(null);
  const textId = useId();
  const tickable = canWork && item.kind === 'manual' && item.state === 'open';
  const waivable = canWork && (item.state === 'open' || item.state === 'failed');
  const shown = acting === 'tick' ? tickable : acting === 'waive' ? waivable : false;
  return (
    <li className={`item item-${item.state === 'n/a' ? 'na' : item.state}`} aria-label={item.text} data-item={item.id}>
      <span className="item-mark" aria-hidden="true">
        {marks[item.state]}
      </span>
      <div className="item-body">
        <div className="item-text" id={textId}>
          <span className="sr-only">{stateWords[item.state]}: </span>
          {item.text}
          {item.required && <span className="tag required">required</span>}
          {item.kind === 'auto' && <span className="tag">checked by Shipdeck</span>}
        </div>
        {item.evidence && (
          <p className="item-evidence" data-testid="evidence">
            {item.evidence}
          </p>
        )}
        <Settled item={item} now={now} />
        {(tickable || waivable) && !shown && (
          <div className="item-actions">
            {/* Named by their verb, described by the item: "Tick" of "Database rollback path…" is no Rollback button. */}
            {tickable && (
              <button className="small-button" aria-describedby={textId} onClick={() => setActing('tick')}>
                Tick
              </button>
            )}
            {waivable && (
              <button className="small-button quiet" aria-describedby={textId} onClick={() => setActing('waive')}>
                Waive…
              </button>
            )}
          </div>
        )}
        {shown && acting === 'tick' && (
          <ActForm
            label={`Tick: ${item.text}`}
            submit="Tick"
            text={{ label: 'Note', required: false }}
            onCancel={() => setActing(null)}
            onAct={(by, note) => tickItem(runId, item.id, by, note)}
          />
        )}
        {shown && acting === 'waive' && (
          <ActForm
            label={`Waive: ${item.text}`}
            submit="Waive"
            text={{ label: 'Reason', required: true, placeholder: 'Why this item is skipped' }}
            onCancel={() => setActing(null)}
            onAct={(by, reason) => waiveItem(runId, item.id, by, reason)}
          />
        )}
      </div>
    </li>
  );
}

/** Who settled an item and when, with their note or reason. */
function Settled({ item, now }: { item: ChecklistItem; now: number }) {
  if (!item.by && !item.note && !item.reason) return null;
  const verb =
    item.state === 'waived'
      ? 'Waived'
      : item.state === 'failed'
        ? 'Failed'
        : item.state === 'n/a'
          ? 'Set aside'
          : item.kind === 'auto' && item.by === 'Shipdeck'
            ? 'Checked'
            : 'Ticked';
  return (
    <p className="item-meta" data-testid="settled">
      {item.by && (
        <>
          {verb} by <strong>{item.by}</strong>
        </>
      )}
      {item.at && (
        <>
          {' '}
          at{' '}
          <time dateTime={item.at} title={item.at}>
            {formatStarted(item.at, now)}
          </time>
        </>
      )}
      {item.reason && (
        <>
          : <span className="item-reason">{item.reason}</span>
        </>
      )}
      {item.note && (
        <>
          {' '}
          · note: <span className="item-note">{item.note}</span>
        </>
      )}
    </p>
  );
}
