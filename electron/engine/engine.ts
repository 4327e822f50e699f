import {
  isChannel,
  type AppInfo,
  type EventName,
  type EventOf,
  type Reply,
  type RunUpdate,
} from '../../shared/contract';
import { describeProblem } from '../../shared/problem';
import type { Redaction } from '../../shared/redaction';
import type { AuditRecord } from '../../shared/audit';
import { auditChannels } from './audit/audit-channels';
import { AuditTrail } from './audit/audit-trail';
import { pendingAction, requestRecord, runRecord } from './audit/audited-actions';
import { joinChannels, type Caller, type ChannelMap, type Emit, type Handlers, type WriteLog } from './channels';
import { toProblem } from './engine-problem';
import { Fleet } from './fleet/fleet';
import { fleetChannels } from './fleet/fleet-channels';
import { FleetMonitor } from './fleet/fleet-monitor';
import { hostChannels } from './fleet/host-channels';
import { HostTrust } from './fleet/host-trust';
import { serverChannels } from './fleet/server-channels';
import { incidentChannels } from './incidents/incident-channels';
import { Incidents } from './incidents/incidents';
import { Inventory } from './inventory';
import type { EngineLog } from './log';
import { logChannels } from './logs/log-channels';
import { Logs, type LogOwner } from './logs/logs';
import { vaultRedaction } from './redaction';
import { releaseChannels } from './release/release-channels';
import { Runs } from './release/runs';
import { ServiceSecrets } from './release/service-secrets';
import { ServiceStore } from './release/service-store';
import { reportChannels } from './report/report-channels';
import type { ReportPrinter } from './report/report-file';
import { parseRequest } from './requests';
import { ServiceCatalog } from './services/service-catalog';
import { serviceChannels } from './services/service-channels';
import { settingsChannels } from './settings-channels';
import type { SettingsStore } from './settings-store';
import { hostname, userInfo } from 'node:os';
import { Vault, type SecretCipher } from './vault';

export interface EngineOptions {
  readonly store: SettingsStore;
  readonly log: EngineLog;
  readonly dataDir: string;
  readonly host: AppInfo['host'];
  readonly version: string;
  /** How secrets are sealed: Electron's safeStorage, or a 0600 key file. */
  readonly cipher: SecretCipher;
  /** The environment the engine runs in (SSH_AUTH_SOCK for agent logins). */
  readonly env?: NodeJS.ProcessEnv;
  /** The clock freeze windows are judged by (the wall clock unless a test fixes it). */
  readonly clock?: () => Date;
  /** Prints a run report's HTML as PDF (headless Chromium, or Electron's printToPDF); without it a PDF export is refused. */
  readonly printReport?: ReportPrinter;
}

type Listener = <E extends EventName>(event: E, payload: EventOf<E>) => void;

/** A window listening to the engine: its id, and whether its transport is backed up. */
export interface Subscriber {
  readonly owner: string;
  readonly congested?: () => boolean;
}

/** Audit entries kept in memory while the data folder cannot take them. */
const maxUnaudited = 1000;

/** The owner of requests and listeners that name none (the desktop app's one window, tests). */
export const defaultOwner = 'default';

/**
 * The engine: serves the contract for one user, whatever the transport. It
 * builds the features and joins their channel maps; every request is
 * validated, audited and redacted here, and every failure becomes a Problem.
 */
export class Engine {
  private readonly inventory: Inventory;
  private readonly fleet: Fleet;
  private readonly monitor: FleetMonitor;
  private readonly listeners = new Map<Listener, Subscriber>();
  /** Features inside the engine that follow runs (incidents), told after the windows. */
  private readonly runFollowers = new Set<(update: RunUpdate) => void>();
  private readonly handlers: Handlers;
  private readonly services: ServiceStore;
  private readonly logs: Logs;
  private readonly audit: AuditTrail;
  /** Who this engine acts as, in the audit trail and on the hosts' locks. */
  private readonly login = `${userInfo().username}@${hostname()}`;
  /** The one redaction of every path out of the engine: replies, events, journals, audit, incidents, reports, the log. */
  private readonly redaction: Redaction;
  /** Audit entries the disk could not take yet, oldest first. */
  private readonly unaudited: AuditRecord[] = [];

