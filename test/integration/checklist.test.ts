import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateRecord } from '../../shared/gates';
import type { RunPreview, RunRecord, RunStatus, RunSummary } from '../../shared/run';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { journalText } from '../../electron/engine/release/run-journal';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { knownHostsFile, type LabHost } from '../lab/lab-state';
import { lab } from '../support/lab-servers';
import { freePortPair } from '../support/ports';
import { until, value, type Caller } from '../support/verify-lab';

// The checklists, gates, approvals and freeze windows of real runs on the lab. The service
// `gates` has its own containers, port and upstream file (no nginx reload), so the lab's `web`
// is left alone: lab-1 is its staging, lab-2 its production.

const [stagingHost, productionHost] = lab().hosts.slice(0, 2) as [LabHost, LabHost];
const service = 'gates';
/** Friday 4 December 2026, 15:00 local time: inside the default production freeze. */
const fridayAfternoon = new Date(2026, 11, 4, 15, 0);

let engine: Engine;
let call: Caller;
let dataDir: string;
let port: number;
let marker: string;

async function clearService(): Promise<void> {
  for (const host of [stagingHost, productionHost]) {
    const docker = new Docker({ socketPath: host.dockerSocket! });
    for (const c of await docker.listContainers({ all: true, filters: { label: [`shipdeck.service=${service}`] } }))
      await docker.getContainer(c.Id).remove({ force: true });
    rmSync(join(host.dir, 'home', '.shipdeck', service), { recursive: true, force: true });
  }
}

function spec(extra: string[] = []): string {
  return [
    `service: ${service}`,
    'image: shipdeck-lab/app',
    `port: ${port}`,
    `servers: { staging: [${stagingHost.name}], production: [${productionHost.name}] }`,
    'healthcheck: { path: /up, status: 200, interval: 200ms, timeout: 1s, retries: 50 }',
    'retain: 2',
    ...extra,
  ].join('\n');
}

async function plan(version: string, environment: string, change: object): Promise<RunPreview> {
  return value<RunPreview>(call, 'planRelease', { service, environment, version, change });
}

async function start(preview: RunPreview, by: string, overrides: object[] = []): Promise<string> {
  return (
    await value<RunSummary>(call, 'startRun', {
      previewId: preview.previewId,
      notes: `${preview.version} to ${preview.environment}`,
      by,
      overrides,
    })
  ).id;
}

async function getRun(runId: string): Promise<RunRecord> {
  return value<RunRecord>(call, 'getRun', { runId });
}

/** Wait until the run is in `status` (and, when paused, paused before `at`). */
async function reaching(runId: string, status: RunStatus, at?: string): Promise<RunRecord> {
  return until(
    `run ${runId} ${status}${at ? ` before ${at}` : ''}`,
    async () => {
      const run = await getRun(runId);
      if (run.status === status && (!at || run.waiting?.at === at)) return run;
      if (
        run.status === 'failed' ||
        run.status === 'rolled-back' ||
        (run.status === 'confirmed' && status !== 'confirmed')
      )
        throw new Error(`run ended ${run.status}: ${JSON.stringify(run.problem)}`);
      return undefined;
    },
    30_000,
  );
}

function item(run: RunRecord, id: string) {
  return run.checklist.items.find((i) => i.id === id)!;
}

function deploySteps(run: RunRecord) {
  return run.steps.filter((s) => s.phase === 'DEPLOY' && s.state !== 'pending');
}

beforeAll(async () => {
  await clearService();
  port = await freePortPair();
  marker = join(stagingHost.dir, 'home', `gates-hook-${Date.now()}`);
  dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-checklist-'));
  engine = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: 'test',
    cipher: keyFileCipher(dataDir),
    clock: () => fridayAfternoon,
  });
  call = (channel, request) => engine.handle(channel, request);
  for (const host of [stagingHost, productionHost]) {
    await value(call, 'addServer', {
      name: host.name,
      host: '127.0.0.1',
      port: host.sshPort,
      user: 'root',
      auth: { kind: 'key', keyPath: lab().clientKey },
      environment: host === stagingHost ? 'staging' : 'production',
      labels: [],
      dockerSocket: '',
      proxy: { upstreamFile: join(host.dir, 'home', '{service}.upstream'), reload: 'true' },
    });
  }
  await value(call, 'importKnownHosts', { path: knownHostsFile() });
});

afterAll(async () => {
  engine?.close();
  await clearService();
});

