import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeSpecIssue, readServiceSpec } from '../../../../../electron/engine/release/service-spec-reader';
import { defaultThresholds, defaultVerify } from '../../../../../shared/verify';
import type { ServiceSpec, SpecIssue, SpecResult } from '../../../../../shared/service-spec';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../fixtures/specs/${name}`, import.meta.url), 'utf8');

const minimal = 'service: web\nimage: shop/web\nport: 3000\nservers: { production: [prod-1] }\n';

function specOf(result: SpecResult): ServiceSpec {
  if (!result.ok) throw new Error(`expected a valid spec, got:\n${result.issues.map(describeSpecIssue).join('\n')}`);
  return result.spec;
}

function issuesOf(result: SpecResult): readonly SpecIssue[] {
  if (result.ok) throw new Error('expected issues, got a valid spec');
  return result.issues;
}

/** Issues as `line:column field: message`, easy to compare whole. */
function placed(result: SpecResult): string[] {
  return issuesOf(result).map((i) => `${i.line}:${i.column} ${i.field}: ${i.message}`);
}

/** The minimal spec plus some lines, read; the extra lines start on line 5. */
const withLines = (...lines: string[]): SpecResult => readServiceSpec(minimal + lines.join('\n') + '\n', 'web.yaml');

describe('readServiceSpec: valid specs', () => {
  it('reads a spec with every field set to the exact ServiceSpec, durations in milliseconds', () => {
    expect(specOf(readServiceSpec(fixture('full.yaml'), 'full.yaml'))).toEqual({
      service: 'shop-api',
      image: 'registry.example.com:5000/shop/api',
      port: 8080,
      servers: { staging: ['stage-1'], production: ['prod-1', 'prod-2.eu', 'prod_3'] },
      proxy: 'nginx',
      healthcheck: { path: '/api/health', status: 204, intervalMs: 500, timeoutMs: 1500, retries: 12 },
      strategy: { kind: 'rolling', batch: 2 },
      retain: 5,
      backup: [
        {
          command: 'docker exec db pg_dump -Fc shop > /var/backups/shop-{{release}}.dump',
          artifact: '/var/backups/shop-{{release}}.dump',
        },
        {
          command: 'tar czf /var/backups/uploads-{{release}}.tgz /srv/uploads',
          artifact: '/var/backups/uploads-{{release}}.tgz',
        },
        { command: 'echo backup done >> /var/log/shop-backups.log' },
      ],
      hooks: {
        preDeploy: ['./bin/check-migrations'],
        postDeploy: ['curl -fsS https://hooks.example.com/deployed', 'true'],
      },
      env: { RAILS_ENV: 'production', WEB_CONCURRENCY: '4', FEATURE_FLAGS: 'true', RATIO: '1.50', EMPTY: '' },
      secrets: [],
      verification: { verify: { ...defaultVerify, http: ['/'], container: true }, thresholds: defaultThresholds },
      staging: 'required',
    } satisfies ServiceSpec);
  });

  it('reads the example from DESIGN.md, ignoring metrics and thresholds for now', () => {
    const spec = specOf(readServiceSpec(fixture('design-example.yaml'), 'design-example.yaml'));
    expect(spec).toMatchObject({
      service: 'web',
      image: 'shop/web',
      port: 3000,
      servers: { staging: ['stage-1'], production: ['prod-1', 'prod-2'] },
      proxy: 'nginx',
      healthcheck: { path: '/up', status: 200, intervalMs: 1000, timeoutMs: 5000, retries: 30 },
      strategy: { kind: 'blue-green' },
      retain: 3,
      backup: [
        {
          command: 'docker exec db pg_dump -Fc shop > /var/backups/shop-{{release}}.dump',
          artifact: '/var/backups/shop-{{release}}.dump',
        },
      ],
    });
    expect(Object.keys(spec)).not.toContain('metrics');
    expect(Object.keys(spec)).not.toContain('thresholds');
  });

  it('fills every default for a spec with only service, image, port and servers', () => {
    expect(specOf(readServiceSpec(fixture('minimal.yaml'), 'minimal.yaml'))).toEqual({
      service: 'web',
      image: 'shop/web',
      port: 3000,
      servers: { production: ['prod-1'] },
      proxy: 'nginx',
      healthcheck: { path: '/', status: 200, intervalMs: 1000, timeoutMs: 5000, retries: 30 },
      strategy: { kind: 'blue-green' },
      retain: 3,
      backup: [],
      hooks: { preDeploy: [], postDeploy: [] },
      env: {},
      secrets: [],
      staging: 'optional',
    } satisfies ServiceSpec);
  });

  it('treats an optional field left empty as its default', () => {
    const spec = specOf(withLines('healthcheck:', 'strategy:', 'backup:', 'hooks: { pre-deploy: }', 'env: {}'));
    expect(spec.healthcheck.retries).toBe(30);
    expect(spec.strategy).toEqual({ kind: 'blue-green' });
    expect(spec.backup).toEqual([]);
    expect(spec.hooks).toEqual({ preDeploy: [], postDeploy: [] });
  });

  it('fills the healthcheck fields that are left out', () => {
    expect(specOf(withLines('healthcheck: { path: /up }')).healthcheck).toEqual({
      path: '/up',
      status: 200,
      intervalMs: 1000,
      timeoutMs: 5000,
      retries: 30,
    });
  });

  it('follows YAML anchors and aliases', () => {
    const spec = specOf(
      readServiceSpec(
        'service: web\nimage: shop/web\nport: 3000\nservers: { staging: &all [a, b], production: *all }\n',
        'web.yaml',
      ),
    );
    expect(spec.servers).toEqual({ staging: ['a', 'b'], production: ['a', 'b'] });
  });

  it('reads metrics, thresholds and verify into the verification, defaults filled in', () => {
    const spec = specOf(
      withLines(
        'metrics: { http: ["/", "/api/health"], container: true, host: false }',
        'thresholds: { errorRate: { investigate: 0.02, rollback: 0.08 }, latencyMs: { p95: 800 }, degradation: 0.2 }',
        'verify: { duration: 45s, rate: 10, on-fail: ask }',
      ),
    );
    expect(spec.verification).toEqual({
      verify: {
        http: ['/', '/api/health'],
        container: true,
        host: false,
        rate: 10,
        durationMs: 45_000,
        minSamples: 50,
        onFail: 'ask',
        onPass: 'confirm',
      },
      thresholds: {
        ...defaultThresholds,
        errorRate: { investigate: 0.02, rollback: 0.08 },
        latencyMs: { p95: 800, max: 3000 },
        degradation: 0.2,
      },
    });
    expect(specOf(withLines()).verification).toBeUndefined();
    expect(
      placed(
        withLines(
          'metrics: { http: [up] }',
          'thresholds: { errorRate: { investigate: 0.2, rollback: 0.1 }, degradation: 10 }',
          'verify: { on-pass: maybe }',
        ),
      ),
    ).toEqual([
      '5:19 metrics.http[0]: expected a URL path starting with /, such as /up, got "up"',
      '6:26 thresholds.errorRate: investigate (0.2) must not be above rollback (0.1): the run asks before it rolls back',
      '6:76 thresholds.degradation: expected a share from 0 to 1, such as 0.05 for 5%, got 10',
      '7:20 verify.on-pass: expected confirm or ask, got "maybe"',
    ]);
  });

  it('reads secrets as names only, refusing a name that is also in env or listed twice', () => {
    expect(specOf(withLines('env: { RAILS_ENV: production }', 'secrets: [DB_PASSWORD, API_TOKEN]')).secrets).toEqual([
      'DB_PASSWORD',
      'API_TOKEN',
    ]);
    expect(specOf(withLines()).secrets).toEqual([]);
    expect(placed(withLines('env: { TOKEN: abc }', 'secrets: [TOKEN, X, X, 9bad]'))).toEqual([
      "6:11 secrets[0]: TOKEN is in env too: a secret's value never goes in the spec; remove it from env and set it on the service page",
      '6:21 secrets[2]: X is listed twice',
      '6:24 secrets[3]: expected a variable name of letters, digits and underscore, not starting with a digit, got "9bad"',
    ]);
  });

  it('keeps environment values as written, whatever YAML would make of them', () => {
    expect(specOf(withLines('env: { HEX: 0x1F, ZIP: 007, ON: false, NAME: "x y" }')).env).toEqual({
      HEX: '0x1F',
      ZIP: '007',
      ON: 'false',
      NAME: 'x y',
    });
  });

  it('stores an environment or variable named __proto__ as data, not as a prototype', () => {
    const spec = specOf(
      readServiceSpec(
        'service: web\nimage: shop/web\nport: 3000\nservers: { __proto__: [prod-1] }\nenv: { __proto__: x }\n',
        'web.yaml',
      ),
    );
    expect(Object.keys(spec.servers)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(spec.env)).toBe(Object.prototype);
    expect(Object.entries(spec.env)).toEqual([['__proto__', 'x']]);
  });
});

describe('readServiceSpec: strategies', () => {
  it.each([
    ['blue-green', { kind: 'blue-green' }],
    ['rolling', { kind: 'rolling', batch: 1 }],
    ['{ rolling: }', { kind: 'rolling', batch: 1 }],
    ['{ rolling: {} }', { kind: 'rolling', batch: 1 }],
    ['{ rolling: { batch: 3 } }', { kind: 'rolling', batch: 3 }],
  ])('reads strategy: %s', (written, strategy) => {
    expect(specOf(withLines(`strategy: ${written}`)).strategy).toEqual(strategy);
  });

  it('rejects a strategy it does not know, naming the forms it does', () => {
    expect(placed(withLines('strategy: canary'))).toEqual([
      '5:11 strategy: expected blue-green, rolling or { rolling: { batch: 2 } }, got "canary"',
    ]);
    expect(placed(withLines('strategy: [rolling]'))).toEqual([
      '5:11 strategy: expected blue-green, rolling or { rolling: { batch: 2 } }, got a list',
    ]);
    expect(placed(withLines('strategy: {}'))).toEqual([
      '5:11 strategy: expected blue-green, rolling or { rolling: { batch: 2 } }, got an empty mapping',
    ]);
  });

  it('rejects a batch below 1 and suggests the name of a misspelt option', () => {
    expect(placed(withLines('strategy: { rolling: { batch: 0 } }'))).toEqual([
      '5:31 strategy.rolling.batch: expected at least 1, got 0',
    ]);
    expect(placed(withLines('strategy: { rolling: { batch: two } }'))).toEqual([
      '5:31 strategy.rolling.batch: expected a whole number of at least 1, got "two"',
    ]);
    expect(placed(withLines('strategy: { rolling: { batches: 2 } }'))).toEqual([
      '5:24 strategy.rolling.batches: unknown field; did you mean "batch"?',
    ]);
    expect(placed(withLines('strategy: { canary: { steps: 3 } }'))).toEqual([
      '5:13 strategy.canary: unknown field; expected "rolling"',
    ]);
  });
});

describe('readServiceSpec: backups', () => {
  const backupOf = (item: string) => specOf(withLines(`backup: [ ${item} ]`)).backup;

  it('infers the artifact of a command that ends by writing to an absolute path', () => {
    expect(backupOf('"pg_dump -Fc shop > /var/backups/shop-{{release}}.dump"')).toEqual([
      {
        command: 'pg_dump -Fc shop > /var/backups/shop-{{release}}.dump',
        artifact: '/var/backups/shop-{{release}}.dump',
      },
    ]);
    expect(backupOf('"pg_dump shop>/b/a.sql"')[0]?.artifact).toBe('/b/a.sql');
    expect(backupOf(`"pg_dump shop > '/b/with space.sql'  "`)[0]?.artifact).toBe('/b/with space.sql');
  });

  it.each([
    ['an append, which may leave an older non-empty file', '"pg_dump shop >> /b/a.sql"'],
    ['a redirect of stderr', '"pg_dump shop 2> /b/err.log"'],
    ['a redirect of both streams', '"pg_dump shop &> /b/a.sql"'],
    ['a discard to /dev/null', '"pg_dump shop > /dev/null"'],
    ['a relative path', '"pg_dump shop > a.sql"'],
    ['a redirect that is not at the end', '"pg_dump shop > /b/a.sql && echo ok"'],
    ['no redirect at all', '"rsync -a /srv/uploads /var/backups/"'],
  ])('infers no artifact from %s', (_why, item) => {
    expect(backupOf(item)[0]).not.toHaveProperty('artifact');
  });

  it('takes the explicit form as written, without inferring an artifact it leaves out', () => {
    expect(backupOf('{ command: "pg_dump shop > /b/a.sql" }')).toEqual([{ command: 'pg_dump shop > /b/a.sql' }]);
    expect(backupOf('{ command: "make-backup", artifact: /b/x.tgz }')).toEqual([
      { command: 'make-backup', artifact: '/b/x.tgz' },
    ]);
  });

  it('reports a backup item without a command at the item, and a relative artifact at its value', () => {
    expect(
      placed(
        withLines(
          'backup:',
          '  - { artifact: /b/a.sql }',
          '  - command: x',
          '    artifact: a.sql',
          '  - { command: x, artifacts: /b }',
        ),
      ),
    ).toEqual([
      '6:5 backup[0].command: missing; expected a shell command',
      '8:15 backup[1].artifact: expected an absolute file path such as /var/backups/shop-{{release}}.dump, got "a.sql"',
      '9:19 backup[2].artifacts: unknown field; did you mean "artifact"?',
    ]);
  });
});

describe('readServiceSpec: issues', () => {
  it('reports every issue of the top-level fields at its value', () => {
    expect(issuesOf(readServiceSpec(fixture('errors-top-level.yaml'), 'specs/errors-top-level.yaml'))).toEqual([
      {
        file: 'specs/errors-top-level.yaml',
        line: 2,
        column: 10,
        field: 'service',
        message:
          'expected a service name of lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters, got "Shop_Web"',
      },
      {
        file: 'specs/errors-top-level.yaml',
        line: 3,
        column: 8,
        field: 'image',
        message:
          'expected an image name without a tag, got "shop/web:v2"; the tag comes from the release, so write "shop/web"',
      },
      {
        file: 'specs/errors-top-level.yaml',
        line: 4,
        column: 7,
        field: 'port',
        message: 'expected 1 to 65535, got 70000',
      },
      {
        file: 'specs/errors-top-level.yaml',
        line: 6,
        column: 8,
        field: 'proxy',
        message: 'expected "nginx" (the only proxy for now), got "traefik"',
      },
      {
        file: 'specs/errors-top-level.yaml',
        line: 7,
        column: 1,
        field: 'health',
        message: 'unknown field; did you mean "healthcheck"?',
      },
      {
        file: 'specs/errors-top-level.yaml',
        line: 8,
        column: 11,
        field: 'strategy',
        message: 'expected blue-green, rolling or { rolling: { batch: 2 } }, got "canary"',
      },
      { file: 'specs/errors-top-level.yaml', line: 9, column: 9, field: 'retain', message: 'expected 1 to 20, got 50' },
    ]);
  });

  it('reports every issue of the servers, down to the list item', () => {
    expect(placed(readServiceSpec(fixture('errors-servers.yaml'), 'errors-servers.yaml'))).toEqual([
      '5:12 servers.staging: expected at least one server name, got an empty list',
      '6:15 servers.production: expected a list of server names, got a string',
      '9:7 servers.qa[1]: expected a server name of letters, digits, dot, dash and underscore, starting with a letter or digit, got "-qa-2"',
      '10:7 servers.qa[2]: expected each server once, got "qa-1" again (first at line 8)',
      '11:3 servers.eu west: expected an environment name of letters, digits, dash and underscore, got "eu west"',
    ]);
  });

  it('reports every issue of the nested fields, in the order of the file', () => {
    expect(placed(readServiceSpec(fixture('errors-nested.yaml'), 'errors-nested.yaml'))).toEqual([
      '6:9 healthcheck.path: expected a URL path starting with /, such as /up, got "up"',
      '7:11 healthcheck.status: expected 100 to 599, got 99',
      '8:13 healthcheck.interval: expected a duration with a unit, such as 500ms, 1s, 1.5s or 2m, got 5; a bare number has no unit',
      '9:12 healthcheck.timeout: expected a duration above zero, such as 1s, got "0s"',
      '10:12 healthcheck.retries: expected a whole number from 1 to 1000, got "many"',
      '11:3 healthcheck.retry: unknown field; did you mean "retries"?',
      '14:12 strategy.rolling.batch: expected at least 1, got 0',
      '16:5 backup[0].command: missing; expected a shell command',
      '18:15 backup[1].artifact: expected an absolute file path such as /var/backups/shop-{{release}}.dump, got "backups/a.dump"',
      '20:3 hooks.predeploy: unknown field; did you mean "pre-deploy"?',
      '21:16 hooks.post-deploy: expected a list of shell commands, got a string',
      '23:3 env.1BAD: expected a variable name of letters, digits and underscore, not starting with a digit, got "1BAD"',
      '24:3 env.EMPTY: expected a value, got nothing; write "" for an empty one',
      '25:9 env.LIST: expected a text, number or true/false value, got a list',
    ]);
  });

  it('reports each missing required field at the start of the mapping it belongs in', () => {
    expect(placed(readServiceSpec(fixture('missing-required.yaml'), 'missing-required.yaml'))).toEqual([
      '2:1 service: missing; expected a service name of lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters',
      '2:1 image: missing; expected a Docker image name such as "shop/web"',
      '2:1 port: missing; expected a whole number from 1 to 65535',
      '2:1 servers: missing; expected a mapping of environment to server names, such as { production: [prod-1] }',
    ]);
  });

  it('tells a field left empty from a field left out', () => {
    expect(
      placed(readServiceSpec('service: web\nimage: shop/web\nport:\nservers: { production: [prod-1] }\n', 'web.yaml')),
    ).toEqual(['3:1 port: expected a whole number from 1 to 65535, got nothing']);
  });

  it("reports a YAML syntax error with its position and yaml's message, and nothing else", () => {
    expect(issuesOf(readServiceSpec(fixture('syntax-error.yaml'), 'syntax-error.yaml'))).toEqual([
      {
        file: 'syntax-error.yaml',
        line: 4,
        column: 1,
        field: '',
        message: 'invalid YAML: Tabs are not allowed as indentation',
      },
    ]);
    expect(placed(readServiceSpec(minimal + 'port: 3001\n', 'web.yaml'))).toEqual([
      '5:1 : invalid YAML: Map keys must be unique',
    ]);
    expect(placed(readServiceSpec('service: web\nimage: "shop/web\nport: 3000\n', 'web.yaml'))[0]).toMatch(
      /^4:1 : invalid YAML: Missing closing "quote/,
    );
  });

  it('reports an alias whose anchor is nowhere', () => {
    expect(
      placed(
        readServiceSpec('service: web\nimage: shop/web\nport: 3000\nservers: { production: *fleet }\n', 'web.yaml'),
      ),
    ).toEqual([
      '4:24 servers.production: expected a list of server names, got *fleet, an alias with no anchor &fleet before it',
    ]);
    expect(placed(withLines('retain: *keep'))).toEqual([
      '5:9 retain: expected a whole number from 1 to 20, got *keep, an alias with no anchor &keep before it',
    ]);
  });

  it.each(['', '# only a comment\n', '---\n', '~\n'])('gives one clear issue for an empty document (%j)', (text) => {
    expect(issuesOf(readServiceSpec(text, 'web.yaml'))).toEqual([
      {
        file: 'web.yaml',
        line: 1,
        column: 1,
        field: '',
        message: 'the spec is empty; expected a mapping with at least service, image, port and servers',
      },
    ]);
  });

  it('rejects a document that is not a mapping', () => {
    expect(placed(readServiceSpec('- service: web\n', 'web.yaml'))).toEqual([
      '1:1 : expected a mapping of fields such as service, image, port and servers, got a list',
    ]);
    expect(placed(readServiceSpec('just words\n', 'web.yaml'))).toEqual([
      '1:1 : expected a mapping of fields such as service, image, port and servers, got a string',
    ]);
  });
});

describe('readServiceSpec: images', () => {
  it.each([
    'shop/web',
    'web',
    'ghcr.io/acme/shop-web',
    'localhost:5000/web',
    'registry.example.com:5000/a/b/c',
    'my_org/web.api',
    'a__b/c--d',
  ])('accepts %s', (image) => {
    expect(specOf(readServiceSpec(minimal.replace('shop/web', image), 'web.yaml')).image).toBe(image);
  });

  it('rejects a tag, saying the release names it', () => {
    expect(placed(readServiceSpec(minimal.replace('shop/web', 'localhost:5000/shop/web:latest'), 'web.yaml'))).toEqual([
      '2:8 image: expected an image name without a tag, got "localhost:5000/shop/web:latest"; the tag comes from the release, so write "localhost:5000/shop/web"',
    ]);
  });

  it('rejects a digest, saying the release names the version', () => {
    const digest = `shop/web@sha256:${'a'.repeat(64)}`;
    expect(placed(readServiceSpec(minimal.replace('shop/web', digest), 'web.yaml'))).toEqual([
      `2:8 image: expected an image name without a digest, got "${digest.slice(0, 59)}…"; the version comes from the release, so write "shop/web"`,
    ]);
  });

  it.each(['Shop/Web', 'shop//web', '-shop/web', 'shop/web-', 'shop web'])('rejects the malformed name %j', (image) => {
    expect(issuesOf(readServiceSpec(minimal.replace('shop/web', JSON.stringify(image)), 'web.yaml'))).toEqual([
      expect.objectContaining({
        line: 2,
        field: 'image',
        message: expect.stringMatching(/^expected a Docker image name such as "shop\/web"/),
      }),
    ]);
  });
});

describe('readServiceSpec: scalar fields', () => {
  it.each([
    ['500ms', 500],
    ['1s', 1000],
    ['1.5s', 1500],
    ['1.1s', 1100],
    ['2m', 120_000],
    ['60m', 3_600_000],
  ])('reads the duration %s as %d ms', (written, ms) => {
    expect(specOf(withLines(`healthcheck: { interval: ${written} }`)).healthcheck.intervalMs).toBe(ms);
  });

  it.each([
    ['5', 'expected a duration with a unit, such as 500ms, 1s, 1.5s or 2m, got 5; a bare number has no unit'],
    ['"5"', 'expected a duration with a unit, such as 500ms, 1s, 1.5s or 2m, got "5"; a bare number has no unit'],
    ['0', 'expected a duration with a unit, such as 500ms, 1s, 1.5s or 2m, got 0; a bare number has no unit'],
    ['0ms', 'expected a duration above zero, such as 1s, got "0ms"'],
    ['0.5ms', 'expected a duration in whole milliseconds, got "0.5ms"'],
    ['90m', 'expected a duration of at most 60m, got "90m"'],
    ['soon', 'expected a duration such as 500ms, 1s, 1.5s or 2m, got "soon"'],
    ['5 s', 'expected a duration such as 500ms, 1s, 1.5s or 2m, got "5 s"'],
    ['[1s]', 'expected a duration such as 500ms, 1s, 1.5s or 2m, got a list'],
  ])('rejects the duration %s', (written, message) => {
    expect(placed(withLines(`healthcheck: { timeout: ${written} }`))).toEqual([`5:25 healthcheck.timeout: ${message}`]);
  });

  it('says what a port holds when it is not a whole number in range', () => {
    const portOf = (written: string) => placed(readServiceSpec(minimal.replace('3000', written), 'web.yaml'));
    expect(portOf('70000')).toEqual(['3:7 port: expected 1 to 65535, got 70000']);
    expect(portOf('0')).toEqual(['3:7 port: expected 1 to 65535, got 0']);
    expect(portOf('30.5')).toEqual(['3:7 port: expected a whole number from 1 to 65535, got 30.5']);
    expect(portOf('"3000"')).toEqual(['3:7 port: expected a whole number from 1 to 65535, got "3000"']);
  });

  it('reads commands YAML would take for other values as the text written', () => {
    expect(specOf(withLines('hooks: { post-deploy: [true, "echo ok"] }')).hooks.postDeploy).toEqual([
      'true',
      'echo ok',
    ]);
  });

  it('rejects empty commands', () => {
    expect(placed(withLines('hooks: { pre-deploy: ["  "] }'))).toEqual([
      '5:23 hooks.pre-deploy[0]: expected a shell command, got "  "',
    ]);
  });

  it('rejects a healthcheck that is not a mapping', () => {
    expect(placed(withLines('healthcheck: /up'))).toEqual([
      '5:14 healthcheck: expected a mapping such as { path: /up, status: 200 }, got a string',
    ]);
  });
});

describe('readServiceSpec: unknown fields', () => {
  it.each([
    ['health', 'healthcheck'],
    ['Port', 'port'],
    ['images', 'image'],
    ['server', 'servers'],
    ['stratgey', 'strategy'],
    ['hook', 'hooks'],
  ])('suggests the field %s meant (%s)', (typed, meant) => {
    expect(placed(withLines(`${typed}: x`))).toEqual([`5:1 ${typed}: unknown field; did you mean "${meant}"?`]);
  });

  it('lists the known fields when nothing is close', () => {
    expect(placed(withLines('healthcheck: { grace: 5s }'))).toEqual([
      '5:16 healthcheck.grace: unknown field; expected one of "path", "status", "interval", "timeout" or "retries"',
    ]);
  });

  it('suggests across naming styles', () => {
    expect(placed(withLines('hooks: { preDeploy: [x], post_deploy: [y] }'))).toEqual([
      '5:10 hooks.preDeploy: unknown field; did you mean "pre-deploy"?',
      '5:26 hooks.post_deploy: unknown field; did you mean "post-deploy"?',
    ]);
  });
});

describe('staging and checklist', () => {
  it('requires staging before production when the spec has a staging environment, unless it says optional', () => {
    expect(specOf(readServiceSpec(minimal, 'web.yaml')).staging).toBe('optional');
    const both = 'service: web\nimage: shop/web\nport: 3000\nservers: { staging: [s-1], production: [p-1] }\n';
    expect(specOf(readServiceSpec(both, 'web.yaml')).staging).toBe('required');
    expect(specOf(readServiceSpec(`${both}staging: optional\n`, 'web.yaml')).staging).toBe('optional');
    expect(placed(withLines('staging: always'))).toEqual(['5:10 staging: expected required or optional, got "always"']);
  });

  it("reads a service's checklist changes per environment", () => {
    const spec = specOf(
      withLines(
        'checklist:',
        '  all: { drop: [pre.qa] }',
        '  production:',
        '    add:',
        '      - { section: sign-off, text: "On-call told", required: false }',
        '      - { id: ops.changelog, section: pre-deployment, text: "Changelog updated" }',
        '    require: [pre.stakeholders]',
      ),
    );
    expect(spec.checklist).toEqual({
      all: { add: [], drop: ['pre.qa'], require: [], optional: [] },
      production: {
        add: [
          { section: 'sign-off', text: 'On-call told', required: false },
          { id: 'ops.changelog', section: 'pre-deployment', text: 'Changelog updated', required: true },
        ],
        drop: [],
        require: ['pre.stakeholders'],
        optional: [],
      },
    });
  });

  it('points at an unknown environment, item id or section', () => {
    expect(
      placed(
        withLines(
          'checklist:',
          '  staging: { drop: [pre.qa] }',
          '  production: { drop: [pre.qaa], add: [{ section: deploy, text: x }] }',
        ),
      ),
    ).toEqual([
      '6:3 checklist.staging: unknown environment; expected all, production',
      '7:24 checklist.production.drop[0]: expected a built-in checklist item id, got "pre.qaa"; did you mean "pre.qa"?',
      '7:51 checklist.production.add[0].section: expected pre-deployment or rollback-plan or backup or staging-deployment or production-deployment or post-deployment or sign-off, got "deploy"',
    ]);
  });
});

describe('describeSpecIssue', () => {
  it('prints file:line:column: field: message', () => {
    expect(
      describeSpecIssue({
        file: 'services/web.yaml',
        line: 4,
        column: 7,
        field: 'port',
        message: 'expected 1 to 65535, got 70000',
      }),
    ).toBe('services/web.yaml:4:7: port: expected 1 to 65535, got 70000');
  });

  it('leaves out the field of an issue with the whole document', () => {
    expect(
      describeSpecIssue({
        file: 'web.yaml',
        line: 4,
        column: 1,
        field: '',
        message: 'invalid YAML: Tabs are not allowed as indentation',
      }),
    ).toBe('web.yaml:4:1: invalid YAML: Tabs are not allowed as indentation');
  });
});
