import { changeClasses } from '../../shared/checklist';
import { gateIds } from '../../shared/gates';
import { freezeRuleProblems } from '../../shared/freeze';
import { incidentDiagnostics, incidentSteps, severities } from '../../shared/incident';
import { z } from 'zod';
import type { Channel, RequestOf } from '../../shared/contract';
import { diagnosticIds } from '../../shared/diagnostics';
import { fleetSettingsLimits } from '../../shared/fleet-status';
import { logSettingsLimits } from '../../shared/log';
import type { Problem } from '../../shared/problem';
import { maxSpecBytes, specSizeIssue } from '../../shared/service-spec';

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/, 'must be an id Shipdeck gave out');
const empty = z.strictObject({});

const serverDraft = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may hold letters, digits, dot, dash and underscore'),
  host: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(253)
    .regex(
      /^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/,
      'must be a host name or an IP address',
    ),
  port: z.number().int('must be a whole number').min(1, 'must be 1 to 65535').max(65535, 'must be 1 to 65535'),
  user: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(32)
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'must be a login name'),
  auth: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('key'),
      keyPath: z.string().trim().min(1, 'is required').max(4096),
      secret: z.string().max(1024).optional(),
    }),
    z.strictObject({ kind: z.literal('agent') }),
    z.strictObject({ kind: z.literal('password'), secret: z.string().max(1024).optional() }),
  ]),
  environment: z
    .string()
    .trim()
    .max(32)
    .regex(/^[A-Za-z0-9_-]*$/, 'may hold letters, digits, dash and underscore'),
  labels: z
    .array(
      z
        .string()
        .trim()
        .max(64)
        .regex(/^[A-Za-z0-9._:=-]*$/, 'may hold letters, digits and . _ : = -'),
    )
    .max(32),
  dockerSocket: z
    .string()
    .trim()
    .max(1024)
    .regex(/^(\/.*)?$/, 'must be an absolute path, or empty to ask the host'),
  jumpServerId: id.optional(),
  proxy: z
    .strictObject({
      upstreamFile: z
        .string()
        .trim()
        .max(1024)
        .regex(/^(\/.*)?$/, 'must be an absolute path (use {service} for the service name), or empty for the default'),
      reload: z.string().trim().max(1024),
    })
    .optional(),
});

const specText = z
  .string()
  .refine((text) => specSizeIssue(text) === undefined, { message: `must be at most ${maxSpecBytes / 1024} KiB` });
const serviceName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a service name');
const runId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be a run id');
const containerRef = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a container name or id');
const filePath = z.string().trim().max(4096).optional();
const sha256Fingerprint = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be a SHA256 fingerprint as OpenSSH prints it');
const { minRefreshMs, maxRefreshMs, minParallelism, maxParallelism } = fleetSettingsLimits;
const fleetSettings = z.strictObject({
  refreshMs: z
    .number()
    .int()
    .refine(
      (n) => n === 0 || (n >= minRefreshMs && n <= maxRefreshMs),
      `must be 0 (paused) or ${minRefreshMs / 1000} to ${maxRefreshMs / 1000} seconds`,
    ),
  parallelism: z
    .number()
    .int('must be a whole number')
    .min(minParallelism, `must be at least ${minParallelism}`)
    .max(maxParallelism, `must be at most ${maxParallelism}`),
});

const streamId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'must be a fresh id of 8 to 64 letters, digits and dashes');
const tail = z
  .number()
  .int('must be a whole number')
  .min(0, 'must be 0 or more')
  .max(100_000, 'must be at most 100000');
const sinceSeconds = z
  .number()
  .int()
  .min(1)
  .max(30 * 24 * 3600, 'must be at most 30 days')
  .optional();
// Without either, a container's whole history would come: ask for a tail or a time.
const tailOrSince = (target: { tail?: number; sinceSeconds?: number }) =>
  target.tail !== undefined || target.sinceSeconds !== undefined;
