import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type {
  BackupSpec,
  HealthcheckSpec,
  ServiceSpec,
  SpecIssue,
  SpecResult,
  StrategySpec,
  VerificationSpec,
} from '../../../shared/service-spec';
import { defaultThresholds, defaultVerify, type Thresholds, type VerifySpec } from '../../../shared/verify';
import { builtInTemplates, sections, type ChecklistChanges, type ChecklistSpec } from '../../../shared/checklist';

// Reads a service's YAML spec. Every reader carries the YAML node it reads, so each issue can name
// the line and column of the offending value, and the reader keeps going so that one pass shows
// every issue rather than the first.

const topLevelFields = [
  'service',
  'image',
  'port',
  'servers',
  'proxy',
  'healthcheck',
  'strategy',
  'retain',
  'backup',
  'hooks',
  'env',
  'secrets',
  'metrics',
  'thresholds',
  'verify',
  'staging',
  'checklist',
] as const;
const healthcheckFields = ['path', 'status', 'interval', 'timeout', 'retries'] as const;

const defaultHealthcheck: HealthcheckSpec = {
  path: '/',
  status: 200,
  intervalMs: 1_000,
  timeoutMs: 5_000,
  retries: 30,
};
const defaultStrategy: StrategySpec = { kind: 'blue-green' };
const defaultRetain = 3;
/** A health check waiting longer than this between tries, or for one try, is a typo rather than a plan. */
const maxDurationMs = 60 * 60_000;

const serviceName = /^[a-z0-9][a-z0-9-]{0,62}$/;
const serverName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const environmentName = /^[A-Za-z0-9_-]+$/;
const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Docker's reference grammar (distribution/reference), name part only: [domain[:port]/]component(/component)*.
const domainPart = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const pathPart = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const imageName = new RegExp(`^(?:${domainPart}(?:\\.${domainPart})*(?::[0-9]+)?/)?${pathPart}(?:/${pathPart})*$`);
// `cmd > /path` at the very end: not `>>` (an append may leave an old, non-empty file), not `2>` or `&>`.
const redirectAtEnd = /(?:^|[^0-9&>|])>\s*(?:"([^"]+)"|'([^']+)'|([^\s"'<>|&;]+))\s*$/;

/** Reads a service spec's YAML into a validated `ServiceSpec`, or every issue found, each with file, line, column and field. */
export function readServiceSpec(text: string, file: string): SpecResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const ctx: Context = { file, doc, lines, issues: [] };

  // A broken document can read as anything; its syntax errors are the only reliable news.
  for (const error of doc.errors) report(ctx, error.pos[0], '', `invalid YAML: ${error.message}`);
  if (ctx.issues.length > 0) return { ok: false, issues: ctx.issues };

  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    report(ctx, 0, '', 'the spec is empty; expected a mapping with at least service, image, port and servers');
    return { ok: false, issues: ctx.issues };
  }
  const start = startOf(contents, 0);
  const spec = readSpec(ctx, { path: '', node: resolve(ctx, contents), at: start, keyAt: start, missing: false });
  const issues = [...ctx.issues].sort((a, b) => a.line - b.line || a.column - b.column);
  return spec && issues.length === 0 ? { ok: true, spec } : { ok: false, issues };
}

/** One issue as a line a person can jump to: `file:line:column: field: message`. */
export function describeSpecIssue(issue: SpecIssue): string {
  const field = issue.field ? `${issue.field}: ` : '';
  return `${issue.file}:${issue.line}:${issue.column}: ${field}${issue.message}`;
}

interface Context {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  readonly issues: SpecIssue[];
}

/** A place in the spec being read: its dotted path, its value, and where to point when it is wrong. */
interface Field {
  readonly path: string;
  /** The value, through aliases; undefined when the field is missing or left empty. */
  readonly node: Node | undefined;
  /** Source offset of the value, or of the key when the value is empty, or of the parent's key when the field is missing. */
  readonly at: number;
  /** Source offset of the key holding this value (a list item's own start), for fields missing inside it. */
  readonly keyAt: number;
  readonly missing: boolean;
}