  constructor(private readonly options: EngineOptions) {
    const vault = new Vault(options.dataDir, options.cipher);
    this.redaction = vaultRedaction(vault);
    // The engine's own log leaves out every secret in the vault, and each one set later.
    options.log.redactWith(this.redaction.text);
    const log: WriteLog = (level, message) => this.log(level, message);
    const info = (message: string) => this.log('info', message);
    const emit: Emit = (event, payload) => this.emit(event, payload);
    this.audit = new AuditTrail(options.dataDir, this.redaction);
    this.inventory = new Inventory(options.store, vault);
    this.fleet = new Fleet(this.inventory, options.env, () => options.store.get('fleet').parallelism);
    this.monitor = new FleetMonitor(
      this.fleet,
      () => this.inventory.list(),
      () => options.store.get('fleet'),
      {
        serverStatus: (status) => this.emit('serverStatus', status),
        fleetRefresh: (change) => this.emit('fleetRefresh', change),
      },
    );
    this.services = new ServiceStore(options.dataDir);
    const secrets = new ServiceSecrets(vault);
    const { inventory, fleet, monitor, services, redaction, login: who } = this;
    const runs = new Runs({
      dataDir: options.dataDir,
      fleet,
      inventory,
      services,
      secrets,
      redaction,
      who,
      emit: (update) => this.emit('runUpdate', update),
      log: info,
      freezeRules: () => options.store.get('freeze'),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const runUpdates = (listener: (update: RunUpdate) => void) => {
      this.runFollowers.add(listener);
      return () => void this.runFollowers.delete(listener);
    };
    const incidents = new Incidents({
      dataDir: options.dataDir,
      runs,
      runUpdates,
      fleet,
      inventory,
      services,
      emit: (incident) => this.emit('incidentUpdate', incident),
      log: info,
      redaction,
      who,
    });
    this.logs = new Logs({
      fleet,
      inventory,
      services,
      runs,
      capLines: () => options.store.get('logs').capLines,
      redact: redaction.text,
      log: info,
    });
    const app: ChannelMap<'getAppInfo'> = {
      getAppInfo: async () => ({
        name: 'Shipdeck',
        version: options.version,
        host: options.host,
        dataDir: options.dataDir,
        platform: process.platform,
      }),
    };
    this.handlers = joinChannels(
      app,
      serverChannels({ inventory, fleet, monitor, trust: new HostTrust(inventory, fleet), emit, log }),
      hostChannels({ inventory, fleet, redaction, who, emit, log }),
      fleetChannels(monitor),
      serviceChannels({ services, catalog: new ServiceCatalog(services, secrets, redaction), log }),
      releaseChannels(runs),
      reportChannels({ dataDir: options.dataDir, runs, incidents, redaction, printer: options.printReport, log }),
      settingsChannels({ store: options.store, monitor, log }),
      logChannels({ logs: this.logs, ownerOf: (owner) => this.logOwner(owner), log }),
      incidentChannels(incidents),
      auditChannels(this.audit),
    );
  }

  /** Serve one request: validate, run, and answer with a value or a problem. Never throws. */
  async handle(channel: string, raw: unknown, owner: string = defaultOwner): Promise<Reply<unknown>> {
    // Nothing leaves with a secret in it: not a value, not a problem's message or hint (a refused request's echo included).
    return this.redaction.value(await this.serve(channel, raw, owner));
  }

  private async serve(channel: string, raw: unknown, owner: string): Promise<Reply<unknown>> {
    if (!isChannel(channel)) {
      return {
        ok: false,
        problem: {
          code: 'bad-request',
          message: `Unknown channel ${JSON.stringify(channel).slice(0, 80)}`,
          hint: 'The renderer and engine versions may differ; reload the window.',
        },
      };
    }
    const parsed = parseRequest(channel, raw);
    if (!parsed.ok) return parsed;
    // Described before it runs, so that a server it removes is still named.
    const pending = pendingAction(channel, parsed.value, {
      serverName: (id) => this.inventory.list().find((s) => s.id === id)?.name ?? id,
      specName: (text) => this.services.validate(text).name,
    });
    let reply: Reply<unknown>;
    try {
      const handler = this.handlers[channel] as (request: unknown, caller: Caller) => Promise<unknown>;
      reply = { ok: true, value: await handler(parsed.value, { owner }) };
    } catch (error) {
      const problem = toProblem(error);
      this.log(problem.code === 'internal' ? 'error' : 'warn', `${channel} failed: ${describeProblem(problem)}`);
      reply = { ok: false, problem };
    }
    // The audit trail redacts what it writes itself.
    if (pending) this.record(() => requestRecord(pending, reply, this.login, this.redaction.text));
    return reply;
  }

  /**
   * Listen to every event the engine pushes, as one window (its owner id);
   * events of what that window opened come to it alone. The fleet is watched
   * while anyone listens; what a window opened closes when it stops listening.
   */
  subscribe(listener: Listener, subscriber: Subscriber = { owner: defaultOwner }): () => void {
    this.listeners.set(listener, subscriber);
    this.monitor.start();
    return () => {
      this.listeners.delete(listener);
      if (![...this.listeners.values()].some((s) => s.owner === subscriber.owner))
        this.logs.stopOwner(subscriber.owner);
      if (this.listeners.size === 0) this.monitor.stop();
    };
  }

  /** Stop every log a window follows (its page reloaded). */
  stopLogsOf(owner: string): void {
    this.logs.stopOwner(owner);
  }

  close(): void {
    // Audit entries that waited for space go in now if they fit.
    if (this.unaudited.length > 0) this.record(() => undefined);
    this.logs.stopAll();
    this.monitor.stop();
    this.fleet.close();
    this.listeners.clear();
  }

  /** Push an event to every window, redacted once before anyone (the audit trail included) sees it. */
  private emit<E extends EventName>(event: E, raw: EventOf<E>): void {
    const payload = this.redaction.value(raw);
    if (event === 'runUpdate') this.record(() => runRecord(payload as RunUpdate, this.login, this.redaction.text));
    for (const listener of this.listeners.keys()) listener(event, payload);
    if (event === 'runUpdate') for (const follow of this.runFollowers) follow(payload as RunUpdate);
  }

  /**
   * Append to the audit trail; the action has happened already, so a trail
   * that cannot be written (a full disk) is not thrown: its entries wait, in
   * order and with their own times, and go in with the next one that fits.
   */
  private record(entry: () => AuditRecord | undefined): void {
    try {
      const record = entry();
      if (record) this.unaudited.push(record);
      while (this.unaudited.length > 0) {
        this.audit.append(this.unaudited[0]!);
        this.unaudited.shift();
      }
    } catch (error) {
      // Bounded: a disk full for days keeps the latest actions, and says how many were dropped.
      const dropped = this.unaudited.splice(0, Math.max(0, this.unaudited.length - maxUnaudited)).length;
      this.log(
        'error',
        `audit trail not written (${this.unaudited.length} ${this.unaudited.length === 1 ? 'entry waits' : 'entries wait'}${dropped ? `, ${dropped} dropped` : ''}): ${describeProblem(toProblem(error))}`,
      );
    }
  }

  /** Where a window's log events go: its own listeners only. */
  private logOwner(owner: string): LogOwner {
    const mine = () => [...this.listeners].filter(([, s]) => s.owner === owner);
    return {
      id: owner,
      send: (event: 'logBatch' | 'logStatus', payload: unknown) => {
        const redacted = this.redaction.value(payload);
        for (const [listener] of mine()) listener(event, redacted as never);
      },
      congested: () => mine().some(([, s]) => s.congested?.() === true),
    };
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.options.log.write(level, message);
  }
}
