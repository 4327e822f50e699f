import type { AuditRecord } from '../../../shared/audit';
import type { Channel, RequestOf, ResponseOf, RunUpdate } from '../../../shared/contract';
import { commandLine } from '../../../shared/commands/command';
import { diagnostics } from '../../../shared/diagnostics';
import type { Problem } from '../../../shared/problem';
import type { ServerDraft } from '../../../shared/server';

/** What an entry says about an action, before who, when and the result are added. */
export interface ActionDescription {
  readonly where: string;
  readonly target?: string;
  readonly detail?: string;
  readonly by?: string;
}

/** What a description may need to know: names, since requests carry ids. */
export interface DescribeContext {
  /** The server's name (read before the request runs, so a removed server is still named). */
  serverName(id: string): string;
  /** The service a spec text names. */
  specName(text: string): string;
}

/**
 * How a channel is recorded: described from its request (only fields that
 * can hold no secret are read), and optionally completed from its answer.
 */
interface Audited<C extends Channel> {
  describe(request: RequestOf<C>, context: DescribeContext): ActionDescription;
  outcome?(response: ResponseOf<C>): { readonly where?: string; readonly detail?: string };
}

const run = ({ runId }: { runId: string }): ActionDescription => ({ where: runId });
const server = ({ id }: { id: string }, context: DescribeContext): ActionDescription => ({
  where: context.serverName(id),
});
const login = (draft: ServerDraft) =>
  `${draft.user}@${draft.host}:${draft.port} (${draft.auth.kind}), environment ${draft.environment || 'none'}`;

/**
 * Every channel, recorded or a read. Recorded: whatever changes something
 * here or on a host, and whatever runs something on a host or logs in to it
 * (connect, a host-key scan, a diagnostic, planning a release). Reads are
 * not: getters, lists, validation, following logs, reading what a host
 * already told (containers, their logs, a fleet refresh), and judging a
 * past run again, which is advisory. A new channel must be placed here.
 */