function readSpec(ctx: Context, root: Field): ServiceSpec | undefined {
  const fields = readMapping(ctx, root, 'a mapping of fields such as service, image, port and servers', topLevelFields);
  if (!fields) return undefined;
  const field = (name: string): Field => fields.get(name) ?? absent(root, name);

  const service = readServiceName(ctx, field('service'));
  const image = readImage(ctx, field('image'));
  const port = readInteger(ctx, field('port'), 1, 65535);
  const servers = readServers(ctx, field('servers'));
  const proxy = optional(field('proxy'), (f) => readProxy(ctx, f), 'nginx');
  const healthcheck = optional(field('healthcheck'), (f) => readHealthcheck(ctx, f), defaultHealthcheck);
  const strategy = optional(field('strategy'), (f) => readStrategy(ctx, f), defaultStrategy);
  const retain = optional(field('retain'), (f) => readInteger(ctx, f, 1, 20), defaultRetain);
  const backup = optional(field('backup'), (f) => readBackup(ctx, f), []);
  const hooks = optional(field('hooks'), (f) => readHooks(ctx, f), { preDeploy: [], postDeploy: [] });
  const env = optional(field('env'), (f) => readEnv(ctx, f), {});
  const secrets = optional(field('secrets'), (f) => readSecretNames(ctx, f, env), []);
  // Metrics turn VERIFY into a judged one; thresholds and verify tune it (and mean nothing without metrics).
  const metrics = field('metrics');
  const verification =
    metrics.missing || metrics.node === undefined
      ? undefined
      : readVerification(ctx, metrics, field('thresholds'), field('verify'));

  // Production waits for staging by default when there is a staging to pass on.
  const staging = optional(
    field('staging'),
    (f) => readChoice(ctx, f, ['required', 'optional'] as const),
    servers && 'staging' in servers ? 'required' : 'optional',
  );
  const checklist = field('checklist').node === undefined ? undefined : readChecklist(ctx, field('checklist'), servers);

  if (service === undefined || image === undefined || port === undefined || servers === undefined) return undefined;
  return {
    service,
    image,
    port,
    servers,
    proxy,
    healthcheck,
    strategy,
    retain,
    backup,
    hooks,
    env,
    secrets,
    ...(verification ? { verification } : {}),
    staging,
    ...(checklist ? { checklist } : {}),
  };
}

// ---- Field readers: each reports what it found against what it expects, and returns undefined then.

function readServiceName(ctx: Context, field: Field): string | undefined {
  const name = textOf(field.node);
  if (name === undefined || !serviceName.test(name)) {
    return expected(
      ctx,
      field,
      'a service name of lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters',
    );
  }
  return name;
}

function readImage(ctx: Context, field: Field): string | undefined {
  const image = textOf(field.node);
  if (image === undefined) return expected(ctx, field, 'a Docker image name such as "shop/web"');
  const digest = image.indexOf('@');
  if (digest >= 0) {
    return expected(
      ctx,
      field,
      'an image name without a digest',
      `the version comes from the release, so write ${JSON.stringify(image.slice(0, digest))}`,
    );
  }
  // A colon after the last slash starts a tag; one before it is a registry's port.
  const tag = image.indexOf(':', image.lastIndexOf('/') + 1);
  if (tag >= 0) {
    return expected(
      ctx,
      field,
      'an image name without a tag',
      `the tag comes from the release, so write ${JSON.stringify(image.slice(0, tag))}`,
    );
  }
  if (image.length > 255 || !imageName.test(image)) {
    return expected(
      ctx,
      field,
      'a Docker image name such as "shop/web" or "ghcr.io/shop/web" (lowercase letters and digits, parts joined by . _ - or /)',
    );
  }
  return image;
}