describe('stop gates', () => {
  it('each gate stops the run, and it goes on only when every one is overridden with a reason (or cleared by an approval), all recorded', async () => {
    // A first release (nothing live: no rollback target, no monitoring), no impact given, a
    // database change, and a pre-deploy hook that fails the first time it runs.
    await value(call, 'saveService', {
      text: spec([
        'hooks:',
        `  pre-deploy: ["test -e ${marker} || { touch ${marker}; echo migration lock busy >&2; exit 3; }"]`,
      ]),
    });
    const preview = await plan('v1', 'staging', { class: 'low', database: true });
    expect(preview.gates.map((g) => g.gate).sort()).toEqual(['impact-unknown', 'no-monitoring', 'no-rollback-target']);
    const runId = await start(preview, 'Ana');

    const paused = await reaching(runId, 'paused', 'BACKUP');
    expect(paused.gates.map((g) => g.gate).sort()).toEqual([
      'database-unapproved',
      'impact-unknown',
      'no-monitoring',
      'no-rollback-target',
    ]);
    expect(paused.waiting!.blockers.filter((b) => b.kind === 'gate')).toHaveLength(4);
    expect(item(paused, 'rollback.target')).toMatchObject({ state: 'failed', by: 'Shipdeck' });
    expect(item(paused, 'rollback.target').evidence).toContain(`${stagingHost.name}: nothing live to go back to`);
    expect(item(paused, 'pre.monitoring').evidence).toContain('nothing live to measure');

    // Going on needs a reason; a blank one is refused and changes nothing.
    const blank = await call('overrideGate', { runId, key: 'impact-unknown', by: 'Ana', reason: ' ' });
    expect(blank.ok).toBe(false);
    expect((await getRun(runId)).gates.find((g) => g.key === 'impact-unknown')!.override).toBeUndefined();

    await value(call, 'overrideGate', {
      runId,
      key: 'no-rollback-target',
      by: 'Ana',
      reason: 'first release of the service',
    });
    await value(call, 'overrideGate', {
      runId,
      key: 'no-monitoring',
      by: 'Ana',
      reason: 'nothing to compare with on a first release',
    });
    await value(call, 'overrideGate', {
      runId,
      key: 'impact-unknown',
      by: 'Ana',
      reason: 'internal tool, no customers yet',
    });
    // Only the database gate is left; an approval by a second person clears it.
    const still = await reaching(runId, 'paused', 'BACKUP');
    expect(still.waiting!.blockers.map((b) => b.id)).toEqual(['database-unapproved']);
    expect(deploySteps(still)).toEqual([]);
    expect(item(still, 'rollback.target')).toMatchObject({
      state: 'waived',
      by: 'Ana',
      reason: 'No rollback target overridden: first release of the service',
    });
    await value(call, 'decideApproval', { runId, by: 'Ben', decision: 'approve', note: 'migration reviewed' });
    // A database change with no backup in the spec: the backup item holds DEPLOY back.
    const noBackup = await reaching(runId, 'paused', 'DEPLOY');
    expect(noBackup.waiting!.blockers.map((b) => b.id)).toEqual(['backup.artifacts']);
    expect(item(noBackup, 'backup.artifacts').evidence).toBe(
      'The spec lists no backup, but the release changes the database',
    );
    await value(call, 'waiveItem', {
      runId,
      itemId: 'backup.artifacts',
      by: 'Ana',
      reason: 'the migration only adds a column',
    });

    // The pre-deploy hook fails: an unexpected step stops the run where it is.
    const stopped = await until('the unexpected-step gate', async () => {
      const run = await getRun(runId);
      return run.gates.some((g) => g.gate === 'unexpected-step') && run.status === 'paused' ? run : undefined;
    });
    const unexpected = stopped.gates.find((g) => g.gate === 'unexpected-step')!;
    expect(unexpected.detail).toMatch(/pre-deploy hook failed on lab-1 \(exit 3\)/);
    expect(stopped.steps.filter((s) => s.phase === 'DEPLOY' && s.state === 'ok')).toEqual([]);
    await value(call, 'overrideGate', {
      runId,
      key: unexpected.key,
      by: 'Ana',
      reason: 'the lock was stale; the migration ran by hand',
    });

    const waiting = await reaching(runId, 'awaiting-decision');
    expect(waiting.hosts[0]!.switched).toBe(true);
    const gates = Object.fromEntries(waiting.gates.map((g: GateRecord) => [g.gate, g]));
    expect(gates['no-rollback-target']!.override).toMatchObject({ by: 'Ana', reason: 'first release of the service' });
    expect(gates['no-monitoring']!.override).toMatchObject({
      by: 'Ana',
      reason: 'nothing to compare with on a first release',
    });
    expect(gates['impact-unknown']!.override).toMatchObject({ by: 'Ana', reason: 'internal tool, no customers yet' });
    expect(gates['database-unapproved']!.cleared?.why).toBe('approved by Ben');
    expect(gates['unexpected-step']!.override).toMatchObject({
      by: 'Ana',
      reason: 'the lock was stale; the migration ran by hand',
    });
    expect(waiting.approvals).toEqual([
      expect.objectContaining({ by: 'Ben', decision: 'approve', note: 'migration reviewed' }),
    ]);
    // The journal holds each decision, so the record survives the engine.
    const journal = journalText(dataDir, runId);
    for (const reason of [
      'first release of the service',
      'internal tool, no customers yet',
      'migration reviewed',
      'the lock was stale',
    ])
      expect(journal).toContain(reason);
    await value(call, 'confirmRun', { runId });
  }, 60_000);

  it('a backup artifact deleted before the check leaves its item unticked, and DEPLOY waits until a person waives it', async () => {
    const artifact = join(stagingHost.dir, 'home', 'gates-backup-{{release}}.txt');
    await value(call, 'saveService', {
      text: spec([
        'backup:',
        `  - command: "echo dump > ${artifact} && rm ${artifact}"`,
        `    artifact: "${artifact}"`,
      ]),
    });
    const runId = await start(await plan('v2', 'staging', { class: 'low', impact: 'none: lab' }), 'Ana');
    const paused = await reaching(runId, 'paused', 'DEPLOY');
    const backup = item(paused, 'backup.artifacts');
    expect(backup.state).toBe('failed');
    expect(backup.evidence).toBe(`${stagingHost.name}: ${artifact.replace('{{release}}', 'v2')} is missing`);
    expect(paused.waiting!.blockers.map((b) => b.id)).toEqual(['backup.artifacts']);
    expect(deploySteps(paused)).toEqual([]);
    // The other automatic items were ticked from what Shipdeck saw.
    expect(item(paused, 'pre.reachable')).toMatchObject({ state: 'done', by: 'Shipdeck' });
    expect(item(paused, 'pre.reachable').evidence).toMatch(/lab-1: SSH in \d+ ms, Docker .+ answered/);
    expect(item(paused, 'rollback.target').evidence).toMatch(/lab-1: v1 \(.+, port \d+\) stays warm/);
    expect(item(paused, 'pre.monitoring').evidence).toMatch(/lab-1: GET \/up on v1 answered 200 in \d+ ms/);
    expect(item(paused, 'backup.state').evidence).toMatch(/lab-1: v1 in .+ on port \d+/);
    expect(await call('tickItem', { runId, itemId: 'backup.artifacts', by: 'Ana' })).toMatchObject({
      ok: false,
      problem: { message: expect.stringContaining('checked by Shipdeck from evidence') },
    });

    await value(call, 'waiveItem', {
      runId,
      itemId: 'backup.artifacts',
      by: 'Ana',
      reason: 'nothing to back up in this service',
    });
    const waiting = await reaching(runId, 'awaiting-decision');
    expect(item(waiting, 'backup.artifacts')).toMatchObject({
      state: 'waived',
      by: 'Ana',
      reason: 'nothing to back up in this service',
    });
    expect(item(waiting, 'verify.health')).toMatchObject({ state: 'done', by: 'Shipdeck' });
    expect(item(waiting, 'verify.logs').evidence).toMatch(/lab-1: 0 error lines in the last \d+ of /);
    await value(call, 'rollbackRun', { runId, reason: 'done testing the backup check' });
  }, 60_000);
});

