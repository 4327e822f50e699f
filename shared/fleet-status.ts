import type { ContainerSummary } from './docker';
import type { Problem } from './problem';

/** What one refresh learned about one server. */
export interface ServerStatus {
  readonly serverId: string;
  /** ok: reachable and read; unreachable: no SSH; untrusted: host key not confirmed; degraded: SSH fine, something else failed. */
  readonly state: 'ok' | 'unreachable' | 'untrusted' | 'degraded';
  /** Why it is not ok. */
  readonly problem?: Problem;
  /** One SSH protocol round trip (a global request), in milliseconds. */
  readonly rttMs?: number;
  readonly facts?: HostFacts;
  readonly docker?: { readonly version: string; readonly apiVersion: string };
  readonly dockerProblem?: Problem;
  readonly containers?: readonly ContainerSummary[];
  /** What works, but not as it should, and how to fix it on the server (no SFTP subsystem: files go over exec). */
  readonly warnings?: readonly Problem[];
  readonly checkedAt: string;
  /** How long this server's refresh took. */
  readonly tookMs: number;
}

/** A host's vital signs, read from /proc, df and os-release. */
export interface HostFacts {
  readonly os: string;
  readonly kernel: string;
  readonly uptimeSeconds: number;
  readonly load: readonly [number, number, number];
  readonly cpus: number;
  readonly memory: { readonly totalBytes: number; readonly availableBytes: number };
  readonly disk: { readonly path: string; readonly totalBytes: number; readonly usedBytes: number };
}

/** The latest status of every server, and when the last refresh ended. */
export interface FleetStatus {
  readonly servers: Readonly<Record<string, ServerStatus>>;
  readonly refreshedAt?: string;
  readonly refreshing: boolean;
  readonly intervalMs: number;
}

/** Fleet settings the user can change. */
export interface FleetSettings {
  /** How often the fleet view refreshes; 0 pauses it. */
  readonly refreshMs: number;
  /** How many hosts are worked on at once. */
  readonly parallelism: number;
}

export const defaultFleetSettings: FleetSettings = { refreshMs: 5000, parallelism: 8 };

/** What the settings accept: a refresh of 0 (paused) or 1 s to 1 h; 1 to 64 hosts logging in at once. */
export const fleetSettingsLimits = {
  minRefreshMs: 1000,
  maxRefreshMs: 3_600_000,
  minParallelism: 1,
  maxParallelism: 64,
} as const;