function readInteger(ctx: Context, field: Field, min: number, max?: number): number | undefined {
  const value = isScalar(field.node) ? field.node.value : undefined;
  const range = max === undefined ? `at least ${min}` : `${min} to ${max}`;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return expected(
      ctx,
      field,
      max === undefined ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`,
    );
  }
  if (value < min || (max !== undefined && value > max)) return expected(ctx, field, range);
  return value;
}

function readServers(ctx: Context, field: Field): Record<string, readonly string[]> | undefined {
  const example = 'such as { production: [prod-1] }';
  const environments = readMapping(ctx, field, `a mapping of environment to server names, ${example}`);
  if (!environments) return undefined;
  if (environments.size === 0) return expected(ctx, field, `at least one environment, ${example}`);

  const entries: [string, readonly string[]][] = [];
  for (const [name, environment] of environments) {
    if (!environmentName.test(name)) {
      report(
        ctx,
        environment.keyAt,
        environment.path,
        `expected an environment name of letters, digits, dash and underscore, got ${JSON.stringify(name)}`,
      );
      continue;
    }
    const names = readServerNames(ctx, environment);
    if (names) entries.push([name, names]);
  }
  return Object.fromEntries(entries);
}

function readServerNames(ctx: Context, field: Field): string[] | undefined {
  const items = readList(ctx, field, 'a list of server names');
  if (!items) return undefined;
  if (items.length === 0) return expected(ctx, field, 'at least one server name');

  const firstSeen = new Map<string, number>();
  const names: string[] = [];
  for (const item of items) {
    const name = textOf(item.node);
    if (name === undefined || !serverName.test(name)) {
      expected(
        ctx,
        item,
        'a server name of letters, digits, dot, dash and underscore, starting with a letter or digit',
      );
      continue;
    }
    const seen = firstSeen.get(name);
    if (seen !== undefined) {
      report(
        ctx,
        item.at,
        item.path,
        `expected each server once, got ${JSON.stringify(name)} again (first at line ${ctx.lines.linePos(seen).line})`,
      );
      continue;
    }
    firstSeen.set(name, item.at);
    names.push(name);
  }
  return names;
}

function readProxy(ctx: Context, field: Field): 'nginx' | undefined {
  return textOf(field.node) === 'nginx' ? 'nginx' : expected(ctx, field, '"nginx" (the only proxy for now)');
}

function readHealthcheck(ctx: Context, field: Field): HealthcheckSpec | undefined {
  const fields = readMapping(ctx, field, 'a mapping such as { path: /up, status: 200 }', healthcheckFields);
  if (!fields) return undefined;
  const at = (name: string): Field => fields.get(name) ?? absent(field, name);
  return {
    path: optional(at('path'), (f) => readUrlPath(ctx, f), defaultHealthcheck.path),
    status: optional(at('status'), (f) => readInteger(ctx, f, 100, 599), defaultHealthcheck.status),
    intervalMs: optional(at('interval'), (f) => readDuration(ctx, f), defaultHealthcheck.intervalMs),
    timeoutMs: optional(at('timeout'), (f) => readDuration(ctx, f), defaultHealthcheck.timeoutMs),
    retries: optional(at('retries'), (f) => readInteger(ctx, f, 1, 1000), defaultHealthcheck.retries),
  };
}

function readUrlPath(ctx: Context, field: Field): string | undefined {
  const path = textOf(field.node);
  if (path === undefined || !path.startsWith('/') || /\s/.test(path))
    return expected(ctx, field, 'a URL path starting with /, such as /up');
  return path;
}

/** A duration such as 500ms, 1s, 1.5s or 2m, in milliseconds. */
function readDuration(ctx: Context, field: Field): number | undefined {
  const example = 'such as 500ms, 1s, 1.5s or 2m';
  const node = field.node;
  if (isScalar(node) && typeof node.value === 'number')
    return expected(ctx, field, `a duration with a unit, ${example}`, 'a bare number has no unit');
  const text = textOf(node);
  if (text === undefined) return expected(ctx, field, `a duration ${example}`);
  if (/^\d+(\.\d+)?$/.test(text))
    return expected(ctx, field, `a duration with a unit, ${example}`, 'a bare number has no unit');
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!match) return expected(ctx, field, `a duration ${example}`);
  const unitMs = match[2] === 'ms' ? 1 : match[2] === 's' ? 1_000 : 60_000;
  // Rounded to a micro-second first so that 1.1s is 1100 rather than 1100.0000000000002.
  const ms = Number((Number(match[1]) * unitMs).toFixed(3));
  if (ms === 0) return expected(ctx, field, 'a duration above zero, such as 1s');
  if (!Number.isInteger(ms)) return expected(ctx, field, 'a duration in whole milliseconds');
  if (ms > maxDurationMs) return expected(ctx, field, 'a duration of at most 60m');
  return ms;
}

function readStrategy(ctx: Context, field: Field): StrategySpec | undefined {
  const forms = 'blue-green, rolling or { rolling: { batch: 2 } }';
  const node = field.node;
  if (isScalar(node)) {
    const name = textOf(node);
    if (name === 'blue-green') return { kind: 'blue-green' };
    if (name === 'rolling') return { kind: 'rolling', batch: 1 };
    return expected(ctx, field, forms);
  }
  const fields = readMapping(ctx, field, forms, ['rolling']);
  if (!fields) return undefined;
  const rolling = fields.get('rolling');
  // Unknown keys are reported already; only an empty mapping is still unexplained.
  if (!rolling)
    return isMap(node) && node.items.length === 0 ? expected(ctx, field, forms, undefined, kindOf) : undefined;
  if (rolling.node === undefined) return { kind: 'rolling', batch: 1 };
  const options = readMapping(ctx, rolling, 'a mapping such as { batch: 2 }', ['batch']);
  if (!options) return undefined;
  const batch = optional(options.get('batch') ?? absent(rolling, 'batch'), (f) => readInteger(ctx, f, 1), 1);
  return { kind: 'rolling', batch };
}

function readBackup(ctx: Context, field: Field): BackupSpec[] | undefined {
  const items = readList(ctx, field, 'a list of backup commands');
  if (!items) return undefined;
  const backups: BackupSpec[] = [];
  for (const item of items) {
    const backup = isMap(item.node) ? readBackupMapping(ctx, item) : readBackupCommand(ctx, item);
    if (backup) backups.push(backup);
  }
  return backups;
}

/** A plain command; `... > /path` at its end names the artifact to check. */
function readBackupCommand(ctx: Context, field: Field): BackupSpec | undefined {
  const command = readCommand(ctx, field, 'a shell command, or { command: ..., artifact: /path }');
  if (command === undefined) return undefined;
  const artifact = inferArtifact(command);
  return artifact === undefined ? { command } : { command, artifact };
}

/** The explicit form; it is also how to run a command without an artifact check, so nothing is inferred here. */
function readBackupMapping(ctx: Context, field: Field): BackupSpec | undefined {
  const fields = readMapping(ctx, field, '{ command: ..., artifact: /path }', ['command', 'artifact']);
  if (!fields) return undefined;
  const command = readCommand(ctx, fields.get('command') ?? absent(field, 'command'), 'a shell command');
  const artifactField = fields.get('artifact');
  const artifact = artifactField && artifactField.node !== undefined ? readArtifact(ctx, artifactField) : undefined;
  if (command === undefined) return undefined;
  return artifact === undefined ? { command } : { command, artifact };
}

function readArtifact(ctx: Context, field: Field): string | undefined {
  const path = textOf(field.node);
  if (path === undefined || !path.startsWith('/') || path.includes('\n')) {
    return expected(ctx, field, 'an absolute file path such as /var/backups/shop-{{release}}.dump');
  }
  return path;
}

function inferArtifact(command: string): string | undefined {
  const match = redirectAtEnd.exec(command);
  const path = match ? (match[1] ?? match[2] ?? match[3]) : undefined;
  // Only an absolute path names the same file for the check as for the command; /dev/null is no artifact.
  return path !== undefined && path.startsWith('/') && !path.startsWith('/dev/') ? path : undefined;
}

function readHooks(ctx: Context, field: Field): ServiceSpec['hooks'] | undefined {
  const fields = readMapping(ctx, field, 'a mapping such as { pre-deploy: [...], post-deploy: [...] }', [
    'pre-deploy',
    'post-deploy',
  ]);
  if (!fields) return undefined;
  const commands = (name: string): string[] =>
    optional(fields.get(name) ?? absent(field, name), (f) => readCommands(ctx, f), []);
  return { preDeploy: commands('pre-deploy'), postDeploy: commands('post-deploy') };
}

function readCommands(ctx: Context, field: Field): string[] | undefined {
  const items = readList(ctx, field, 'a list of shell commands');
  if (!items) return undefined;
  const commands = items.map((item) => readCommand(ctx, item, 'a shell command'));
  return commands.every((command) => command !== undefined) ? commands : undefined;
}

function readCommand(ctx: Context, field: Field, what: string): string | undefined {
  const command = textOf(field.node);
  if (command === undefined || command.trim() === '') return expected(ctx, field, what);
  return command;
}

function readEnv(ctx: Context, field: Field): Record<string, string> | undefined {
  const variables = readMapping(ctx, field, 'a mapping of variable names to values, such as { RAILS_ENV: production }');
  if (!variables) return undefined;
  const entries: [string, string][] = [];
  for (const [name, variable] of variables) {
    if (!envName.test(name)) {
      report(
        ctx,
        variable.keyAt,
        variable.path,
        `expected a variable name of letters, digits and underscore, not starting with a digit, got ${JSON.stringify(name)}`,
      );
      continue;
    }
    // An empty value is more often a forgotten one than a wish for "", so it must be written out.
    if (variable.node === undefined) {
      expected(ctx, variable, 'a value', 'write "" for an empty one');
      continue;
    }
    const value = textOf(variable.node);
    if (value === undefined) {
      expected(ctx, variable, 'a text, number or true/false value');
      continue;
    }
    entries.push([name, value]);
  }
  return Object.fromEntries(entries);
}

/** Names of variables whose values Shipdeck keeps encrypted (never in the spec); a name may not be in `env` too. */
function readSecretNames(ctx: Context, field: Field, env: Readonly<Record<string, string>>): string[] | undefined {
  const items = readList(
    ctx,
    field,
    'a list of variable names whose values Shipdeck keeps encrypted, such as [DATABASE_PASSWORD]',
  );
  if (!items) return undefined;
  const names: string[] = [];
  for (const item of items) {
    const name = textOf(item.node);
    if (name === undefined || !envName.test(name)) {
      expected(ctx, item, 'a variable name of letters, digits and underscore, not starting with a digit');
      continue;
    }
    if (name in env) {
      report(
        ctx,
        item.at,
        item.path,
        `${name} is in env too: a secret's value never goes in the spec; remove it from env and set it on the service page`,
      );
      continue;
    }
    if (names.includes(name)) {
      report(ctx, item.at, item.path, `${name} is listed twice`);
      continue;
    }
    names.push(name);
  }
  return names.length === items.length ? names : undefined;
}

