import { useState } from 'react';
import type { ServerStatus } from '../../../shared/fleet-status';
import type { Server } from '../../../shared/server';
import { useFleetStatus } from '../stores/fleet-status-store';
import { useFleet } from '../stores/fleet-store';
import { formatLoad, formatUptime } from '../common/format';
import { HealthBadge, healthLabel, healthOf, healthReason } from '../common/health';
import { ProblemNotice } from '../common/problem-notice';
import { UsageBar } from '../common/usage-bar';

const columns = [
  'Server',
  'State',
  'RTT',
  'OS',
  'Uptime',
  'Load 1/5/15',
  'Memory',
  'Disk',
  'Docker',
  'Containers',
] as const;

/** Every server's health in one table; each row follows its own server's updates. */
export function FleetTable({ servers }: { servers: readonly Server[] }) {
  return (
    <div className="table-scroll">
      <table className="table fleet-table" aria-label="Fleet">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {servers.map((server) => (
            <FleetRow key={server.id} server={server} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FleetRow({ server }: { server: Server }) {
  // Only this row re-renders when this server's status arrives.
  const status = useFleetStatus((s) => s.statuses[server.id]);
  const select = useFleet((s) => s.select);
  const [expanded, setExpanded] = useState(false);
  const health = healthOf(server, status);
  const reason = healthReason(status);
  const facts = status?.facts;
  // A Docker failure may be the server's problem too: show it once.
  const problems = [status?.problem, status?.dockerProblem].filter(
    (p, i, all) => p !== undefined && (i === 0 || p.message !== all[0]?.message),
  );
  const warnings = status?.warnings ?? [];

  return (
    <>
      <tr className={`fleet-row row-${health}`}>
        <th scope="row" className="server-cell">
          <a
            href={`#server-${server.id}`}
            className="server-link"
            onClick={(event) => {
              event.preventDefault();
              select(server.id);
            }}
          >
            {server.name}
          </a>
          {server.environment && <span className={`env env-${server.environment}`}>{server.environment}</span>}
          {server.labels.length > 0 && (
            <span className="labels">
              {server.labels.map((l) => (
                <span key={l} className="label">
                  {l}
                </span>
              ))}
            </span>
          )}
        </th>
        <td data-testid="state">
          <HealthBadge health={health} title={reason} />
          {warnings.length > 0 && (
            <span className="tag warn" title={warnings.map((w) => `${w.message}. ${w.hint ?? ''}`).join('\n')}>
              {warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`}
            </span>
          )}
          {problems.length + warnings.length > 0 && (
            <button
              className="link-button"
              aria-expanded={expanded}
              onClick={() => setExpanded(!expanded)}
              title={reason}
            >
              {expanded ? 'hide' : 'why?'}
            </button>
          )}
        </td>
        <td data-testid="rtt" className="num">
          {status?.rttMs !== undefined ? `${Math.round(status.rttMs)} ms` : '—'}
        </td>
        <td
          data-testid="os"
          className="os-cell"
          title={facts ? `${facts.os}, kernel ${facts.kernel}, ${facts.cpus} CPU` : undefined}
        >
          {facts?.os ?? '—'}
        </td>
        <td data-testid="uptime" className="num">
          {facts ? formatUptime(facts.uptimeSeconds) : '—'}
        </td>
        <td
          data-testid="load"
          className={facts && facts.load[0] > facts.cpus ? 'num hot' : 'num'}
          title={facts ? `${facts.cpus} CPU` : undefined}
        >
          {facts ? formatLoad(facts.load) : '—'}
        </td>
        <td data-testid="memory">
          {facts ? (
            <UsageBar
              what="Memory"
              used={facts.memory.totalBytes - facts.memory.availableBytes}
              total={facts.memory.totalBytes}
              warnAt={0.85}
              badAt={0.95}
            />
          ) : (
            '—'
          )}
        </td>
        <td data-testid="disk">
          {facts ? (
            <UsageBar
              what={`Disk ${facts.disk.path}`}
              used={facts.disk.usedBytes}
              total={facts.disk.totalBytes}
              warnAt={0.8}
              badAt={0.9}
            />
          ) : (
            '—'
          )}
        </td>
        <td data-testid="docker">{dockerCell(status)}</td>
        <td data-testid="containers" className="num" title={containerList(status)}>
          {containerCount(status)}
        </td>
      </tr>
      {expanded && problems.length + warnings.length > 0 && (
        <tr className="detail-row">
          <td colSpan={columns.length}>
            {problems.map((p, i) => (
              <ProblemNotice
                key={i}
                problem={p!}
                title={i === 0 ? `${server.name} is ${healthLabel(health)}` : 'Docker'}
              />
            ))}
            {warnings.map((w, i) => (
              <ProblemNotice key={`w${i}`} problem={w} title={`${server.name} works, with a warning`} />
            ))}
          </td>
        </tr>
      )}
    </>
  );
}

function dockerCell(status: ServerStatus | undefined) {
  if (status?.docker) return status.docker.version;
  if (status?.dockerProblem)
    return (
      <span className="warn-text" title={status.dockerProblem.message}>
        unavailable
      </span>
    );
  return '—';
}

function containerCount(status: ServerStatus | undefined): string {
  if (!status?.containers) return '—';
  const running = status.containers.filter((c) => c.state === 'running').length;
  return `${running}/${status.containers.length}`;
}

function containerList(status: ServerStatus | undefined): string | undefined {
  if (!status?.containers?.length) return undefined;
  return status.containers.map((c) => `${c.name} (${c.state})`).join('\n');
}