const auditedChannels: { readonly [C in Channel]: Audited<C> | 'read' } = {
  getAppInfo: 'read',
  listServers: 'read',
  addServer: { describe: (draft) => ({ where: draft.name, detail: login(draft) }) },
  updateServer: {
    describe: ({ id, draft }, context) => ({
      where: context.serverName(id),
      detail: `${draft.name}: ${login(draft)}${draft.auth.kind === 'agent' ? '' : draft.auth.secret ? ', secret changed' : ', secret kept'}`,
    }),
  },
  removeServer: { describe: server },
  scanHostKey: { describe: server, outcome: (scan) => ({ detail: `presents ${scan.fingerprint}` }) },
  trustHostKey: {
    describe: ({ id, fingerprint, replacing }, context) => ({
      where: context.serverName(id),
      detail: replacing ? `re-trusted ${fingerprint} in place of ${replacing}` : fingerprint,
    }),
  },
  connectServer: { describe: server, outcome: (report) => ({ detail: `${report.login}, ${report.fingerprint}` }) },
  runDiagnostic: {
    describe: ({ serverId, diagnostic }, context) => ({
      where: context.serverName(serverId),
      target: diagnostic,
      detail: commandLine(diagnostics[diagnostic].command),
    }),
  },
  listContainers: 'read',
  containerLogs: 'read',
  restartContainer: {
    describe: ({ serverId, containerId }, context) => ({ where: context.serverName(serverId), target: containerId }),
  },
  readSshConfig: 'read',
  importSshHosts: {
    describe: ({ path, aliases }) => ({ where: path ?? '~/.ssh/config', detail: `asked for ${aliases.join(', ')}` }),
    outcome: (result) => ({ detail: `added ${result.added.map((s) => s.name).join(', ') || 'none'}` }),
  },
  importKnownHosts: {
    describe: ({ path }) => ({ where: path ?? '~/.ssh/known_hosts' }),
    outcome: (result) => ({
      detail: `trusted ${result.trusted.map((t) => `${t.name} ${t.fingerprint}`).join(', ') || 'none'}`,
    }),
  },
  getFleetStatus: 'read',
  refreshFleet: 'read',
  getFleetSettings: 'read',
  updateFleetSettings: {
    describe: (settings) => ({
      where: 'settings',
      target: 'fleet',
      detail: `refresh every ${settings.refreshMs} ms, ${settings.parallelism} hosts at once`,
    }),
  },
  listServices: 'read',
  validateService: 'read',
  saveService: { describe: ({ text }, context) => ({ where: context.specName(text) }) },
  removeService: { describe: ({ name }) => ({ where: name }) },
  // The value is never read: only whether one was set.
  setServiceSecret: {
    describe: ({ service, name, value }) => ({ where: service, target: name, detail: value ? 'set' : 'cleared' }),
  },
  planRelease: {
    describe: ({ service, environment, version, change }) => ({
      where: `${service}/${environment}`,
      detail: `version ${version}${change?.class ? `, ${change.class} change` : ''}${change?.database ? ', database change' : ''}`,
    }),
    outcome: (preview) => ({
      detail: `preview ${preview.previewId} on ${preview.hosts.map((h) => h.server).join(', ')}`,
    }),
  },
  startRun: {
    describe: ({ previewId, notes, by, overrides }) => ({
      where: `preview ${previewId}`,
      ...(by ? { by } : {}),
      detail: [notes && `notes: ${notes}`, ...(overrides ?? []).map((o) => `override ${o.gate}: ${o.reason}`)]
        .filter(Boolean)
        .join('; '),
    }),
    outcome: (summary) => ({
      where: summary.id,
      detail: `${summary.service} ${summary.version} to ${summary.environment}`,
    }),
  },
  tickItem: {
    describe: ({ runId, itemId, by, note }) => ({
      where: runId,
      target: itemId,
      by,
      ...(note ? { detail: note } : {}),
    }),
  },
  waiveItem: { describe: ({ runId, itemId, by, reason }) => ({ where: runId, target: itemId, by, detail: reason }) },
  overrideGate: { describe: ({ runId, key, by, reason }) => ({ where: runId, target: key, by, detail: reason }) },
  decideApproval: {
    describe: ({ runId, by, decision, note }) => ({
      where: runId,
      target: decision,
      by,
      ...(note ? { detail: note } : {}),
    }),
  },
  signOffRun: { describe: ({ runId, by, note }) => ({ where: runId, by, ...(note ? { detail: note } : {}) }) },
  getFreezeRules: 'read',
  updateFreezeRules: {
    describe: ({ rules }) => ({
      where: 'settings',
      target: 'freeze windows',
      detail: `${rules.length} ${rules.length === 1 ? 'rule' : 'rules'}${rules.length ? `: ${rules.map((r) => `${r.label || r.id} (${r.environment})`).join(', ')}` : ''}`,
    }),
  },
  confirmRun: { describe: run },
  rollbackRun: { describe: ({ runId, reason }) => ({ where: runId, detail: reason }) },
  listRuns: 'read',
  getRun: 'read',
  getRunSamples: 'read',
  judgeAgain: 'read',
  // Writes nothing and touches no host: the file goes to whoever asked.
  exportRunReport: 'read',
  resumeRun: { describe: run },
  forceUnlock: {
    describe: ({ service, environment, reason }) => ({ where: `${service}/${environment}`, detail: reason }),
    outcome: (result) => ({
      detail: `freed on ${result.hosts.map((h) => (h.heldBy ? `${h.server} (held by ${h.heldBy})` : h.server)).join(', ')}`,
    }),
  },
  openLog: 'read',
  closeLog: 'read',
  getLogSettings: 'read',
  updateLogSettings: {
    describe: (settings) => ({ where: 'settings', target: 'logs', detail: `keep ${settings.capLines} lines per log` }),
  },
  listIncidents: 'read',
  getIncident: 'read',
  openIncident: {
    describe: ({ title, severity, service, environment, detection, by }) => ({
      where: `${service}/${environment}`,
      target: severity,
      by,
      detail: clip(`${title}: ${detection}`),
    }),
    outcome: (incident) => ({ where: incident.id }),
  },
  assessIncident: {
    describe: ({ id, by }) => ({ where: id, by }),
    outcome: (assessment) => ({ detail: clip(assessment.summary) }),
  },
  rollbackIncident: {
    describe: ({ id, by }) => ({ where: id, by }),
    outcome: (result) => ({ detail: `rollback to ${result.version}, run ${result.runId}` }),
  },
  restartForIncident: {
    describe: ({ id, serverId, containerId, by }, context) => ({
      where: `${id} on ${context.serverName(serverId)}`,
      target: containerId,
      by,
    }),
  },
  diagnoseForIncident: {
    describe: ({ id, serverId, diagnostic, by }, context) => ({
      where: `${id} on ${context.serverName(serverId)}`,
      target: diagnostic,
      by,
    }),
    outcome: (result) => ({ detail: `${result.commandLine}: exit ${result.exitCode}` }),
  },
  postIncidentUpdate: { describe: ({ id, text, by }) => ({ where: id, by, detail: clip(text) }) },
  noteIncident: { describe: ({ id, step, text, by }) => ({ where: id, target: step, by, detail: clip(text) }) },
  resolveIncident: { describe: ({ id, summary, by }) => ({ where: id, by, detail: clip(summary) }) },
  savePostmortem: { describe: ({ id, text, by }) => ({ where: id, by, detail: `${text.length} characters` }) },
  exportIncident: 'read',
  verifyAudit: 'read',
  listAudit: 'read',
};