/** `metrics`, `thresholds` and `verify`: what VERIFY measures, the rules it judges by, and how long and what it does then. */
function readVerification(
  ctx: Context,
  metricsField: Field,
  thresholdsField: Field,
  verifyField: Field,
): VerificationSpec | undefined {
  const metrics = readMapping(ctx, metricsField, 'a mapping such as { http: ["/"], container: true, host: true }', [
    'http',
    'container',
    'host',
  ]);
  if (!metrics) return undefined;
  const at = (fields: Map<string, Field>, parent: Field, name: string) => fields.get(name) ?? absent(parent, name);
  const http = optional(at(metrics, metricsField, 'http'), (f) => readPaths(ctx, f), defaultVerify.http);
  const container = optional(
    at(metrics, metricsField, 'container'),
    (f) => readBoolean(ctx, f),
    defaultVerify.container,
  );
  const host = optional(at(metrics, metricsField, 'host'), (f) => readBoolean(ctx, f), defaultVerify.host);

  let thresholds: Thresholds = defaultThresholds;
  if (!thresholdsField.missing && thresholdsField.node !== undefined) {
    const t = readMapping(
      ctx,
      thresholdsField,
      'a mapping such as { errorRate: { investigate: 0.05, rollback: 0.10 }, latencyMs: { p95: 2000, max: 3000 }, degradation: 0.10 }',
      ['errorRate', 'latencyMs', 'degradation', 'healthFailures'],
    );
    if (!t) return undefined;
    const rates = optional(
      at(t, thresholdsField, 'errorRate'),
      (f) =>
        readMapping(ctx, f, 'a mapping such as { investigate: 0.05, rollback: 0.10 }', ['investigate', 'rollback']),
      new Map<string, Field>(),
    );
    const latency = optional(
      at(t, thresholdsField, 'latencyMs'),
      (f) => readMapping(ctx, f, 'a mapping such as { p95: 2000, max: 3000 }', ['p95', 'max']),
      new Map<string, Field>(),
    );
    const errorRateField = at(t, thresholdsField, 'errorRate');
    const latencyField = at(t, thresholdsField, 'latencyMs');
    const investigate = optional(
      at(rates, errorRateField, 'investigate'),
      (f) => readShare(ctx, f),
      defaultThresholds.errorRate.investigate,
    );
    const rollback = optional(
      at(rates, errorRateField, 'rollback'),
      (f) => readShare(ctx, f),
      defaultThresholds.errorRate.rollback,
    );
    if (investigate > rollback)
      report(
        ctx,
        errorRateField.at,
        errorRateField.path,
        `investigate (${investigate}) must not be above rollback (${rollback}): the run asks before it rolls back`,
      );
    thresholds = {
      ...defaultThresholds,
      errorRate: { investigate, rollback },
      latencyMs: {
        p95: optional(
          at(latency, latencyField, 'p95'),
          (f) => readInteger(ctx, f, 1, 600_000),
          defaultThresholds.latencyMs.p95,
        ),
        max: optional(
          at(latency, latencyField, 'max'),
          (f) => readInteger(ctx, f, 1, 600_000),
          defaultThresholds.latencyMs.max,
        ),
      },
      degradation: optional(
        at(t, thresholdsField, 'degradation'),
        (f) => readShare(ctx, f),
        defaultThresholds.degradation,
      ),
      healthFailures: optional(
        at(t, thresholdsField, 'healthFailures'),
        (f) => readInteger(ctx, f, 1, 100),
        defaultThresholds.healthFailures,
      ),
    };
  }

  let verify: VerifySpec = { ...defaultVerify, http, container, host };
  if (!verifyField.missing && verifyField.node !== undefined) {
    const v = readMapping(
      ctx,
      verifyField,
      'a mapping such as { duration: 30s, rate: 20, samples: 50, on-fail: rollback, on-pass: confirm }',
      ['duration', 'rate', 'samples', 'on-fail', 'on-pass'],
    );
    if (!v) return undefined;
    verify = {
      ...verify,
      durationMs: optional(at(v, verifyField, 'duration'), (f) => readDuration(ctx, f), defaultVerify.durationMs),
      rate: optional(at(v, verifyField, 'rate'), (f) => readInteger(ctx, f, 1, 200), defaultVerify.rate),
      minSamples: optional(
        at(v, verifyField, 'samples'),
        (f) => readInteger(ctx, f, 10, 10_000),
        defaultVerify.minSamples,
      ),
      onFail: optional(
        at(v, verifyField, 'on-fail'),
        (f) => readChoice(ctx, f, ['rollback', 'ask'] as const),
        defaultVerify.onFail,
      ),
      onPass: optional(
        at(v, verifyField, 'on-pass'),
        (f) => readChoice(ctx, f, ['confirm', 'ask'] as const),
        defaultVerify.onPass,
      ),
    };
  }
  return { verify, thresholds };
}

