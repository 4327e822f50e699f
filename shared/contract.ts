/**
 * The one contract between the renderer and the engine. Every request channel
 * and every event is listed here with its types; Electron's preload and the
 * browser host's WebSocket both serve exactly this, so the renderer cannot
 * tell which transport it has. The engine validates each request at run time.
 */
import type { AuditEntry } from './audit';
import type { AuditVerification } from './audit-chain';
import type { ContainerSummary } from './docker';
import type { DiagnosticId } from './diagnostics';
import type { FleetSettings, FleetStatus, ServerStatus } from './fleet-status';
import type { LogBatch, LogSettings, LogStatus, LogTarget } from './log';
import type { ChangeInfo, ChecklistItem } from './checklist';
import type { Approval, GateId, GateRecord, SignOff } from './gates';
import type { FreezeRule } from './freeze';
import type { Assessment, Incident, IncidentDiagnostic, IncidentStep, IncidentSummary, Severity } from './incident';
import type { Problem } from './problem';
import type {
  RunPreview,
  RunRecord,
  RunSummary,
  ServiceEntry,
  StepRecord,
  PhaseRecord,
  RunStatus,
  VerificationRecord,
  Waiting,
} from './run';
import type { Judgement, Sample, Thresholds } from './verify';
import type { Server, ServerDraft } from './server';
import type { SpecIssue } from './service-spec';
import type { SshConfigHost } from './ssh-config';

export interface AppInfo {
  readonly name: 'Shipdeck';
  readonly version: string;
  /** Which host serves the contract: the desktop app or the browser host. */
  readonly host: 'electron' | 'browser';
  readonly dataDir: string;
  readonly platform: string;
}

export interface ConnectionReport {
  readonly serverId: string;
  readonly login: string;
  readonly fingerprint: string;
  readonly algorithm: string;
  /** Time to open the SSH session (TCP, key exchange, authentication). */
  readonly connectMs: number;
}

export interface HostKeyScan {
  readonly serverId: string;
  readonly fingerprint: string;
  readonly algorithm: string;
  /** The fingerprint stored before, if any: a difference means the key changed. */
  readonly trusted?: string;
}

export interface DiagnosticStarted {
  readonly runId: string;
  readonly serverId: string;
  /** The exact command line the host runs. */
  readonly commandLine: string;
  readonly startedAt: string;
}

/** A Host block of an ssh config file, and whether the inventory has it already. */
export interface SshConfigCandidate extends SshConfigHost {
  readonly inInventory: boolean;
}

export interface SshConfigReading {
  readonly path: string;
  readonly hosts: readonly SshConfigCandidate[];
  /** Lines Shipdeck could not use (Include, Match), with their line numbers. */
  readonly warnings: readonly string[];
}

export interface SshImport {
  readonly added: readonly Server[];
  readonly skipped: readonly { readonly alias: string; readonly reason: string }[];
}

export interface KnownHostsImport {
  readonly path: string;
  readonly trusted: readonly { readonly serverId: string; readonly name: string; readonly fingerprint: string }[];
  /** Servers still without a trusted key, and why (not listed, another key listed, unreachable). */
  readonly notListed: readonly { readonly serverId: string; readonly name: string; readonly reason: string }[];
}

type Empty = Record<string, never>;

