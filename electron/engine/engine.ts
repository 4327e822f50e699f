import { randomUUID } from 'node:crypto';
import type { ServiceEntry } from '../../shared/run';
import { isChannel, type AppInfo, type Channel, type EventName, type EventOf, type Reply, type RequestOf, type ResponseOf, type RunUpdate } from '../../shared/contract';
import { commandLine } from '../../shared/commands/command';
import { keepRedactedLines, StreamRedaction, type Redaction } from '../../shared/redaction';
import { diagnostics } from '../../shared/diagnostics';
import { describeProblem, problemOf, ProblemError, type Problem } from '../../shared/problem';
import { describeFreeze } from '../../shared/freeze';
import { loginOf } from '../../shared/server';
import type { AuditRecord } from '../../shared/audit';
import { AuditTrail } from './audit/audit-trail';
import { pendingAction, requestRecord, runRecord } from './audit/audited-actions';
import { Fleet } from './fleet/fleet';
import { noteOnHost } from './fleet/host-audit';
import { FleetMonitor } from './fleet/fleet-monitor';
import { checkRetrust } from './fleet/host-key';
import { knownFingerprints, parseKnownHosts } from './fleet/known-hosts';
import type { PresentedKey } from './fleet/ssh-link';
import { Inventory } from './inventory';
import type { EngineLog } from './log';
import { parseRequest } from './requests';
import type { SettingsStore } from './settings-store';
import { Runs } from './release/runs';
import { reportFile, statusHistory, type ReportPrinter } from './report/report-file';
import { Incidents } from './incidents/incidents';
import { incidentMarkdown } from '../../shared/incident';
import { Logs, type LogOwner } from './logs/logs';
import { ServiceSecrets } from './release/service-secrets';
import { ServiceStore } from './release/service-store';
import { importSshHosts, readSshConfig, readTextFile, sshFilePath } from './ssh-import';
import { hostname, userInfo } from 'node:os';
import { Vault, type SecretCipher } from './vault';
import { vaultRedaction } from './redaction';

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

/** Who asks: the window a request comes from, so what it opens (a log) answers to it alone and closes with it. */
type Caller = { readonly owner: string };
type Handlers = { [C in Channel]: (request: RequestOf<C>, caller: Caller) => Promise<ResponseOf<C>> };
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
 * The engine: serves the contract for one user, whatever the transport.
 * Every request is validated here; every failure becomes a Problem.
 */
