import { command, type RemoteCommand } from './commands/command';
import type { HealthcheckSpec } from './service-spec';

// TEMPORARY, for the merge of issue 14: these builders moved to shared/commands/ (release-steps, proxy,
// container); runs.ts (arch-runs) and whatever arch-runs splits from runs.ts and deployer.ts still import
// them from here. The lead points those imports at shared/commands/ and deletes this export.
export { answeredByStep, blueGreenDeploySteps, retainSteps, stepsTowards, warmStandbySteps } from './commands/release-steps';
export { reloadSettleMs, switchSteps, upstreamContent } from './commands/proxy';
export { containerName } from './commands/container';

/** One action of a plan, on one host, as data: shown in the preview, then executed exactly as shown. */
export type Step =
  | { readonly kind: 'command'; readonly host: string; readonly command: RemoteCommand; readonly allowFailure?: boolean; readonly expectOutput?: string }
  | { readonly kind: 'health'; readonly host: string; readonly purpose: string; readonly port: number; readonly check: HealthcheckSpec }
  | { readonly kind: 'write-file'; readonly host: string; readonly purpose: string; readonly path: string; readonly content: string }
  | { readonly kind: 'settle'; readonly host: string; readonly purpose: string; readonly ms: number }
  /** The proof that what answers on `port` is `container` itself: it holds every socket listening there (and, `fresh`, never restarted). */
  | { readonly kind: 'answered-by'; readonly host: string; readonly purpose: string; readonly container: string; readonly port: number; readonly fresh: boolean };

/** Where a host's nginx keeps the service's upstream, and how it reloads. */
export interface ProxyTarget {
  readonly upstreamFile: string;
  readonly reload: RemoteCommand;
}

/** What one host runs for a service now, as read from the host before planning. */
export interface HostRelease {
  readonly release: string;
  readonly container: string;
  readonly port: number;
}

export interface HostPlanInput {
  readonly host: string;
  /** The deploy user's home on the host (state, lock and audit live under it). */
  readonly home: string;
  readonly live?: HostRelease;
  /** Containers of the service on the host that are not live, newest first. */
  readonly standby: readonly HostRelease[];
  readonly proxy: ProxyTarget;
  /** The port the new release listens on, chosen free on the host at plan time. */
  readonly port: number;
}

/**
 * The first port from `base` up that nothing listens on and nothing else
 * holds: not a kept release (a stopped one may start again), not a port
 * already given to another host of the same plan.
 */
export function choosePort(base: number, listening: ReadonlySet<number>, held: ReadonlySet<number>): number {
  for (let port = base; port <= 65535; port++) if (!listening.has(port) && !held.has(port)) return port;
  throw new Error(`no free port from ${base} up`);
}

/** Ports in LISTEN state in the text of /proc/net/tcp or /proc/net/tcp6. */
export function listeningPorts(procNetTcp: string): Set<number> {
  const ports = new Set<number>();
  for (const line of procNetTcp.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[3] === '0A') ports.add(parseInt(fields[1]?.split(':').pop() ?? '', 16));
  }
  return ports;
}

/** Paths on a host where Shipdeck keeps a service's shared truth. */
export function servicePaths(home: string, service: string) {
  const dir = `${home}/.shipdeck/${service}`;
  return { dir, lock: `${dir}/lock`, state: `${dir}/state.json`, audit: `${dir}/audit.log` };
}

/**
 * Take the service's deploy lock on a host: mkdir is atomic, so only one holder wins. The holder
 * file is written beside and renamed in, so it is read whole or not at all. A lock already there
 * is this run's own when its holder names this run: two servers that share a home (one machine
 * under two names, an NFS home) share the lock, and the run's second server must not be refused
 * by its first. The winner writes the holder just after its mkdir, so a loser waits for it (5 s at most).
 */
export function lockStep(input: HostPlanInput, service: string, holder: LockHolder): Step {
  const paths = servicePaths(input.home, service);
  const script = [
    'mkdir -p "$1" || exit 1',
    'if mkdir "$2" 2>/dev/null; then printf "%s\\n" "$3" > "$2/holder.json.new" && mv -f "$2/holder.json.new" "$2/holder.json"; exit; fi',
    'i=0; while [ ! -s "$2/holder.json" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done',
    'grep -qF -- "$4" "$2/holder.json"',
  ].join('; ');
  return {
    kind: 'command',
    host: input.host,
    command: command('sh', ['-c', script, 'lock', paths.dir, paths.lock, JSON.stringify(holder), `"runId":${JSON.stringify(holder.runId)}`], `Take the deploy lock of ${service}`),
  };
}

export function unlockStep(input: HostPlanInput, service: string): Step {
  const paths = servicePaths(input.home, service);
  return { kind: 'command', host: input.host, command: command('rm', ['-rf', '--', paths.lock], `Release the deploy lock of ${service}`) };
}

/** How an audit line's action reads in a step's purpose (in words, so no step reads as a second Rollback button). */
function auditPhrase(action: string, release: string): string {
  if (action === 'rollback') return `back on ${release}`;
  return `${release} ${action === 'deploy' ? 'deployed' : action === 'confirm' ? 'confirmed' : action}`;
}

/**
 * One line appended to the service's audit log on the host (under the deploy
 * user's home), as operators expect to find there: the host's own UTC time,
 * then who did what to which release in which run.
 */
export function hostAuditStep(input: HostPlanInput, service: string, entry: { readonly who: string; readonly action: string; readonly release: string; readonly runId: string; readonly detail?: string }): Step {
  const paths = servicePaths(input.home, service);
  const fields = { who: entry.who, action: entry.action, service, release: entry.release, run: entry.runId, ...(entry.detail ? { detail: entry.detail } : {}) };
  return { kind: 'command', host: input.host, command: hostAuditCommand(paths.dir, paths.audit, fields, `Note in the host's audit log: ${auditPhrase(entry.action, entry.release)}`), allowFailure: true };
}

/**
 * Append one JSON line to an audit file on a host, the host's UTC time
 * first: `{"at":"…",<fields>}`. The fields travel as an argument, never in the script.
 */
export function hostAuditCommand(dir: string, file: string, fields: Readonly<Record<string, string>>, purpose: string): RemoteCommand {
  return command('sh', ['-c', 'mkdir -p "$1" && printf \'{"at":"%s",%s}\\n\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$3" >> "$2"', 'audit', dir, file, JSON.stringify(fields).slice(1, -1)], purpose);
}

/** The host's own audit log of what is not one service's (a container restarted by hand): `~/.shipdeck/audit.log`. */
export function hostAuditPaths(home: string): { dir: string; audit: string } {
  return { dir: `${home}/.shipdeck`, audit: `${home}/.shipdeck/audit.log` };
}

export interface LockHolder {
  readonly who: string;
  readonly since: string;
  readonly release: string;
  readonly runId: string;
}