/** Request channels: name → request and response. */
export interface Channels {
  getAppInfo: { request: Empty; response: AppInfo };
  listServers: { request: Empty; response: readonly Server[] };
  addServer: { request: ServerDraft; response: Server };
  /** Change a server; a draft without a secret keeps the stored one. */
  updateServer: { request: { id: string; draft: ServerDraft }; response: Server };
  removeServer: { request: { id: string }; response: { removed: true } };
  /** Read the host key the server presents, without logging in. */
  scanHostKey: { request: { id: string }; response: HostKeyScan };
  /** Store the fingerprint the user confirmed (trust on first use). */
  /** Re-trusting a changed key also names the key it replaces and the server's name, typed by the person. */
  trustHostKey: {
    request: { id: string; fingerprint: string; replacing?: string; confirmName?: string };
    response: Server;
  };
  connectServer: { request: { id: string }; response: ConnectionReport };
  runDiagnostic: { request: { serverId: string; diagnostic: DiagnosticId }; response: DiagnosticStarted };
  listContainers: { request: { serverId: string }; response: readonly ContainerSummary[] };
  /** The last lines a container wrote (stdout and stderr, in order). */
  containerLogs: {
    request: { serverId: string; containerId: string; tail: number };
    response: { text: string; truncated: boolean };
  };
  restartContainer: { request: { serverId: string; containerId: string }; response: { restartedAt: string } };
  /** Read ~/.ssh/config (or the given file) to offer its hosts for import. */
  readSshConfig: { request: { path?: string }; response: SshConfigReading };
  importSshHosts: { request: { path?: string; aliases: string[] }; response: SshImport };
  /** Trust the host keys that ~/.ssh/known_hosts (or the given file) lists for servers not yet trusted. */
  importKnownHosts: { request: { path?: string }; response: KnownHostsImport };
  getFleetStatus: { request: Empty; response: FleetStatus };
  /** Refresh every server now; resolves when the refresh ends. */
  refreshFleet: { request: Empty; response: FleetStatus };
  getFleetSettings: { request: Empty; response: FleetSettings };
  updateFleetSettings: { request: FleetSettings; response: FleetSettings };
  listServices: { request: Empty; response: readonly ServiceEntry[] };
  /** Check a spec without saving it (the editor's live validation). */
  validateService: { request: { text: string }; response: { issues: readonly SpecIssue[] } };
  /** Save a valid spec as the service it names; an invalid one is refused with its issues. */
  saveService: { request: { text: string }; response: ServiceEntry };
  removeService: { request: { name: string }; response: { removed: true } };
  /** Give one of a service's `secrets` its value (kept encrypted; an empty value clears it). */
  setServiceSecret: { request: { service: string; name: string; value: string }; response: ServiceEntry };
  /** PREPARE: read every host and plan the release, changing nothing; the change's class sets its checklist and gates. */
  planRelease: {
    request: { service: string; environment: string; version: string; change?: ChangeInfo };
    response: RunPreview;
  };
  /**
   * Run the previewed plan exactly; resolves when the run has started. `by` is
   * the name of the person releasing; `overrides` let it start past gates the
   * preview met, each with a reason that is recorded.
   */
  startRun: {
    request: { previewId: string; notes: string; by?: string; overrides?: { gate: GateId; reason: string }[] };
    response: RunSummary;
  };
  /** Tick a manual checklist item, as a named person, with an optional note. */
  tickItem: { request: { runId: string; itemId: string; by: string; note?: string }; response: ChecklistItem };
  /** Skip a checklist item, with a reason (an automatic one too, when its evidence cannot be had). */
  waiveItem: { request: { runId: string; itemId: string; by: string; reason: string }; response: ChecklistItem };
  /** Go on past a stop gate the run met: needs a name and a reason, both recorded. */
  overrideGate: { request: { runId: string; key: string; by: string; reason: string }; response: GateRecord };
  /** Approve or reject a run, as a second named person, with a note; a rejection stops it. */
  decideApproval: {
    request: { runId: string; by: string; decision: 'approve' | 'reject'; note: string };
    response: Approval;
  };
  /** The final sign-off of an ended run; its sign-off checklist must be done. */
  signOffRun: { request: { runId: string; by: string; note: string }; response: SignOff };
  /** Freeze windows per environment (recurring or one-off). */
  getFreezeRules: { request: Empty; response: readonly FreezeRule[] };
  updateFreezeRules: { request: { rules: FreezeRule[] }; response: readonly FreezeRule[] };
  /** Keep the new release: stop releases beyond `retain`, free the lock. */
  confirmRun: { request: { runId: string }; response: RunSummary };
  /** Traffic back to the previous release on every switched host, verified; also ends an interrupted run. */
  rollbackRun: { request: { runId: string; reason: string }; response: RunSummary };
  listRuns: { request: Empty; response: readonly RunSummary[] };
  /** Continue an interrupted run: hosts not yet on the new release are deployed again, then VERIFY. */
  resumeRun: { request: { runId: string }; response: RunSummary };
  /** Free a service's deploy lock on every host of an environment; the reason is recorded on each host. */
  forceUnlock: {
    request: { service: string; environment: string; reason: string };
    response: { readonly hosts: readonly { readonly server: string; readonly heldBy?: string }[] };
  };
  getRun: { request: { runId: string }; response: RunRecord };
  /** Every sample a run's PREPARE and VERIFY took, baseline and candidate, for its charts (live or offline). */
  getRunSamples: {
    request: { runId: string };
    response: { readonly baseline: readonly Sample[]; readonly candidate: readonly Sample[] };
  };
  /** Judge a past run's samples again with other thresholds: advisory only, nothing is deployed or recorded. */
  judgeAgain: { request: { runId: string; thresholds: Thresholds }; response: Judgement };
  /** The run's report as a file: Markdown or HTML as text, the PDF (the HTML printed) as base64. */
  exportRunReport: {
    request: { runId: string; format: 'markdown' | 'html' | 'pdf' };
    response: { fileName: string; mimeType: string; text?: string; base64?: string };
  };
  /**
   * Follow a log: a run's output, a service's or a server's containers, or a file on a host.
   * The renderer names the stream (a fresh id), so no batch can arrive before it knows it;
   * the lines already there come first, then new ones, as `logBatch` events.
   */
  openLog: {
    request: { streamId: string; target: LogTarget };
    response: { streamId: string; title: string; capLines: number };
  };
  /** Stop following; the engine forgets the stream. */
  closeLog: { request: { streamId: string }; response: { closed: boolean } };
  getLogSettings: { request: Empty; response: LogSettings };
  updateLogSettings: { request: LogSettings; response: LogSettings };
  /** Check the local audit trail's hash chain: intact, or the first entry altered, missing or out of place. */
  listIncidents: { request: Empty; response: readonly IncidentSummary[] };
  getIncident: { request: { id: string }; response: Incident };
  /** DETECT: open an incident on a service's environment (the release live there is linked unless `causedBy` names one). */
  openIncident: {
    request: {
      title: string;
      severity: Severity;
      service: string;
      environment: string;
      detection: string;
      detectedAt?: string;
      causedBy?: string;
      by: string;
    };
    response: Incident;
  };
  /** ASSESS: read every host of the service's environment now: live release, running, health. */
  assessIncident: { request: { id: string; by: string }; response: Assessment };
  /** MITIGATE: roll the service back to the release live before the latest confirmed one (an emergency run, confirmed once VERIFY holds). */
  rollbackIncident: { request: { id: string; by: string }; response: { runId: string; version: string } };
  /** MITIGATE: restart a container (the renderer asks the person first). */
  restartForIncident: {
    request: { id: string; serverId: string; containerId: string; by: string };
    response: Incident;
  };
  /** MITIGATE: a diagnostic over SSH (container status, logs, systemctl, journalctl, disk, memory); its gist goes in the timeline. */
  diagnoseForIncident: {
    request: { id: string; serverId: string; diagnostic: IncidentDiagnostic; by: string };
    response: { commandLine: string; exitCode: number | null; output: string };
  };
  /** COMMUNICATE: record a status update as sent. */
  postIncidentUpdate: { request: { id: string; text: string; by: string }; response: Incident };
  noteIncident: { request: { id: string; step: IncidentStep; text: string; by: string }; response: Incident };
  /** RESOLVE: close the incident with a summary. */
  resolveIncident: { request: { id: string; summary: string; by: string }; response: Incident };
  /** POSTMORTEM: keep the text as written. */
  savePostmortem: { request: { id: string; text: string; by: string }; response: Incident };
  /** The incident as Markdown: facts, timeline, updates, postmortem. */
  exportIncident: { request: { id: string }; response: { fileName: string; text: string } };
  verifyAudit: { request: Empty; response: AuditVerification };
  /** The newest audit entries first, at most `limit`. */
  listAudit: { request: { limit: number }; response: readonly AuditEntry[] };
}