/** A request as the trail will record it, once its result is known. */
export interface PendingAction {
  readonly action: Channel;
  readonly description: ActionDescription;
  readonly outcome?: (response: unknown) => { readonly where?: string; readonly detail?: string };
}

/** How a request is recorded, or undefined for a read. Call it before the request runs. */
export function pendingAction(channel: Channel, request: unknown, context: DescribeContext): PendingAction | undefined {
  const audited = auditedChannels[channel] as Audited<Channel> | 'read';
  if (audited === 'read') return undefined;
  return {
    action: channel,
    description: audited.describe(request as never, context),
    ...(audited.outcome
      ? { outcome: audited.outcome as (response: unknown) => { where?: string; detail?: string } }
      : {}),
  };
}

/** Long texts (notes, reasons) are cut: an entry is a line someone reads. */
const clip = (text: string, max = 400) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The entry for a request that ran: its description, completed from the
 * answer when it succeeded, and the result. Every text goes through `redact`.
 */
export function requestRecord(
  pending: PendingAction,
  reply: { ok: true; value: unknown } | { ok: false; problem: Problem },
  who: string,
  redact: (text: string) => string,
): AuditRecord {
  const more = reply.ok && pending.outcome ? pending.outcome(reply.value) : {};
  const { where, target, detail, by } = pending.description;
  const details = [detail, more.detail].filter((d): d is string => Boolean(d)).join('; ');
  return textRecord(
    {
      at: new Date().toISOString(),
      who,
      ...(by ? { by } : {}),
      where: more.where ?? where,
      action: pending.action,
      ...(target ? { target } : {}),
      ...(details ? { detail: details } : {}),
      ...(reply.ok ? { result: 'ok' } : { result: reply.problem.code, message: reply.problem.message }),
    },
    redact,
  );
}

/**
 * The entry for what a run did by itself: a phase starting or ending (deploy
 * started, done; rolled back) or its status changing (confirmed, rolled back
 * by Shipdeck, failed). Other updates (steps, samples, checklist ticks) are
 * left to the run's journal, or are recorded as the request that caused them.
 */
export function runRecord(update: RunUpdate, who: string, redact: (text: string) => string): AuditRecord | undefined {
  const at = new Date().toISOString();
  if (update.kind === 'phase')
    return textRecord(
      {
        at,
        who,
        where: update.runId,
        action: 'run-phase',
        target: update.phase.phase,
        detail: `${update.phase.phase} ${update.phase.state}`,
        result: update.phase.state === 'failed' ? 'command-failed' : 'ok',
      },
      redact,
    );
  if (update.kind === 'status') {
    const { problem } = update;
    return textRecord(
      {
        at,
        who,
        where: update.runId,
        action: 'run-status',
        target: update.status,
        ...(problem ? { result: problem.code, message: problem.message } : { result: 'ok' }),
      },
      redact,
    );
  }
  return undefined;
}

function textRecord(record: AuditRecord, redact: (text: string) => string): AuditRecord {
  const clean = (text: string | undefined) => (text === undefined ? undefined : clip(redact(text)));
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, typeof v === 'string' ? clean(v) : v]),
  ) as unknown as AuditRecord;
}