describe('change classes and approvals', () => {
  it("an unclassified release is treated as high: it cannot reach DEPLOY without a second person's approval", async () => {
    await value(call, 'saveService', { text: spec() });
    const preview = await plan('v2', 'staging', { impact: 'checkout page', ci: 'build #412 green' });
    expect(preview.discipline).toMatchObject({
      class: 'high',
      classified: false,
      approval: true,
      staging: true,
      checklist: 'full',
    });
    const runId = await start(preview, 'Ana');

    // The full checklist: PREPARE's manual items come first.
    const prepare = await reaching(runId, 'paused', 'BACKUP');
    expect(prepare.waiting!.blockers.map((b) => b.id).sort()).toEqual(['pre.env', 'pre.review']);
    expect(item(prepare, 'pre.classified')).toMatchObject({
      state: 'failed',
      required: false,
      evidence: 'Not classified: treated as high (approval and staging first)',
    });
    expect(item(prepare, 'pre.ci')).toMatchObject({ state: 'done', evidence: 'CI: build #412 green' });
    await value(call, 'tickItem', { runId, itemId: 'pre.review', by: 'Ana', note: 'PR 88 reviewed by Cleo' });
    await value(call, 'tickItem', { runId, itemId: 'pre.env', by: 'Ana' });

    const deploy = await reaching(runId, 'paused', 'DEPLOY');
    expect(deploy.waiting!.blockers).toEqual([expect.objectContaining({ kind: 'approval' })]);
    expect(deploySteps(deploy)).toEqual([]);
    // Still held back a second later: nothing moves without the approval.
    await new Promise((r) => setTimeout(r, 1000));
    expect(deploySteps(await getRun(runId))).toEqual([]);
    const self = await call('decideApproval', { runId, by: ' ana ', decision: 'approve', note: '' });
    expect(self).toMatchObject({ ok: false, problem: { message: 'ana started this run and cannot also approve it' } });
    expect(await call('confirmRun', { runId })).toMatchObject({ ok: false });

    await value(call, 'decideApproval', { runId, by: 'Ben', decision: 'approve', note: 'infra change reviewed' });
    const verified = await reaching(runId, 'awaiting-decision');
    expect(deploySteps(verified).length).toBeGreaterThan(0);
    // DEPLOY's and VERIFY's manual items hold the confirm back until they are ticked.
    const early = await call('confirmRun', { runId });
    expect(early).toMatchObject({
      ok: false,
      problem: { message: 'gates v2 cannot be confirmed yet: Configuration verified; Critical user flows tested' },
    });
    await value(call, 'tickItem', { runId, itemId: 'staging.config', by: 'Ana' });
    await value(call, 'tickItem', { runId, itemId: 'verify.flows', by: 'Ana', note: 'checkout and login' });
    await value(call, 'confirmRun', { runId });

    // Sign-off closes the run once its own checklist is done.
    expect(await call('signOffRun', { runId, by: 'Ana', note: '' })).toMatchObject({
      ok: false,
      problem: { message: expect.stringContaining('Stakeholders notified') },
    });
    await value(call, 'tickItem', { runId, itemId: 'signoff.issues', by: 'Ana' });
    await value(call, 'tickItem', { runId, itemId: 'signoff.notified', by: 'Ana', note: '#releases' });
    await value(call, 'signOffRun', { runId, by: 'Ana', note: 'v2 live on staging' });
    const closed = await getRun(runId);
    expect(closed.signOff).toMatchObject({ by: 'Ana', note: 'v2 live on staging' });
    expect(item(closed, 'signoff.successful')).toMatchObject({
      state: 'done',
      evidence: `v2 confirmed live on ${stagingHost.name}`,
    });
    expect(closed.approvals.map((a) => `${a.by}:${a.decision}:${a.note}`)).toEqual([
      'Ben:approve:infra change reviewed',
    ]);
    // An ended run's checklist is read-only.
    expect(await call('waiveItem', { runId, itemId: 'pre.qa', by: 'Ana', reason: 'too late' })).toMatchObject({
      ok: false,
      problem: { message: expect.stringContaining('read-only') },
    });
  }, 60_000);

  it('a rejection stops a paused run before anything is deployed', async () => {
    const runId = await start(
      await plan('v2-slow', 'staging', { class: 'high', impact: 'search', ci: 'green' }),
      'Ana',
    );
    await reaching(runId, 'paused', 'BACKUP');
    await value(call, 'tickItem', { runId, itemId: 'pre.review', by: 'Ana' });
    await value(call, 'tickItem', { runId, itemId: 'pre.env', by: 'Ana' });
    await reaching(runId, 'paused', 'DEPLOY');
    await value(call, 'decideApproval', { runId, by: 'Ben', decision: 'reject', note: 'not during the sale' });
    const ended = await until('the rejected run to end', async () => {
      const run = await getRun(runId);
      return run.status === 'rolled-back' ? run : undefined;
    });
    expect(ended.problem?.message).toBe('Aborted: Rejected by Ben: not during the sale');
    expect(deploySteps(ended)).toEqual([]);
  }, 60_000);
});