/** Events pushed from the engine to every renderer. */
export interface Events {
  diagnosticOutput: { runId: string; stream: 'stdout' | 'stderr'; text: string };
  diagnosticExit: {
    runId: string;
    exitCode: number | null;
    signal: string | null;
    durationMs: number;
    problem?: Problem;
  };
  /** One server's refresh ended. */
  serverStatus: ServerStatus;
  /** A fleet refresh started or ended. */
  fleetRefresh: { refreshing: boolean; refreshedAt?: string; tookMs?: number };
  /** The inventory changed (added, edited, removed, trusted), from any window. */
  inventoryChanged: { servers: readonly Server[] };
  /** A run moved: a phase or step changed state, or a step printed output. */
  runUpdate: RunUpdate;
  /** New lines of a log stream, at most every 50 ms (sent only to the window that opened it). */
  logBatch: LogBatch;
  /** A log stream's sources changed, one failed, or it ended. */
  logStatus: LogStatus;
  /** An incident changed (opened, a step taken, resolved), from any window or by Shipdeck. */
  incidentUpdate: Incident;
}

export type RunUpdate =
  | { readonly runId: string; readonly kind: 'status'; readonly status: RunStatus; readonly problem?: Problem }
  | { readonly runId: string; readonly kind: 'phase'; readonly phase: PhaseRecord }
  | { readonly runId: string; readonly kind: 'step'; readonly step: Omit<StepRecord, 'output'> }
  /** New samples (about every second) and the verification's state with its latest judgement. */
  | {
      readonly runId: string;
      readonly kind: 'verify';
      readonly baseline: readonly Sample[];
      readonly candidate: readonly Sample[];
      readonly verification: VerificationRecord;
    }
  /** A checklist item was ticked (by Shipdeck or a person), failed, or waived. */
  | { readonly runId: string; readonly kind: 'checklist'; readonly item: ChecklistItem }
  /** A stop gate was met, overridden or cleared. */
  | { readonly runId: string; readonly kind: 'gate'; readonly gate: GateRecord }
  | { readonly runId: string; readonly kind: 'approval'; readonly approval: Approval }
  | { readonly runId: string; readonly kind: 'sign-off'; readonly signOff: SignOff }
  /** The run paused (what it waits for) or went on (no waiting). */
  | { readonly runId: string; readonly kind: 'waiting'; readonly waiting?: Waiting };

