import { randomUUID } from 'node:crypto';
import { isChannel, type AppInfo, type Channel, type EventName, type EventOf, type Reply, type RequestOf, type ResponseOf } from '../../shared/contract';
import { commandLine } from '../../shared/command';
import { diagnostics } from '../../shared/diagnostics';
import { ProblemError, describeProblem, type Problem } from '../../shared/problem';
import { loginOf } from '../../shared/server';
import { Fleet } from './fleet/fleet';
import type { PresentedKey } from './fleet/ssh-link';
import { Inventory } from './inventory';
import type { EngineLog } from './log';
import { parseRequest } from './requests';
import type { SettingsStore } from './settings-store';

export interface EngineOptions {
  readonly store: SettingsStore;
  readonly log: EngineLog;
  readonly dataDir: string;
  readonly host: AppInfo['host'];
  readonly version: string;
}

type Handlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };
type Listener = <E extends EventName>(event: E, payload: EventOf<E>) => void;

/**
 * The engine: serves the contract for one user, whatever the transport.
 * Every request is validated here; every failure becomes a Problem.
 */
export class Engine {
  private readonly inventory: Inventory;
  private readonly fleet = new Fleet();
  private readonly listeners = new Set<Listener>();
  private readonly scans = new Map<string, PresentedKey>();
  private readonly handlers: Handlers;

  constructor(private readonly options: EngineOptions) {
    this.inventory = new Inventory(options.store);
    this.handlers = {
      getAppInfo: async () => ({ name: 'Shipdeck', version: options.version, host: options.host, dataDir: options.dataDir, platform: process.platform }),
      listServers: async () => this.inventory.list(),
      addServer: async (draft) => {
        const server = this.inventory.add(draft);
        this.log('info', `server added: ${server.name} ${loginOf(server)}`);
        return server;
      },
      removeServer: async ({ id }) => {
        this.fleet.forget(id);
        this.inventory.remove(id);
        this.log('info', `server removed: ${id}`);
        return { removed: true };
      },
      scanHostKey: async ({ id }) => {
        const server = this.inventory.get(id);
        const presented = await this.fleet.connections.scan(server);
        this.scans.set(id, presented);
        return { serverId: id, fingerprint: presented.fingerprint, algorithm: presented.algorithm, ...(server.hostKey ? { trusted: server.hostKey.fingerprint } : {}) };
      },
      trustHostKey: async ({ id, fingerprint }) => {
        const scanned = this.scans.get(id);
        if (!scanned || scanned.fingerprint !== fingerprint) {
          throw new ProblemError({ code: 'conflict', message: 'That fingerprint is not the one the server presented', where: fingerprint, hint: 'Scan the host key again and confirm what it shows.' });
        }
        this.fleet.forget(id);
        const server = this.inventory.trustHostKey(id, fingerprint, scanned.algorithm);
        this.log('info', `host key trusted: ${server.name} ${fingerprint}`);
        return server;
      },
      connectServer: async ({ id }) => {
        const server = this.inventory.get(id);
        const link = await this.fleet.link(server);
        this.log('info', `connected: ${server.name} ${loginOf(server)} in ${link.connectMs} ms`);
        return { serverId: id, login: loginOf(server), fingerprint: link.hostKey.fingerprint, algorithm: link.hostKey.algorithm, connectMs: link.connectMs };
      },
      runDiagnostic: async ({ serverId, diagnostic }) => {
        const server = this.inventory.get(serverId);
        const cmd = diagnostics[diagnostic].command;
        const link = await this.fleet.link(server);
        const runId = randomUUID();
        const line = commandLine(cmd);
        this.log('info', `run on ${server.name}: ${line}`);
        const running = await link.start(cmd, {
          onStdout: (text) => this.emit('diagnosticOutput', { runId, stream: 'stdout', text }),
          onStderr: (text) => this.emit('diagnosticOutput', { runId, stream: 'stderr', text }),
        });
        running.done.then(
          (result) => {
            this.log(result.exitCode === 0 ? 'info' : 'warn', `exit ${result.exitCode ?? result.signal} on ${server.name}: ${line} (${result.durationMs} ms)`);
            this.emit('diagnosticExit', { runId, exitCode: result.exitCode, signal: result.signal, durationMs: result.durationMs });
          },
          (error: unknown) => this.emit('diagnosticExit', { runId, exitCode: null, signal: null, durationMs: 0, problem: toProblem(error) }),
        );
        return { runId, serverId, commandLine: line, startedAt: new Date().toISOString() };
      },
      listContainers: async ({ serverId }) => {
        const server = this.inventory.get(serverId);
        const docker = await this.fleet.docker(server);
        return docker.containers();
      },
    };
  }

  /** Serve one request: validate, run, and answer with a value or a problem. Never throws. */
  async handle(channel: string, raw: unknown): Promise<Reply<unknown>> {
    if (!isChannel(channel)) {
      return { ok: false, problem: { code: 'bad-request', message: `Unknown channel ${JSON.stringify(channel).slice(0, 80)}`, hint: 'The renderer and engine versions may differ; reload the window.' } };
    }
    const parsed = parseRequest(channel, raw);
    if (!parsed.ok) return parsed;
    try {
      const handler = this.handlers[channel] as (request: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.value) };
    } catch (error) {
      const problem = toProblem(error);
      this.log(problem.code === 'internal' ? 'error' : 'warn', `${channel} failed: ${describeProblem(problem)}`);
      return { ok: false, problem };
    }
  }

  /** Listen to every event the engine pushes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.fleet.close();
    this.listeners.clear();
  }

  private emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.options.log.write(level, message);
  }
}

/** Any thrown value as a Problem; unexpected errors keep their message but never their stack. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected error: ${message}`, hint: 'See the engine log in the data folder; please report it.' };
}
