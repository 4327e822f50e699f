import type { Server } from '../../../shared/server';
import { useFleetStatus } from '../stores/fleet-status-store';
import { formatAgo, formatLoad, formatUptime } from '../common/format';
import { HealthBadge, healthOf } from '../common/health';
import { UsageBar } from '../common/usage-bar';
import { useNow } from '../common/use-now';

/** A server's vital signs from the latest fleet refresh, updated live. */
export function ServerFacts({ server }: { server: Server }) {
  const status = useFleetStatus((s) => s.statuses[server.id]);
  const now = useNow();
  const health = healthOf(server, status);
  const facts = status?.facts;
  const problem = status?.problem ?? status?.dockerProblem;

  return (
    <section className="facts-strip" aria-label="Live status">
      <div className="fact">
        <span className="fact-name">State</span>
        <span className="fact-value">
          <HealthBadge health={health} />
        </span>
      </div>
      <Fact name="RTT" value={status?.rttMs !== undefined ? `${Math.round(status.rttMs)} ms` : undefined} />
      <Fact
        name="OS"
        className="fact-os"
        value={facts ? facts.os : undefined}
        title={facts ? `kernel ${facts.kernel}` : undefined}
      />
      <Fact name="Uptime" value={facts ? formatUptime(facts.uptimeSeconds) : undefined} />
      <Fact
        name={facts ? `Load (${facts.cpus} CPU)` : 'Load'}
        className={facts && facts.load[0] > facts.cpus ? 'hot' : undefined}
        value={facts ? formatLoad(facts.load) : undefined}
      />
      <div className="fact wide-fact">
        <span className="fact-name">Memory</span>
        {facts ? (
          <UsageBar
            what="Memory"
            used={facts.memory.totalBytes - facts.memory.availableBytes}
            total={facts.memory.totalBytes}
            warnAt={0.85}
            badAt={0.95}
          />
        ) : (
          <span className="fact-value">—</span>
        )}
      </div>
      <div className="fact wide-fact">
        <span className="fact-name">Disk {facts?.disk.path}</span>
        {facts ? (
          <UsageBar
            what={`Disk ${facts.disk.path}`}
            used={facts.disk.usedBytes}
            total={facts.disk.totalBytes}
            warnAt={0.8}
            badAt={0.9}
          />
        ) : (
          <span className="fact-value">—</span>
        )}
      </div>
      <Fact
        name="Docker"
        className="fact-docker"
        value={
          status?.docker
            ? `${status.docker.version} (API ${status.docker.apiVersion})`
            : status?.dockerProblem
              ? 'unavailable'
              : undefined
        }
      />
      {problem && (
        <p className="facts-problem">
          {problem.message}
          {problem.hint ? ` — ${problem.hint}` : ''}
        </p>
      )}
      {status?.warnings?.map((w, i) => (
        <p key={i} className="facts-problem" data-code={w.code}>
          {w.message}
          {w.hint ? ` — ${w.hint}` : ''}
        </p>
      ))}
      <p className="facts-when muted small">
        {status
          ? `checked ${formatAgo(status.checkedAt, now)} in ${status.tookMs} ms`
          : 'waiting for the first refresh'}
      </p>
    </section>
  );
}

function Fact({
  name,
  value,
  title,
  className,
}: {
  name: string;
  value: string | undefined;
  title?: string;
  className?: string;
}) {
  return (
    <div className={className ? `fact ${className}` : 'fact'} title={title}>
      <span className="fact-name">{name}</span>
      <span className="fact-value">{value ?? '—'}</span>
    </div>
  );
}
