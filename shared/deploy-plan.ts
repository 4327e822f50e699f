import { command, type RemoteCommand } from './commands/command';
import type { HealthcheckSpec, ServiceSpec } from './service-spec';

/** One action of a plan, on one host, as data: shown in the preview, then executed exactly as shown. */
export type Step =
  | { readonly kind: 'command'; readonly host: string; readonly command: RemoteCommand; readonly allowFailure?: boolean; readonly expectOutput?: string }
  | { readonly kind: 'health'; readonly host: string; readonly purpose: string; readonly port: number; readonly check: HealthcheckSpec }
  | { readonly kind: 'write-file'; readonly host: string; readonly purpose: string; readonly path: string; readonly content: string }
  | { readonly kind: 'settle'; readonly host: string; readonly purpose: string; readonly ms: number }
  /** The proof that what answers on `port` is `container` itself: it holds every socket listening there (and, `fresh`, never restarted). */
  | { readonly kind: 'answered-by'; readonly host: string; readonly purpose: string; readonly container: string; readonly port: number; readonly fresh: boolean };

/** nginx's reload is a signal: the master starts new workers and retires the old ones shortly after it returns. */
export const reloadSettleMs = 300;

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

export function containerName(service: string, release: string, port: number): string {
  return `${service}-${release.replace(/[^A-Za-z0-9_.-]/g, '_')}-${port}`;
}

/** Paths on a host where Shipdeck keeps a service's shared truth. */
export function servicePaths(home: string, service: string) {
  const dir = `${home}/.shipdeck/${service}`;
  return { dir, lock: `${dir}/lock`, state: `${dir}/state.json`, audit: `${dir}/audit.log` };
}

/** The upstream file's content: nginx sends every request to one port on this host. */
export function upstreamContent(port: number): string {
  return `# written by Shipdeck\nserver 127.0.0.1:${port};\n`;
}

export interface LockHolder {
  readonly who: string;
  readonly since: string;
  readonly release: string;
  readonly runId: string;
}

/** Blue-green on one host: the new release beside the live one, healthy before any traffic moves. */
export function blueGreenDeploySteps(spec: ServiceSpec, release: string, input: HostPlanInput, secrets: Readonly<Record<string, string>> = {}): { steps: Step[]; next: HostRelease } {
  const port = input.port;
  const name = containerName(spec.service, release, port);
  const steps: Step[] = [];
  steps.push({ kind: 'command', host: input.host, command: command('docker', ['rm', '--force', name], `Remove any earlier container named ${name}`), allowFailure: true });
  // Secret values go in the command (the container needs them) and in its redact list, so they show as *** wherever it is shown.
  const env = Object.entries({ ...spec.env, ...secrets, PORT: String(port) }).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  steps.push({
    kind: 'command',
    host: input.host,
    command: command(
      'docker',
      [
        'run', '--detach', '--name', name, '--network', 'host', '--init', '--restart', 'unless-stopped',
        ...env,
        '--label', `shipdeck.service=${spec.service}`, '--label', `shipdeck.release=${release}`, '--label', `shipdeck.port=${port}`,
        `${spec.image}:${release}`,
      ],
      `Start ${spec.service} ${release} on port ${port}, beside the live release`,
      Object.values(secrets),
    ),
  });
  steps.push({ kind: 'health', host: input.host, purpose: `Wait until ${release} answers ${spec.healthcheck.path} with ${spec.healthcheck.status}`, port, check: spec.healthcheck });
  // The answer must have come from our container, not from a process that took the port after planning.
  steps.push(answeredByStep(input.host, { release, container: name, port }, true));
  steps.push(...switchSteps(input, port, `Send traffic to ${release} (port ${port})`));
  return { steps, next: { release, container: name, port } };
}

/**
 * Back to a release the host keeps as a standby (a rollback after confirm, in
 * an incident): no new container, the kept one is started if it was stopped,
 * checked healthy, then traffic moves to it. It runs with the configuration
 * of its own time.
 */
export function warmStandbySteps(spec: ServiceSpec, kept: HostRelease, input: HostPlanInput): { steps: Step[]; next: HostRelease } {
  const steps: Step[] = [
    { kind: 'command', host: input.host, command: command('docker', ['start', kept.container], `Make sure ${kept.release}, kept as a standby, runs (started if it was stopped)`) },
    { kind: 'health', host: input.host, purpose: `Wait until ${kept.release} answers ${spec.healthcheck.path} with ${spec.healthcheck.status}`, port: kept.port, check: spec.healthcheck },
    answeredByStep(input.host, kept, false),
    ...switchSteps(input, kept.port, `Send traffic to ${kept.release} (port ${kept.port})`),
  ];
  return { steps, next: kept };
}

/**
 * The deploy steps that bring a host to `next` again (a resumed run): a new
 * container is run anew, a kept standby the plan reused is started warm, as planned.
 */
export function stepsTowards(spec: ServiceSpec, next: HostRelease, input: HostPlanInput, secrets: Readonly<Record<string, string>> = {}): Step[] {
  return next.container === containerName(spec.service, next.release, input.port) ? blueGreenDeploySteps(spec, next.release, input, secrets).steps : warmStandbySteps(spec, next, input).steps;
}

/**
 * Check that the release is the process that answered on its port: it runs,
 * it holds the listening socket, and (`fresh`, a container just started) it
 * never restarted, as one that crash-loops on a taken port does.
 */
export function answeredByStep(host: string, release: HostRelease, fresh: boolean): Step {
  return { kind: 'answered-by', host, purpose: `Check that ${release.release} is the process that answered (${release.container} holds port ${release.port}${fresh ? ', never restarted' : ''})`, container: release.container, port: release.port, fresh };
}

/**
 * What a host keeps of a service besides its live release: the first `retain`
 * of `candidates` (in the order the caller ranks them, live excluded, each
 * container once), whatever became of them (standby, rolled back, failed).
 * Every other container of the service is removed, so none piles up untracked.
 */
export function retainSteps(host: string, candidates: readonly (HostRelease | undefined)[], live: HostRelease | undefined, retain: number): { kept: HostRelease[]; steps: Step[] } {
  const unique = candidates.filter((r, i, all): r is HostRelease => r !== undefined && r.container !== live?.container && all.findIndex((o) => o?.container === r.container) === i);
  const steps: Step[] = unique.slice(retain).map((old) => ({ kind: 'command', host, command: command('docker', ['rm', '--force', old.container], `Remove ${old.release} (${old.container}), beyond the ${retain} releases kept`), allowFailure: true }));
  return { kept: unique.slice(0, retain), steps };
}

/** Point nginx at a port and reload it (graceful: in-flight requests finish on the old upstream). */
export function switchSteps(input: HostPlanInput, port: number, purpose: string): Step[] {
  return [
    { kind: 'write-file', host: input.host, purpose, path: input.proxy.upstreamFile, content: upstreamContent(port) },
    { kind: 'command', host: input.host, command: input.proxy.reload },
    { kind: 'settle', host: input.host, purpose: 'Let nginx\'s new workers take over from the old ones', ms: reloadSettleMs },
  ];
}
