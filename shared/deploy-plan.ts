import type { RemoteCommand } from './commands/command';
import type { HealthcheckSpec } from './service-spec';

/** One action of a plan, on one host, as data: shown in the preview, then executed exactly as shown. */
export type Step =
  | {
      readonly kind: 'command';
      readonly host: string;
      readonly command: RemoteCommand;
      readonly allowFailure?: boolean;
      readonly expectOutput?: string;
    }
  | {
      readonly kind: 'health';
      readonly host: string;
      readonly purpose: string;
      readonly port: number;
      readonly check: HealthcheckSpec;
    }
  | {
      readonly kind: 'write-file';
      readonly host: string;
      readonly purpose: string;
      readonly path: string;
      readonly content: string;
    }
  | { readonly kind: 'settle'; readonly host: string; readonly purpose: string; readonly ms: number }
  /** The proof that what answers on `port` is `container` itself: it holds every socket listening there (and, `fresh`, never restarted). */
  | {
      readonly kind: 'answered-by';
      readonly host: string;
      readonly purpose: string;
      readonly container: string;
      readonly port: number;
      readonly fresh: boolean;
    };

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

export interface LockHolder {
  readonly who: string;
  readonly since: string;
  readonly release: string;
  readonly runId: string;
}
