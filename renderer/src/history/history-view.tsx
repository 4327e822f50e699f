import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { filterRuns } from '../stores/history-filter';
import { useHistory, type HistoryTab } from '../stores/history-store';
import { useRunList } from '../stores/run-list-store';
import { useRun } from '../stores/run-store';
import { DeliveryMetricsView } from './delivery-metrics';
import { HistoryFilters } from './history-filters';
import { HistoryTable } from './history-table';
import { RunView } from '../runs/run-view';
import { UnreadableRuns } from '../runs/unreadable-runs';

/** Every run with filters and search, and the delivery metrics; a run opened here is read as journaled. */
export function HistoryView() {
  const openId = useRun((s) => s.openId);
  const opened = useHistory((s) => s.opened);
  return openId && openId === opened ? <RunView key={openId} /> : <HistoryPage />;
}

const tabs: readonly { readonly id: HistoryTab; readonly label: string }[] = [
  { id: 'runs', label: 'Runs' },
  { id: 'metrics', label: 'Delivery metrics' },
];

function HistoryPage() {
  const listed = useRunList((s) => s.runs);
  // A journal that holds no run has no service, outcome or time to filter or count: it is named above, not in the table.
  const runs = useMemo(() => listed.filter((r) => r.status !== 'unreadable'), [listed]);
  const filter = useHistory((s) => s.filter);
  const tab = useHistory((s) => s.tab);
  const setTab = useHistory((s) => s.setTab);
  const shown = useMemo(() => filterRuns(runs, filter), [runs, filter]);
  const tabRefs = useRef<Partial<Record<HistoryTab, HTMLButtonElement | null>>>({});

  useEffect(() => {
    void useRunList.getState().load();
    void useHistory.getState().loadIncidents();
  }, []);

  // Left and Right move between the tabs, as in any tab list.
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const at = tabs.findIndex((t) => t.id === tab);
    const next = tabs[(at + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]!;
    setTab(next.id);
    tabRefs.current[next.id]?.focus();
  };

  return (
    <section className="page history" aria-label="History">
      <div className="page-head">
        <div>
          <h2>History</h2>
          <p className="muted">
            Every run kept on this machine, and the delivery metrics they add up to. Opening a run reads its journal;
            nothing on the servers is touched, so it works offline.
          </p>
        </div>
      </div>
      <UnreadableRuns runs={listed} />
      <HistoryFilters runs={runs} shown={shown.length} />
      <div className="history-tabs" role="tablist" aria-label="History views" onKeyDown={onTabKey}>
        {tabs.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            role="tab"
            id={`history-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`history-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={tab === t.id ? 'history-tab active' : 'history-tab'}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`history-panel-${tab}`} aria-labelledby={`history-tab-${tab}`}>
        {tab === 'runs' ? <HistoryTable runs={shown} total={runs.length} /> : <DeliveryMetricsView runs={runs} />}
      </div>
    </section>
  );
}