const tailOrSinceMessage = {
  message: 'needs tail (the last lines) or sinceSeconds (everything since then)',
  path: ['tail'],
};
const logTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('run'), runId }),
  z
    .strictObject({
      kind: z.literal('service'),
      service: serviceName,
      environment: z
        .string()
        .min(1)
        .max(32)
        .regex(/^[A-Za-z0-9_-]+$/, 'must be an environment name of the spec'),
      tail: tail.optional(),
      sinceSeconds,
    })
    .refine(tailOrSince, tailOrSinceMessage),
  z
    .strictObject({
      kind: z.literal('server'),
      serverId: id,
      containers: z.array(containerRef).max(64).optional(),
      tail: tail.optional(),
      sinceSeconds,
    })
    .refine(tailOrSince, tailOrSinceMessage),
  z.strictObject({
    kind: z.literal('file'),
    serverId: id,
    path: z
      .string()
      .trim()
      .min(2)
      .max(4096)
      .regex(/^\/[^\0\n]*$/, 'must be an absolute path on the host'),
    tail,
  }),
]);
const share = z.number().min(0, 'must be a share from 0 to 1').max(1, 'must be a share from 0 to 1');
const thresholds = z.strictObject({
  errorRate: z.strictObject({ investigate: share, rollback: share }).refine((r) => r.investigate <= r.rollback, {
    message: 'investigate must not be above rollback',
    path: ['investigate'],
  }),
  latencyMs: z.strictObject({ p95: z.number().int().min(1).max(600_000), max: z.number().int().min(1).max(600_000) }),
  degradation: share,
  degradationFloorMs: z.number().min(0).max(60_000),
  healthFailures: z.number().int().min(1).max(100),
  consecutiveErrors: z.number().int().min(1).max(100),
  alpha: z.number().gt(0, 'must be above 0').max(0.5, 'must be at most 0.5'),
});
const { minCapLines, maxCapLines } = logSettingsLimits;
const logSettings = z.strictObject({
  capLines: z
    .number()
    .int('must be a whole number')
    .min(minCapLines, `must be at least ${minCapLines}`)
    .max(maxCapLines, `must be at most ${maxCapLines}`),
});

/** The run-time schema of every channel's request, checked against the contract's types. */
const person = z.string().trim().min(1, 'give your name').max(80);
const reason = z.string().trim().min(3, 'say why').max(1000);
const itemId = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be a checklist item id');
const change = z.strictObject({
  class: z.enum(changeClasses).optional(),
  impact: z.string().trim().max(1000).optional(),
  ci: z.string().trim().max(1000).optional(),
  database: z.boolean().optional(),
});
const incidentId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be an incident id');
const said = (what: string, max = 4000) => z.string().trim().min(1, `say ${what}`).max(max);
const freezeRuleId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
const freezeRule = z
  .discriminatedUnion('kind', [
    z.strictObject({
      id: freezeRuleId,
      kind: z.literal('weekly'),
      environment: z.string(),
      label: z.string().max(100),
      days: z.array(z.number().int()).max(7),
      from: z.string().max(5),
      to: z.string().max(5),
    }),
    z.strictObject({
      id: freezeRuleId,
      kind: z.literal('once'),
      environment: z.string(),
      label: z.string().max(100),
      from: z.string().max(16),
      to: z.string().max(16),
    }),
  ])
  .superRefine((rule, ctx) => {
    for (const problem of freezeRuleProblems(rule)) {
      const [field, ...message] = problem.split(': ');
      ctx.addIssue({ code: 'custom', path: [field!], message: message.join(': ') });
    }
  });

