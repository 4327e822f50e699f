import { useFleetStatus } from '../stores/fleet-status-store';
import { formatAgo, formatInterval } from '../common/format';
import { useNow } from '../common/use-now';

/** "Refresh now", the progress of a refresh under way, and how fresh the figures are. */
export function FleetRefresh({ total }: { total: number }) {
  const refreshing = useFleetStatus((s) => s.refreshing);
  const reported = useFleetStatus((s) => Object.keys(s.reported).length);
  const refreshedAt = useFleetStatus((s) => s.refreshedAt);
  const tookMs = useFleetStatus((s) => s.tookMs);
  const intervalMs = useFleetStatus((s) => s.intervalMs);
  const refresh = useFleetStatus((s) => s.refresh);
  const now = useNow();
  const done = Math.min(reported, total);

  return (
    <div className="refresh">
      <div className="refresh-facts">
        {refreshing ? (
          <span role="status" className="refreshing">
            Refreshing… {done}/{total}
            <progress max={Math.max(total, 1)} value={done} aria-label="Refresh progress" />
          </span>
        ) : (
          <span>
            {refreshedAt ? (
              <>
                Last refreshed{' '}
                <time dateTime={refreshedAt} title={new Date(refreshedAt).toLocaleString()}>
                  {formatAgo(refreshedAt, now)}
                </time>
              </>
            ) : (
              'Not refreshed yet'
            )}
          </span>
        )}
        <span className="muted small">
          {tookMs !== undefined && !refreshing ? `took ${tookMs} ms · ` : ''}auto-refresh {formatInterval(intervalMs)}
        </span>
      </div>
      <button onClick={() => void refresh()} disabled={refreshing} title="r" aria-keyshortcuts="r">
        {refreshing ? 'Refreshing…' : 'Refresh now'}
      </button>
    </div>
  );
}