/**
 * `checklist:` per environment (or `all`): items to add, and built-in items to
 * drop, require or make optional, each named by its id.
 */
function readChecklist(
  ctx: Context,
  field: Field,
  servers: Record<string, readonly string[]> | undefined,
): ChecklistSpec | undefined {
  const envs = readMapping(ctx, field, 'a mapping of environments (or all) to { add, drop, require, optional }');
  if (!envs) return undefined;
  const out: Record<string, ChecklistChanges> = {};
  let ok = true;
  for (const [env, envField] of envs) {
    if (env !== 'all' && servers && !(env in servers)) {
      report(
        ctx,
        envField.keyAt,
        envField.path,
        `unknown environment; expected all${Object.keys(servers)
          .map((e) => `, ${e}`)
          .join('')}`,
      );
      ok = false;
      continue;
    }
    const fields = readMapping(ctx, envField, '{ add: [...], drop: [ids], require: [ids], optional: [ids] }', [
      'add',
      'drop',
      'require',
      'optional',
    ]);
    if (!fields) {
      ok = false;
      continue;
    }
    const ids = (name: string): string[] =>
      optional(fields.get(name) ?? absent(envField, name), (f) => readItemIds(ctx, f), []);
    const add = optional(fields.get('add') ?? absent(envField, 'add'), (f) => readAddedItems(ctx, f), []);
    out[env] = { add, drop: ids('drop'), require: ids('require'), optional: ids('optional') };
  }
  return ok ? out : undefined;
}