export class Engine {
  private readonly inventory: Inventory;
  private readonly fleet: Fleet;
  private readonly monitor: FleetMonitor;
  private readonly listeners = new Map<Listener, Subscriber>();
  private readonly scans = new Map<string, PresentedKey>();
  private readonly handlers: Handlers;
  private readonly services: ServiceStore;
  private readonly runs: Runs;
  private readonly logs: Logs;
  private readonly incidents: Incidents;
  private readonly serviceSecrets: ServiceSecrets;
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
    this.audit = new AuditTrail(options.dataDir, this.redaction);
    this.inventory = new Inventory(options.store, vault);
    this.fleet = new Fleet(this.inventory, options.env, () => options.store.get('fleet').parallelism);
    this.monitor = new FleetMonitor(this.fleet, () => this.inventory.list(), () => options.store.get('fleet'), {
      serverStatus: (status) => this.emit('serverStatus', status),
      fleetRefresh: (change) => this.emit('fleetRefresh', change),
    });
    this.services = new ServiceStore(options.dataDir);
    this.serviceSecrets = new ServiceSecrets(vault);
    this.runs = new Runs({
      dataDir: options.dataDir,
      fleet: this.fleet,
      inventory: this.inventory,
      services: this.services,
      secrets: this.serviceSecrets,
      redaction: this.redaction,
      who: this.login,
      emit: (update) => this.emit('runUpdate', update),
      log: (message) => this.log('info', message),
      freezeRules: () => options.store.get('freeze'),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.incidents = new Incidents({
      dataDir: options.dataDir,
      runs: this.runs,
      fleet: this.fleet,
      inventory: this.inventory,
      services: this.services,
      emit: (incident) => this.emit('incidentUpdate', incident),
      log: (message) => this.log('info', message),
      redaction: this.redaction,
      who: this.login,
    });
    this.logs = new Logs({
      fleet: this.fleet,
      inventory: this.inventory,
      services: this.services,
      runs: this.runs,
      capLines: () => options.store.get('logs').capLines,
      redact: this.redaction.text,
      log: (message) => this.log('info', message),
    });
    this.handlers = {
      getAppInfo: async () => ({ name: 'Shipdeck', version: options.version, host: options.host, dataDir: options.dataDir, platform: process.platform }),
      listServers: async () => this.inventory.list(),
      addServer: async (draft) => {
        const server = this.inventory.add(draft);
        this.log('info', `server added: ${server.name} ${loginOf(server)} (${server.auth.kind})`);
        this.inventoryChanged([server.id]);
        return server;
      },
      updateServer: async ({ id, draft }) => {
        const server = this.inventory.update(id, draft);
        this.fleet.forget(id);
        this.monitor.forget(id);
        this.log('info', `server updated: ${server.name} ${loginOf(server)} (${server.auth.kind})`);
        this.inventoryChanged([server.id]);
        return server;
      },
      removeServer: async ({ id }) => {
        this.inventory.remove(id);
        this.fleet.forget(id);
        this.monitor.forget(id);
        this.log('info', `server removed: ${id}`);
        this.inventoryChanged();
        return { removed: true };
      },
      scanHostKey: async ({ id }) => {
        const server = this.inventory.get(id);
        const presented = await this.fleet.connections.scan(server);
        this.scans.set(id, presented);
        return { serverId: id, fingerprint: presented.fingerprint, algorithm: presented.algorithm, ...(server.hostKey ? { trusted: server.hostKey.fingerprint } : {}) };
      },
      trustHostKey: async ({ id, fingerprint, replacing, confirmName }) => {
        const scanned = this.scans.get(id);
        if (!scanned || scanned.fingerprint !== fingerprint) {
          throw new ProblemError({ code: 'conflict', message: 'That fingerprint is not the one the server presented', where: fingerprint, hint: 'Scan the host key again and confirm what it shows.' });
        }
        const before = this.inventory.get(id).hostKey;
        if (before && before.fingerprint !== fingerprint) checkRetrust(this.inventory.get(id), before.fingerprint, { replacing, confirmName });
        this.fleet.forget(id);
        const server = this.inventory.trustHostKey(id, { fingerprint, algorithm: scanned.algorithm, trustedAt: new Date().toISOString(), source: 'confirmed' });
        this.log('info', before && before.fingerprint !== fingerprint ? `host key re-trusted: ${server.name} ${fingerprint}, replacing ${before.fingerprint}` : `host key trusted: ${server.name} ${fingerprint}`);
        this.inventoryChanged([server.id]);
        return server;
      },
      connectServer: async ({ id }) => {
        const server = this.inventory.get(id);
        const link = await this.fleet.connections.checkedLinkTo(server);
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
        // Redacted as it streams, so a secret split across two chunks is caught too.
        const streams = { stdout: new StreamRedaction(this.redaction), stderr: new StreamRedaction(this.redaction) };
        const output = (stream: 'stdout' | 'stderr', text: string) => text && this.emit('diagnosticOutput', { runId, stream, text });
        const running = await link.start(cmd, {
          onStdout: (text) => output('stdout', streams.stdout.push(text)),
          onStderr: (text) => output('stderr', streams.stderr.push(text)),
        });
        running.done.then(
          (result) => {
            output('stdout', streams.stdout.end());
            output('stderr', streams.stderr.end());
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
      containerLogs: async ({ serverId, containerId, tail }) => {
        const docker = await this.fleet.docker(this.inventory.get(serverId));
        return docker.logs(containerId, tail);
      },
      restartContainer: async ({ serverId, containerId }) => {
        const server = this.inventory.get(serverId);
        const docker = await this.fleet.docker(server);
        this.log('info', `restart container ${containerId} on ${server.name}`);
        await docker.restart(containerId);
        const noted = await noteOnHost(this.fleet, server, { who: this.login, action: 'restart', container: containerId }, `Note in the host's audit log: ${containerId} restarted`);
        this.log(noted.written ? 'info' : 'warn', `restarted container ${containerId} on ${server.name}${noted.written ? '' : ' (the host audit line could not be written)'}`);
        return { restartedAt: new Date().toISOString() };
      },
      readSshConfig: async ({ path }) => readSshConfig(this.inventory, path),
      importSshHosts: async ({ path, aliases }) => {
        const result = await importSshHosts(this.inventory, path, aliases);
        this.log('info', `imported from ssh config: ${result.added.map((s) => s.name).join(', ') || 'nothing'}; skipped ${result.skipped.length}`);
        if (result.added.length) this.inventoryChanged(result.added.map((s) => s.id));
        return result;
      },
      importKnownHosts: async ({ path }) => {
        const file = sshFilePath(path, 'known_hosts');
        const entries = parseKnownHosts(await readTextFile(file, 'known_hosts file'));
        const trusted: { serverId: string; name: string; fingerprint: string }[] = [];
        const notListed: { serverId: string; name: string; reason: string }[] = [];
        // The server's own key decides: it is trusted only if the file lists exactly that key for this host.
        for (const server of this.inventory.list().filter((s) => !s.hostKey)) {
          const known = knownFingerprints(entries, server.host, server.port);
          if (known.length === 0) {
            notListed.push({ serverId: server.id, name: server.name, reason: 'not listed' });
            continue;
          }
          try {
            const presented = await this.fleet.connections.scan(server);
            if (!known.includes(presented.fingerprint)) {
              notListed.push({ serverId: server.id, name: server.name, reason: `presents ${presented.fingerprint}, which the file does not list for it` });
              continue;
            }
            this.inventory.trustHostKey(server.id, { fingerprint: presented.fingerprint, algorithm: presented.algorithm, trustedAt: new Date().toISOString(), source: 'known_hosts' });
            this.fleet.forget(server.id);
            trusted.push({ serverId: server.id, name: server.name, fingerprint: presented.fingerprint });
          } catch (error) {
            notListed.push({ serverId: server.id, name: server.name, reason: toProblem(error).message });
          }
        }
        this.log('info', `known_hosts ${file}: trusted ${trusted.map((t) => `${t.name} ${t.fingerprint}`).join(', ') || 'none'}`);
        if (trusted.length) this.inventoryChanged(trusted.map((t) => t.serverId));
        return { path: file, trusted, notListed };
      },
      listServices: async () => this.services.list().map((entry) => this.withSecrets(entry)),
      validateService: async ({ text }) => ({ issues: this.services.validate(text).issues }),
      saveService: async ({ text }) => {
        // The editor was sent the spec redacted: a line it sends back unchanged keeps the secret it held.
        const before = this.services.list().find((e) => e.name === this.services.validate(text).name)?.text;
        const entry = this.services.save(keepRedactedLines(text, before, this.redaction.text));
        this.log('info', `service saved: ${entry.name}`);
        return this.withSecrets(entry);
      },
      setServiceSecret: async ({ service, name, value }) => {
        const spec = this.services.get(service);
        if (!spec.secrets.includes(name)) {
          throw new ProblemError({ code: 'bad-request', message: `${service} lists no secret ${name}`, where: `${service}: secrets`, hint: `Add ${name} to the spec's secrets first${spec.secrets.length ? ` (it lists ${spec.secrets.join(', ')})` : ''}.` });
        }
        this.serviceSecrets.set(service, name, value);
        this.log('info', `service secret ${value ? 'set' : 'cleared'}: ${service} ${name}`);
        return this.withSecrets(this.services.list().find((e) => e.name === service)!);
      },
      removeService: async ({ name }) => {
        this.services.remove(name);
        this.log('info', `service removed: ${name}`);
        return { removed: true };
      },
      planRelease: async ({ service, environment, version, change }) => this.runs.plan(service, environment, version, change),
      startRun: async ({ previewId, notes, by, overrides }) => this.runs.start(previewId, notes, by, overrides),
      tickItem: async ({ runId, itemId, by, note }) => this.runs.tick(runId, itemId, by, note),
      waiveItem: async ({ runId, itemId, by, reason }) => this.runs.waive(runId, itemId, by, reason),
      overrideGate: async ({ runId, key, by, reason }) => this.runs.overrideGate(runId, key, by, reason),
      decideApproval: async ({ runId, by, decision, note }) => this.runs.decide(runId, by, decision, note),
      signOffRun: async ({ runId, by, note }) => this.runs.signOff(runId, by, note),
      getFreezeRules: async () => options.store.get('freeze'),
      updateFreezeRules: async ({ rules }) => {
        const ids = new Set<string>();
        for (const rule of rules) {
          if (ids.has(rule.id)) throw new ProblemError({ code: 'bad-request', message: `Two freeze windows share the id ${rule.id}`, where: `rules.${rule.id}`, hint: 'Give each window its own id.' });
          ids.add(rule.id);
        }
        options.store.set('freeze', rules);
        this.log('info', `freeze windows: ${rules.map(describeFreeze).join('; ') || 'none'}`);
        return rules;
      },
      confirmRun: async ({ runId }) => this.runs.confirm(runId),
      rollbackRun: async ({ runId, reason }) => this.runs.rollback(runId, reason),
      listRuns: async () => this.runs.list(),
      getRun: async ({ runId }) => this.runs.get(runId),
      getRunSamples: async ({ runId }) => {
        const { prepared, baseline, candidate } = this.runs.samples(runId);
        return { baseline: [...prepared, ...baseline], candidate };
      },
      judgeAgain: async ({ runId, thresholds }) => this.runs.judgeAgain(runId, thresholds),
      exportRunReport: async ({ runId, format }) => {
        const record = await this.runs.get(runId);
        // The report keeps the incidents this run caused or mitigated.
        const file = await reportFile({ redaction: this.redaction, record, samples: this.runs.samples(runId), statuses: statusHistory(options.dataDir, runId), format, incidents: this.incidents.all(), ...(options.printReport ? { printer: options.printReport } : {}) });
        this.log('info', `report of ${runId} exported as ${format}: ${file.fileName}`);
        return file;
      },
      resumeRun: async ({ runId }) => this.runs.resume(runId),
      forceUnlock: async ({ service, environment, reason }) => this.runs.forceUnlock(service, environment, reason),
      openLog: async ({ streamId, target }, { owner }) => {
        const opened = this.logs.start(this.logOwner(owner), streamId, target);
        this.log('info', `log opened: ${opened.title} (${target.kind}, ${this.logs.open} open)`);
        return opened;
      },
      closeLog: async ({ streamId }, { owner }) => ({ closed: this.logs.stop(owner, streamId) }),
      getLogSettings: async () => options.store.get('logs'),
      updateLogSettings: async (settings) => {
        options.store.set('logs', settings);
        this.log('info', `log settings: keep ${settings.capLines} lines per log`);
        return settings;
      },
      listIncidents: async () => this.incidents.list(),
      getIncident: async ({ id }) => this.incidents.get(id),
      openIncident: async (request) => this.incidents.open(request),
      assessIncident: async ({ id, by }) => this.incidents.assess(id, by),
      rollbackIncident: async ({ id, by }) => this.incidents.rollback(id, by),
      restartForIncident: async ({ id, serverId, containerId, by }) => this.incidents.restart(id, serverId, containerId, by),
      diagnoseForIncident: async ({ id, serverId, diagnostic, by }) => this.incidents.diagnose(id, serverId, diagnostic, by),
      postIncidentUpdate: async ({ id, text, by }) => this.incidents.postUpdate(id, text, by),
      noteIncident: async ({ id, step, text, by }) => this.incidents.note(id, step, text, by),
      resolveIncident: async ({ id, summary, by }) => this.incidents.resolve(id, summary, by),
      savePostmortem: async ({ id, text, by }) => this.incidents.savePostmortem(id, text, by),
      exportIncident: async ({ id }) => {
        const incident = this.incidents.get(id);
        return { fileName: `incident-${incident.id}.md`, text: incidentMarkdown(incident) };
      },
      verifyAudit: async () => this.audit.verify(),
      listAudit: async ({ limit }) => this.audit.list(limit),
      getFleetStatus: async () => this.monitor.snapshot(),
      refreshFleet: async () => this.monitor.refresh(),
      getFleetSettings: async () => options.store.get('fleet'),
      updateFleetSettings: async (settings) => {
        options.store.set('fleet', settings);
        this.monitor.reschedule();
        this.log('info', `fleet settings: refresh every ${settings.refreshMs} ms, ${settings.parallelism} hosts at once`);
        return settings;
      },
    };
  }

  /** Serve one request: validate, run, and answer with a value or a problem. Never throws. */
  async handle(channel: string, raw: unknown, owner: string = defaultOwner): Promise<Reply<unknown>> {
    // Nothing leaves with a secret in it: not a value, not a problem's message or hint (a refused request's echo included).
    return this.redaction.value(await this.serve(channel, raw, owner));
  }

  private async serve(channel: string, raw: unknown, owner: string): Promise<Reply<unknown>> {
    if (!isChannel(channel)) {
      return { ok: false, problem: { code: 'bad-request', message: `Unknown channel ${JSON.stringify(channel).slice(0, 80)}`, hint: 'The renderer and engine versions may differ; reload the window.' } };
    }
    const parsed = parseRequest(channel, raw);
    if (!parsed.ok) return parsed;
    // Described before it runs, so that a server it removes is still named.
    const pending = pendingAction(channel, parsed.value, { serverName: (id) => this.inventory.list().find((s) => s.id === id)?.name ?? id, specName: (text) => this.services.validate(text).name });
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
      if (![...this.listeners.values()].some((s) => s.owner === subscriber.owner)) this.logs.stopOwner(subscriber.owner);
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

  /** Tell every window, and read the changed servers at once rather than at the next refresh. */
  private inventoryChanged(changed: readonly string[] = []): void {
    this.emit('inventoryChanged', { servers: this.inventory.list() });
    for (const id of changed) void this.monitor.refreshServer(id);
  }

  /** Push an event to every window, redacted once before anyone (the audit trail included) sees it. */
  private emit<E extends EventName>(event: E, raw: EventOf<E>): void {
    const payload = this.redaction.value(raw);
    if (event === 'runUpdate') this.record(() => runRecord(payload as RunUpdate, this.login, this.redaction.text));
    for (const listener of this.listeners.keys()) listener(event, payload);
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
      this.log('error', `audit trail not written (${this.unaudited.length} ${this.unaudited.length === 1 ? 'entry waits' : 'entries wait'}${dropped ? `, ${dropped} dropped` : ''}): ${describeProblem(toProblem(error))}`);
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

  /** A service as the renderer sees it: which of its secrets have a value (never the values). */
  private withSecrets(entry: ServiceEntry): ServiceEntry {
    return entry.spec ? { ...entry, secretsSet: this.serviceSecrets.present(entry.spec) } : entry;
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.options.log.write(level, message);
  }
}

/** Any thrown value as a Problem; unexpected errors keep their message but never their stack. */
/** An error at the engine's boundary as a Problem; one that carries none says it was unexpected and where to look. */
export function toProblem(error: unknown): Problem {
  const problem = problemOf(error);
  if (error instanceof ProblemError || problem.code !== 'internal') return problem;
  return { code: 'internal', message: `Unexpected error: ${problem.message}`, hint: 'See the engine log in the data folder; please report it.' };
}