describe('staging before production, and freeze windows', () => {
  it('refuses a production deploy of a release never run on staging, and shows one that passed as a promotion', async () => {
    await value(call, 'saveService', { text: spec() });
    const refused = await call('planRelease', {
      service,
      environment: 'production',
      version: 'v2-err7',
      change: { class: 'medium', impact: 'lab' },
    });
    expect(refused).toMatchObject({
      ok: false,
      problem: {
        code: 'conflict',
        message: `${service} v2-err7 has not passed on staging, and ${service} requires staging first`,
      },
    });

    const staged = await start(await plan('v2-err7', 'staging', { class: 'low', impact: 'lab' }), 'Ana');
    await reaching(staged, 'awaiting-decision');
    await value(call, 'confirmRun', { runId: staged });
    const promoted = await plan('v2-err7', 'production', { class: 'medium', impact: 'lab' });
    expect(promoted.promotedFrom).toMatchObject({ runId: staged });
    // A service may make staging optional; a high-class release still goes to staging first.
    await value(call, 'saveService', { text: spec(['staging: optional']) });
    expect(
      (
        await call('planRelease', {
          service,
          environment: 'production',
          version: 'v1',
          change: { class: 'medium', impact: 'lab' },
        })
      ).ok,
    ).toBe(true);
    expect(
      (
        await call('planRelease', {
          service,
          environment: 'production',
          version: 'v3',
          change: { class: 'high', impact: 'lab' },
        })
      ).ok,
    ).toBe(false);
  }, 60_000);

  it('stops a Friday-afternoon production deploy at the freeze, and lets it go on only with a reason, marked in the record', async () => {
    await value(call, 'saveService', { text: spec() });
    const preview = await plan('v2-err7', 'production', { class: 'low', impact: 'lab' });
    expect(preview.gates.map((g) => g.gate)).toContain('freeze');
    expect(preview.gates.find((g) => g.gate === 'freeze')!.detail).toBe(
      'Friday 15:00 (local) is inside the freeze production: Friday 12:00–24:00 (Friday afternoon)',
    );
    const runId = await start(preview, 'Ana', [
      { gate: 'no-rollback-target', reason: 'first production release' },
      { gate: 'no-monitoring', reason: 'first production release' },
    ]);

    const frozen = await reaching(runId, 'paused', 'BACKUP');
    expect(frozen.waiting!.blockers.map((b) => b.id)).toEqual(['freeze']);
    expect(item(frozen, 'pre.window')).toMatchObject({ state: 'failed' });
    expect(deploySteps(frozen)).toEqual([]);
    expect((await call('overrideGate', { runId, key: 'freeze', by: 'Ana', reason: '' })).ok).toBe(false);
    await value(call, 'overrideGate', {
      runId,
      key: 'freeze',
      by: 'Ana',
      reason: 'customer outage fix agreed with support',
    });

    const waiting = await reaching(runId, 'awaiting-decision');
    expect(waiting.gates.find((g) => g.gate === 'freeze')).toMatchObject({
      override: { by: 'Ana', reason: 'customer outage fix agreed with support' },
    });
    expect(item(waiting, 'pre.window')).toMatchObject({
      state: 'waived',
      reason: 'Deploy freeze overridden: customer outage fix agreed with support',
    });
    expect(item(waiting, 'production.deployed')).toMatchObject({ state: 'done' });
    expect(waiting.promotedFrom).toBeDefined();
    await value(call, 'rollbackRun', { runId, reason: 'end of the freeze test' });

    // With the freeze window removed in Settings, the same plan meets no freeze.
    const defaults = await value<object[]>(call, 'getFreezeRules', {});
    expect(defaults).toHaveLength(2);
    await value(call, 'updateFreezeRules', { rules: [] });
    expect(
      (await plan('v2-err7', 'production', { class: 'low', impact: 'lab' })).gates.map((g) => g.gate),
    ).not.toContain('freeze');
    // A one-off window is honoured the same way, and a malformed one is refused field by field.
    await value(call, 'updateFreezeRules', {
      rules: [
        {
          id: 'launch',
          kind: 'once',
          environment: 'production',
          label: 'Launch week',
          from: '2026-12-03T00:00',
          to: '2026-12-07T00:00',
        },
      ],
    });
    expect(
      (await plan('v2-err7', 'production', { class: 'low', impact: 'lab' })).gates.find((g) => g.gate === 'freeze')
        ?.detail,
    ).toContain('Launch week');
    const bad = await call('updateFreezeRules', {
      rules: [
        { id: 'x', kind: 'weekly', environment: 'production', label: 'Nights', days: [1], from: '22:00', to: '06:00' },
      ],
    });
    expect(bad).toMatchObject({ ok: false, problem: { where: 'rules.0.to' } });
  }, 60_000);
});