function readItemIds(ctx: Context, field: Field): string[] | undefined {
  const items = readList(ctx, field, 'a list of checklist item ids such as [pre.qa]');
  if (!items) return undefined;
  const known = builtInTemplates.map((t) => t.id);
  const ids = items.map((item) => {
    const id = textOf(item.node);
    if (id !== undefined && known.includes(id)) return id;
    const meant = id === undefined ? undefined : closest(id, known);
    return expected(
      ctx,
      item,
      'a built-in checklist item id',
      meant ? `did you mean "${meant}"?` : 'see the checklist ids in the README',
    );
  });
  return ids.every((id) => id !== undefined) ? ids : undefined;
}

function readAddedItems(ctx: Context, field: Field): ChecklistChanges['add'] | undefined {
  const items = readList(
    ctx,
    field,
    'a list of items such as { section: pre-deployment, text: "Changelog updated", required: true }',
  );
  if (!items) return undefined;
  const added = items.map((item) => {
    const fields = readMapping(ctx, item, '{ section, text, required }', ['id', 'section', 'text', 'required']);
    if (!fields) return undefined;
    const section = readChoice(ctx, fields.get('section') ?? absent(item, 'section'), sections);
    const text = readCommand(ctx, fields.get('text') ?? absent(item, 'text'), 'the item as a person reads it');
    const required = optional(fields.get('required') ?? absent(item, 'required'), (f) => readBoolean(ctx, f), true);
    const idField = fields.get('id');
    const id = idField?.node === undefined ? undefined : textOf(idField.node);
    if (idField?.node !== undefined && (id === undefined || !/^[a-z0-9][a-z0-9.-]{0,63}$/.test(id)))
      return expected(ctx, idField, 'an id of lowercase letters, digits, dots and dashes');
    if (section === undefined || text === undefined) return undefined;
    return { ...(id ? { id } : {}), section, text, required };
  });
  return added.every((a) => a !== undefined) ? added : undefined;
}

