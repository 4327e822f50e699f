import type { FleetSettings, FleetStatus, ServerStatus } from '../../../shared/fleet-status';
import { settleLimited } from '../../../shared/limit';
import { problemOf } from '../../../shared/problem';
import type { Server } from '../../../shared/server';
import type { Fleet } from './fleet';

/** Longest a single server's refresh may take before it counts as unreachable. */
const probeTimeoutMs = 15_000;

export interface MonitorEvents {
  serverStatus(status: ServerStatus): void;
  fleetRefresh(change: { refreshing: boolean; refreshedAt?: string; tookMs?: number }): void;
}

/** Status reads in flight at once; logins are bounded separately, by the fleet's parallelism. */
const maxProbes = 64;

/**
 * Watches every server: on each refresh it reads reachability, latency, vital
 * signs, Docker and containers, and reports each server as soon as it is
 * done, so a slow host never holds up the view. On an open link a refresh is
 * a few tiny requests, so many run at once; only logins (the costly part) are
 * held to the fleet's parallelism. Refreshes never overlap; the next starts
 * `refreshMs` after one ends.
 */
export class FleetMonitor {
  private readonly statuses = new Map<string, ServerStatus>();
  private refreshing: Promise<FleetStatus> | undefined;
  private refreshedAt: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly fleet: Fleet,
    private readonly servers: () => readonly Server[],
    private readonly settings: () => FleetSettings,
    private readonly events: MonitorEvents,
  ) {
    // A changed host key shows at once, whoever's connection saw it, not at the next refresh.
    fleet.connections.onHostKeyRefused((serverId, problem) => {
      if (!this.servers().some((s) => s.id === serverId)) return;
      const status: ServerStatus = {
        serverId,
        state: 'untrusted',
        problem,
        checkedAt: new Date().toISOString(),
        tookMs: 0,
      };
      this.statuses.set(serverId, status);
      this.events.serverStatus(status);
    });
  }

  snapshot(): FleetStatus {
    const known = new Set(this.servers().map((s) => s.id));
    for (const id of this.statuses.keys()) if (!known.has(id)) this.statuses.delete(id);
    return {
      servers: Object.fromEntries(this.statuses),
      refreshing: this.refreshing !== undefined,
      intervalMs: this.settings().refreshMs,
      ...(this.refreshedAt ? { refreshedAt: this.refreshedAt } : {}),
    };
  }

  /** Refresh now; a refresh already under way is joined rather than doubled. */
  refresh(): Promise<FleetStatus> {
    this.refreshing ??= this.runRefresh().finally(() => {
      this.refreshing = undefined;
      this.schedule();
    });
    return this.refreshing;
  }

  /** Refresh every `refreshMs` from now on (0 pauses). */
  start(): void {
    this.running = true;
    if (!this.refreshing) void this.refresh();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Settings changed: apply the new interval at once. */
  reschedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.refreshing) this.schedule();
  }

  forget(serverId: string): void {
    this.statuses.delete(serverId);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const every = this.settings().refreshMs;
    if (this.running && every > 0) this.timer = setTimeout(() => void this.refresh(), every);
  }

  private async runRefresh(): Promise<FleetStatus> {
    const started = performance.now();
    this.events.fleetRefresh({ refreshing: true });
    await settleLimited(this.servers(), maxProbes, async (server) => {
      const status = await this.probeWithin(server, probeTimeoutMs);
      this.statuses.set(server.id, status);
      this.events.serverStatus(status);
    });
    this.refreshedAt = new Date().toISOString();
    this.events.fleetRefresh({
      refreshing: false,
      refreshedAt: this.refreshedAt,
      tookMs: Math.round(performance.now() - started),
    });
    return { ...this.snapshot(), refreshing: false };
  }

  /** Read one server now (after it was added, edited or trusted) and report it. */
  async refreshServer(serverId: string): Promise<void> {
    const server = this.servers().find((s) => s.id === serverId);
    if (!server) return;
    const status = await this.probeWithin(server, probeTimeoutMs);
    this.statuses.set(server.id, status);
    this.events.serverStatus(status);
  }

  /**
   * A probe that takes too long means a link that died silently (a cut cable
   * sends no close): report it, and drop the link so the next refresh dials anew.
   */
  private async probeWithin(server: Server, timeoutMs: number): Promise<ServerStatus> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<ServerStatus>((resolve) => {
      timer = setTimeout(() => {
        this.fleet.forget(server.id);
        resolve({
          serverId: server.id,
          state: 'unreachable',
          problem: {
            code: 'timeout',
            message: `${server.name} did not answer within ${timeoutMs / 1000} s`,
            where: server.name,
            hint: 'The link may be cut or the host overloaded; Shipdeck reconnects on the next refresh.',
          },
          checkedAt: new Date().toISOString(),
          tookMs: timeoutMs,
        });
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.probe(server), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Everything one refresh learns about one server; never throws. */
  async probe(server: Server): Promise<ServerStatus> {
    const started = performance.now();
    const done = (status: Omit<ServerStatus, 'serverId' | 'checkedAt' | 'tookMs'>): ServerStatus => ({
      serverId: server.id,
      checkedAt: new Date().toISOString(),
      tookMs: Math.round(performance.now() - started),
      ...status,
    });
    if (!server.hostKey) {
      return done({
        state: 'untrusted',
        problem: {
          code: 'host-key-unknown',
          message: `The host key of ${server.name} is not trusted yet`,
          hint: 'Open the server and confirm its fingerprint.',
        },
      });
    }
    let link;
    try {
      // A changed key seen by any connection stays shown, though an older link still answers, until the trusted key is back.
      const refusal = await this.fleet.connections.hostKeyRefusal(server);
      if (refusal) return done({ state: 'untrusted', problem: refusal });
      link = await this.fleet.link(server);
    } catch (error) {
      const problem = problemOf(error);
      return done({ state: problem.code === 'host-key-changed' ? 'untrusted' : 'unreachable', problem });
    }
    const [rtt, facts, docker] = await Promise.allSettled([
      link.roundTrip(),
      this.fleet.probe(server, link).facts(),
      (async () => {
        const dockerLink = await this.fleet.docker(server);
        const [version, containers] = await Promise.all([dockerLink.version(), dockerLink.containers()]);
        return { version, containers };
      })(),
    ]);
    const factsProblem = facts.status === 'rejected' ? problemOf(facts.reason) : undefined;
    const dockerProblem = docker.status === 'rejected' ? problemOf(docker.reason) : undefined;
    return done({
      state: factsProblem || dockerProblem ? 'degraded' : 'ok',
      ...(factsProblem ? { problem: factsProblem } : dockerProblem ? { problem: dockerProblem } : {}),
      ...(rtt.status === 'fulfilled' ? { rttMs: Math.round(rtt.value * 10) / 10 } : {}),
      ...(facts.status === 'fulfilled' ? { facts: facts.value } : {}),
      ...(docker.status === 'fulfilled' ? { docker: docker.value.version, containers: docker.value.containers } : {}),
      ...(dockerProblem ? { dockerProblem } : {}),
      // The vital signs above tried SFTP first, so the link knows by now whether the server refuses it.
      ...(link.sftpRefused ? { warnings: [link.sftpRefused] } : {}),
    });
  }
}
