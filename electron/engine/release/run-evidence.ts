import { dockerServerVersion } from '../../../shared/commands/docker-engine';
import { levelOf } from '../../../shared/log';
import { ProblemError } from '../../../shared/problem';
import type { ServiceSpec } from '../../../shared/service-spec';
import type { Fleet } from '../fleet/fleet';
import { httpGetOverLink } from '../fleet/http-over-link';
import type { HostDeploy } from './host-plan';

/** What an automatic check found on every host: whether it holds, and the evidence in words. */
export interface Finding {
  readonly ok: boolean;
  readonly evidence: string;
}

function problemText(error: unknown): string {
  return error instanceof ProblemError ? error.problem.message : error instanceof Error ? error.message : String(error);
}

function clock(at = new Date()): string {
  return at.toISOString().slice(11, 19);
}

/** Each host answers over SSH and its Docker engine says its version. */
export async function reachable(fleet: Fleet, hosts: readonly HostDeploy[]): Promise<Finding> {
  const lines = await Promise.all(
    hosts.map(async (h) => {
      try {
        const link = await fleet.link(h.server);
        let out = '';
        const result = await link.exec(dockerServerVersion(), { onStdout: (t) => (out += t) });
        if (result.exitCode !== 0)
          return { ok: false, line: `${h.server.name}: Docker did not answer (exit ${result.exitCode})` };
        return {
          ok: true,
          line: `${h.server.name}: SSH in ${link.connectMs} ms, Docker ${out.trim()} answered at ${clock()} UTC`,
        };
      } catch (error) {
        return { ok: false, line: `${h.server.name}: ${problemText(error)}` };
      }
    }),
  );
  return { ok: lines.every((l) => l.ok), evidence: lines.map((l) => l.line).join('; ') };
}

/** Every host has a live release to go back to. */
export function rollbackTarget(hosts: readonly HostDeploy[]): Finding {
  const lines = hosts.map((h) =>
    h.input.live
      ? `${h.server.name}: ${h.input.live.release} (${h.input.live.container}, port ${h.input.live.port}) stays warm`
      : `${h.server.name}: nothing live to go back to`,
  );
  return { ok: hosts.every((h) => h.input.live), evidence: lines.join('; ') };
}

/**
 * Without metrics, monitoring is the live release's health check probed once
 * per host: available when it answers at all (a broken live release, in an
 * incident, is measured, and its status is the evidence).
 */
export async function healthBaseline(fleet: Fleet, spec: ServiceSpec, hosts: readonly HostDeploy[]): Promise<Finding> {
  const lines = await Promise.all(
    hosts.map(async (h) => {
      const live = h.input.live;
      if (!live) return { ok: false, line: `${h.server.name}: nothing live to measure` };
      const started = Date.now();
      try {
        const link = await fleet.link(h.server);
        const answer = await httpGetOverLink(link, live.port, spec.healthcheck.path, spec.healthcheck.timeoutMs);
        const healthy = answer.status === spec.healthcheck.status;
        return {
          ok: true,
          line: `${h.server.name}: GET ${spec.healthcheck.path} on ${live.release} answered ${answer.status} in ${Date.now() - started} ms${healthy ? '' : ` (unhealthy: expected ${spec.healthcheck.status})`}`,
        };
      } catch (error) {
        return {
          ok: false,
          line: `${h.server.name}: GET ${spec.healthcheck.path} on ${live.release} failed: ${problemText(error)}`,
        };
      }
    }),
  );
  return { ok: lines.every((l) => l.ok), evidence: lines.map((l) => l.line).join('; ') };
}

/** What each host runs and where its nginx points, before anything changes. */
export function currentState(hosts: readonly HostDeploy[]): Finding {
  const lines = hosts.map(
    (h) =>
      `${h.server.name}: ${h.input.live ? `${h.input.live.release} in ${h.input.live.container} on port ${h.input.live.port}` : 'no live release'}${h.input.standby.length ? `, standby ${h.input.standby.map((s) => s.release).join(', ')}` : ''}; nginx upstream ${h.input.proxy.upstreamFile}`,
  );
  return { ok: true, evidence: lines.join('; ') };
}

/**
 * DEPLOY's outcome on every host: the new release answered its health check
 * and nginx was switched to it, by this run before it stopped (a resumed run
 * found the host serving it) or now.
 */
export function deployed(
  hosts: readonly HostDeploy[],
  healthPath: string,
  servingBefore: ReadonlySet<string> = new Set(),
): Finding {
  const lines = hosts.map((h) =>
    servingBefore.has(h.server.name)
      ? `${h.server.name}: ${h.next.release} already served on port ${h.next.port} when the run resumed (nginx read from the host)`
      : `${h.server.name}: ${h.next.release} answered ${healthPath} on port ${h.next.port}, nginx switched to it`,
  );
  return { ok: true, evidence: lines.join('; ') };
}

/** A backup artifact's `stat` output: size in bytes and modification time. */
export function artifactFinding(
  host: string,
  path: string,
  stdout: string,
  exitCode: number | null | undefined,
): Finding {
  const [size, mtime] = stdout.trim().split(/\s+/).map(Number);
  if (exitCode !== 0 || size === undefined || !Number.isFinite(size))
    return { ok: false, evidence: `${host}: ${path} is missing` };
  if (size === 0) return { ok: false, evidence: `${host}: ${path} is empty (0 bytes)` };
  const when =
    mtime !== undefined && Number.isFinite(mtime)
      ? `, written ${new Date(mtime * 1000).toISOString().slice(11, 19)} UTC`
      : '';
  return { ok: true, evidence: `${host}: ${path}, ${size} bytes${when}` };
}

/** The new release's log on each host holds no error lines (its last `tail` lines). */
export async function logsClean(fleet: Fleet, hosts: readonly HostDeploy[], tail = 500): Promise<Finding> {
  const lines = await Promise.all(
    hosts.map(async (h) => {
      try {
        const docker = await fleet.docker(h.server);
        const { text } = await docker.logs(h.next.container, tail);
        const all = text.split('\n').filter(Boolean);
        const errors = all.filter((line) => levelOf(line) === 'error');
        return {
          ok: errors.length === 0,
          line: `${h.server.name}: ${errors.length} error lines in the last ${all.length} of ${h.next.container}${errors[0] ? ` (first: ${errors[0].slice(0, 120)})` : ''}`,
        };
      } catch (error) {
        return { ok: false, line: `${h.server.name}: could not read ${h.next.container}'s log: ${problemText(error)}` };
      }
    }),
  );
  return { ok: lines.every((l) => l.ok), evidence: lines.map((l) => l.line).join('; ') };
}