function readPaths(ctx: Context, field: Field): string[] | undefined {
  const items = readList(ctx, field, 'a list of URL paths such as ["/", "/api/health"]');
  if (!items) return undefined;
  const paths = items.map((item) => readUrlPath(ctx, item));
  return paths.every((p) => p !== undefined) ? paths : undefined;
}

function readBoolean(ctx: Context, field: Field): boolean | undefined {
  const node = field.node;
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  return expected(ctx, field, 'true or false');
}

/** A share between 0 and 1, such as 0.05 for 5%. */
function readShare(ctx: Context, field: Field): number | undefined {
  const node = field.node;
  if (isScalar(node) && typeof node.value === 'number' && node.value >= 0 && node.value <= 1) return node.value;
  return expected(ctx, field, 'a share from 0 to 1, such as 0.05 for 5%');
}

function readChoice<T extends string>(ctx: Context, field: Field, choices: readonly T[]): T | undefined {
  const text = textOf(field.node);
  if (text !== undefined && (choices as readonly string[]).includes(text)) return text as T;
  return expected(ctx, field, choices.join(' or '));
}

// ---- Structure: mappings and lists, turned into fields that remember where they are.

/** A mapping's fields by name; reports keys that are not names and, given `known`, unknown ones with a suggestion. */
function readMapping(
  ctx: Context,
  field: Field,
  what: string,
  known?: readonly string[],
): Map<string, Field> | undefined {
  const node = field.node;
  if (!isMap(node)) return expected(ctx, field, what, undefined, kindOf);
  const fields = new Map<string, Field>();
  for (const pair of node.items) {
    const key = isNode(pair.key) ? pair.key : undefined;
    const keyAt = startOf(key, field.at);
    const name = textOf(key);
    if (name === undefined) {
      report(ctx, keyAt, field.path, `expected a field name, got ${kindOf(key)}`);
      continue;
    }
    const path = join(field.path, name);
    if (known && !known.includes(name)) {
      report(ctx, keyAt, path, unknownField(name, known));
      continue;
    }
    const value = isNode(pair.value) ? pair.value : undefined;
    const resolved = resolve(ctx, value);
    fields.set(name, { path, node: resolved, at: resolved ? startOf(value, keyAt) : keyAt, keyAt, missing: false });
  }
  return fields;
}

function readList(ctx: Context, field: Field, what: string): Field[] | undefined {
  const node = field.node;
  if (!isSeq(node)) return expected(ctx, field, what, undefined, kindOf);
  return node.items.map((item, index) => {
    const value = isNode(item) ? item : undefined;
    const at = startOf(value, field.at);
    const path = `${field.path}[${index}]`;
    return { path, node: resolve(ctx, value), at, keyAt: at, missing: false };
  });
}