export type Channel = keyof Channels;
export type EventName = keyof Events;
export type RequestOf<C extends Channel> = Channels[C]['request'];
export type ResponseOf<C extends Channel> = Channels[C]['response'];
export type EventOf<E extends EventName> = Events[E];

/** Every channel, at run time (the preload and the socket client build their methods from this). */
export const channelNames = [
  'getAppInfo',
  'listServers',
  'addServer',
  'removeServer',
  'scanHostKey',
  'trustHostKey',
  'connectServer',
  'runDiagnostic',
  'listContainers',
  'updateServer',
  'containerLogs',
  'restartContainer',
  'readSshConfig',
  'importSshHosts',
  'importKnownHosts',
  'getFleetStatus',
  'refreshFleet',
  'getFleetSettings',
  'updateFleetSettings',
  'listServices',
  'validateService',
  'saveService',
  'removeService',
  'setServiceSecret',
  'planRelease',
  'startRun',
  'confirmRun',
  'rollbackRun',
  'listRuns',
  'getRun',
  'getRunSamples',
  'judgeAgain',
  'exportRunReport',
  'forceUnlock',
  'resumeRun',
  'tickItem',
  'waiveItem',
  'overrideGate',
  'decideApproval',
  'signOffRun',
  'getFreezeRules',
  'updateFreezeRules',
  'openLog',
  'closeLog',
  'getLogSettings',
  'updateLogSettings',
  'listIncidents',
  'getIncident',
  'openIncident',
  'assessIncident',
  'rollbackIncident',
  'restartForIncident',
  'diagnoseForIncident',
  'postIncidentUpdate',
  'noteIncident',
  'resolveIncident',
  'savePostmortem',
  'exportIncident',
  'verifyAudit',
  'listAudit',
] as const satisfies readonly Channel[];

export const eventNames = [
  'diagnosticOutput',
  'diagnosticExit',
  'serverStatus',
  'fleetRefresh',
  'inventoryChanged',
  'runUpdate',
  'logBatch',
  'logStatus',
  'incidentUpdate',
] as const satisfies readonly EventName[];

// Compile-time proof that the run-time lists name every channel and event.
type Missing<All, Listed> = Exclude<All, Listed>;
const everyChannelListed: Missing<Channel, (typeof channelNames)[number]> extends never ? true : never = true;
const everyEventListed: Missing<EventName, (typeof eventNames)[number]> extends never ? true : never = true;
void everyChannelListed;
void everyEventListed;

/** What a transport carries back for a request: a value or a problem, never a thrown stack. */
export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem };

/** The raw bridge each host provides: one method per channel, returning a Reply. */
export type Bridge = { readonly [C in Channel]: (request: RequestOf<C>) => Promise<Reply<ResponseOf<C>>> } & {
  readonly subscribe: <E extends EventName>(event: E, listener: (payload: EventOf<E>) => void) => () => void;
};

/** The api the renderer uses: one method per channel that resolves with the value or throws a ProblemError. */
export type Api = { readonly [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> } & {
  readonly on: <E extends EventName>(event: E, listener: (payload: EventOf<E>) => void) => () => void;
};

/** Prefix of every IPC channel, so main can reject anything else. */
export const ipcPrefix = 'shipdeck:';

/** Is this string one of the contract's channels? */
export function isChannel(name: string): name is Channel {
  return (channelNames as readonly string[]).includes(name);
}