export const requestSchemas: { [C in Channel]: z.ZodType<RequestOf<C>> } = {
  getAppInfo: empty as z.ZodType<RequestOf<'getAppInfo'>>,
  listServers: empty as z.ZodType<RequestOf<'listServers'>>,
  addServer: serverDraft,
  removeServer: z.strictObject({ id }),
  scanHostKey: z.strictObject({ id }),
  trustHostKey: z.strictObject({
    id,
    fingerprint: sha256Fingerprint,
    replacing: sha256Fingerprint.optional(),
    confirmName: z.string().max(200).optional(),
  }),
  connectServer: z.strictObject({ id }),
  runDiagnostic: z.strictObject({
    serverId: id,
    diagnostic: z.enum(diagnosticIds as [string, ...string[]]) as z.ZodType<RequestOf<'runDiagnostic'>['diagnostic']>,
  }),
  listContainers: z.strictObject({ serverId: id }),
  updateServer: z.strictObject({ id, draft: serverDraft }),
  containerLogs: z.strictObject({
    serverId: id,
    containerId: containerRef,
    tail: z.number().int().min(1).max(100_000),
  }),
  restartContainer: z.strictObject({ serverId: id, containerId: containerRef }),
  readSshConfig: z.strictObject({ path: filePath }),
  importSshHosts: z.strictObject({
    path: filePath,
    aliases: z.array(z.string().min(1).max(255)).min(1, 'name at least one host').max(500),
  }),
  importKnownHosts: z.strictObject({ path: filePath }),
  getFleetStatus: empty as z.ZodType<RequestOf<'getFleetStatus'>>,
  refreshFleet: empty as z.ZodType<RequestOf<'refreshFleet'>>,
  getFleetSettings: empty as z.ZodType<RequestOf<'getFleetSettings'>>,
  updateFleetSettings: fleetSettings,
  listServices: empty as z.ZodType<RequestOf<'listServices'>>,
  validateService: z.strictObject({ text: specText }),
  saveService: z.strictObject({ text: specText }),
  removeService: z.strictObject({ name: serviceName }),
  setServiceSecret: z.strictObject({
    service: serviceName,
    name: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name')
      .max(128),
    value: z.string().max(16 * 1024, 'must be at most 16 KB'),
  }),
  planRelease: z.strictObject({
    service: serviceName,
    environment: z
      .string()
      .min(1)
      .max(32)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be an environment name of the spec'),
    version: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(128)
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'must be an image tag (letters, digits, _ . -)'),
    change: change.optional(),
  }),
  startRun: z.strictObject({
    previewId: id,
    notes: z.string().max(4000),
    by: person.optional(),
    overrides: z
      .array(z.strictObject({ gate: z.enum(gateIds), reason }))
      .max(gateIds.length)
      .optional(),
  }),
  tickItem: z.strictObject({ runId, itemId, by: person, note: z.string().trim().max(1000).optional() }),
  waiveItem: z.strictObject({ runId, itemId, by: person, reason }),
  overrideGate: z.strictObject({
    runId,
    key: z
      .string()
      .min(1)
      .max(80)
      .regex(/^[a-z0-9-]+$/, 'must be a gate key of the run'),
    by: person,
    reason,
  }),
  decideApproval: z.strictObject({
    runId,
    by: person,
    decision: z.enum(['approve', 'reject']),
    note: z.string().trim().max(1000),
  }),
  signOffRun: z.strictObject({ runId, by: person, note: z.string().trim().max(1000) }),
  getFreezeRules: empty as z.ZodType<RequestOf<'getFreezeRules'>>,
  updateFreezeRules: z.strictObject({ rules: z.array(freezeRule).max(100) }) as z.ZodType<
    RequestOf<'updateFreezeRules'>
  >,
  confirmRun: z.strictObject({ runId }),
  rollbackRun: z.strictObject({ runId, reason: z.string().trim().min(1, 'say why').max(1000) }),
  listRuns: empty as z.ZodType<RequestOf<'listRuns'>>,
  getRun: z.strictObject({ runId }),
  getRunSamples: z.strictObject({ runId }),
  judgeAgain: z.strictObject({ runId, thresholds }),
  exportRunReport: z.strictObject({ runId, format: z.enum(['markdown', 'html', 'pdf']) }),
  resumeRun: z.strictObject({ runId }),
  openLog: z.strictObject({ streamId, target: logTarget }) as z.ZodType<RequestOf<'openLog'>>,
  closeLog: z.strictObject({ streamId }),
  getLogSettings: empty as z.ZodType<RequestOf<'getLogSettings'>>,
  updateLogSettings: logSettings,
  listIncidents: empty as z.ZodType<RequestOf<'listIncidents'>>,
  getIncident: z.strictObject({ id: incidentId }),
  openIncident: z.strictObject({
    title: said('what is wrong', 200),
    severity: z.enum(severities),
    service: serviceName,
    environment: z
      .string()
      .min(1)
      .max(32)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be an environment name of the spec'),
    detection: said('how it was noticed', 1000),
    detectedAt: z.iso
      .datetime({ offset: true, message: 'must be a date and time, such as 2026-12-01T09:30:00Z' })
      .optional(),
    causedBy: runId.optional(),
    by: person,
  }),
  assessIncident: z.strictObject({ id: incidentId, by: person }),
  rollbackIncident: z.strictObject({ id: incidentId, by: person }),
  restartForIncident: z.strictObject({ id: incidentId, serverId: id, containerId: containerRef, by: person }),
  diagnoseForIncident: z.strictObject({
    id: incidentId,
    serverId: id,
    diagnostic: z.enum(incidentDiagnostics),
    by: person,
  }),
  postIncidentUpdate: z.strictObject({ id: incidentId, text: said('what to tell'), by: person }),
  noteIncident: z.strictObject({
    id: incidentId,
    step: z.enum(incidentSteps),
    text: said('what happened'),
    by: person,
  }),
  resolveIncident: z.strictObject({ id: incidentId, summary: said('how it was resolved', 2000), by: person }),
  savePostmortem: z.strictObject({
    id: incidentId,
    text: z.string().max(200_000, 'must be at most 200 KB'),
    by: person,
  }),
  exportIncident: z.strictObject({ id: incidentId }),
  verifyAudit: empty as z.ZodType<RequestOf<'verifyAudit'>>,
  listAudit: z.strictObject({
    limit: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
  }),
  forceUnlock: z.strictObject({
    service: serviceName,
    environment: z
      .string()
      .min(1)
      .max(32)
      .regex(/^[A-Za-z0-9_-]+$/),
    reason: z.string().trim().min(3, 'say why the lock is abandoned').max(1000),
  }),
};

/** Validate a request; on failure, a problem naming the channel and the first bad field. */
export function parseRequest<C extends Channel>(
  channel: C,
  raw: unknown,
): { ok: true; value: RequestOf<C> } | { ok: false; problem: Problem } {
  const result = requestSchemas[channel].safeParse(raw ?? {});
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || 'request'} ${issue.message}`);
  const first = result.error.issues[0];
  return {
    ok: false,
    problem: {
      code: 'bad-request',
      message: `Invalid ${channel} request: ${issues.join('; ')}`,
      where: first && first.path.length ? first.path.join('.') : channel,
      hint: 'Correct the field and try again.',
    },
  };
}