/** A field the spec leaves out: it points at its parent's key, as that is where it belongs. */
function absent(parent: Field, name: string): Field {
  return { path: join(parent.path, name), node: undefined, at: parent.keyAt, keyAt: parent.keyAt, missing: true };
}

/** An optional field's value: the fallback when absent or empty, or when invalid (the issue is already reported). */
function optional<T>(field: Field, read: (field: Field) => T | undefined, fallback: T): T {
  return field.node === undefined ? fallback : (read(field) ?? fallback);
}

/** The value through an alias, or undefined when there is none (a null scalar is an empty field). */
function resolve(ctx: Context, node: Node | undefined): Node | undefined {
  // An alias without its anchor stays an alias, which no reader accepts, so each says what it found there.
  const target = isAlias(node) ? (node.resolve(ctx.doc) ?? node) : node;
  return isScalar(target) && target.value === null ? undefined : target;
}

/** A scalar as text: strings as they are, numbers and booleans as written (so `0x1F` stays `0x1F`). */
function textOf(node: Node | undefined | null): string | undefined {
  if (!isScalar(node)) return undefined;
  const { value } = node;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return node.source ?? String(value);
  return undefined;
}

// ---- Reporting

function report(ctx: Context, at: number, field: string, message: string): undefined {
  const { line, col } = ctx.lines.linePos(at);
  ctx.issues.push({ file: ctx.file, line, column: col, field, message });
  return undefined;
}

/** Reports a field that is not `what`: "missing; expected ..." or "expected ..., got ...", then an optional hint. */
function expected(
  ctx: Context,
  field: Field,
  what: string,
  hint?: string,
  describe: (node: Node | undefined) => string = valueOf,
): undefined {
  const found = field.missing ? `missing; expected ${what}` : `expected ${what}, got ${describe(field.node)}`;
  return report(ctx, field.at, field.path, hint ? `${found}; ${hint}` : found);
}

/** What a value is, shown as written, for fields that expect a scalar. */
function valueOf(node: Node | undefined): string {
  if (node === undefined) return 'nothing';
  if (!isScalar(node)) return kindOf(node);
  const { value } = node;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value);
  return textOf(node) ?? kindOf(node);
}

/** What kind of value a node is, for fields that expect a mapping or a list. */
function kindOf(node: Node | undefined | null): string {
  if (node === undefined || node === null) return 'nothing';
  if (isMap(node)) return node.items.length === 0 ? 'an empty mapping' : 'a mapping';
  if (isSeq(node)) return node.items.length === 0 ? 'an empty list' : 'a list';
  // yaml only notices a missing anchor when converting to plain values, which this reader never does.
  if (isAlias(node)) return `*${node.source}, an alias with no anchor &${node.source} before it`;
  if (isScalar(node)) {
    const { value } = node;
    if (value === null) return 'nothing';
    if (typeof value === 'string') return 'a string';
    if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
    if (typeof value === 'boolean') return String(value);
  }
  return 'an unsupported value';
}

function unknownField(name: string, known: readonly string[]): string {
  const suggestion = closest(name, known);
  if (suggestion) return `unknown field; did you mean "${suggestion}"?`;
  const quoted = known.map((k) => `"${k}"`);
  const list = quoted.length === 1 ? quoted[0] : `one of ${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  return `unknown field; expected ${list}`;
}

/** The known name a typo most likely meant: a few edits away (relative to its length), or one it abbreviates. */
function closest(name: string, known: readonly string[]): string | undefined {
  const typed = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const target = candidate.toLowerCase();
    const distance = editDistance(typed, target);
    const near = distance <= Math.ceil(Math.max(typed.length, target.length) * 0.4);
    const abbreviates = typed.length >= 3 && (target.startsWith(typed) || typed.startsWith(target));
    if ((near || abbreviates) && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** Edits (insert, delete, substitute, swap neighbours) turning `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, at(i - 2, j - 2) + 1);
      row[j] = distance;
    }
  }
  return at(a.length, b.length);
}

function startOf(node: Node | undefined | null, fallback: number): number {
  return node?.range?.[0] ?? fallback;
}

function join(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}
