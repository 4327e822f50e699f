import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunUpdate } from '../../shared/contract';
import type { LogBatch, LogSource, LogStatus } from '../../shared/log';
import type { RunPreview, RunRecord, RunStatus, RunSummary } from '../../shared/run';
import type { Server } from '../../shared/server';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { journalText } from '../../electron/engine/release/run-journal';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { knownHostsFile } from '../lab/lab-state';
import { contractClient, type Caller } from '../support/contract-client';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';
import { labReload, restoreLabHosts } from '../support/lab-cleanup';
import { lab } from '../support/lab-servers';
import { freePortPair } from '../support/ports';

const hosts = lab().hosts.slice(0, 2);
/** A change that asks for the standard checklist only: the automatic items, no approval. */
const lowRisk = { class: 'low', impact: 'lab test: no users' };
let specText: string;

/** Anything that answers requests by channel: the engine itself, or a served Shipdeck over its socket. */

async function value<T>(call: Caller, channel: string, request: unknown): Promise<T> {
  const r = await call(channel, request);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.problem)}`);
  return r.value as T;
}

/** An engine in a fresh data folder, as a new Shipdeck on another machine would be, with its run events recorded. */
function freshEngine(prefix: string): { engine: Engine; call: Caller; updates: RunUpdate[]; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const engine = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: 'test',
    cipher: keyFileCipher(dataDir),
  });
  const updates: RunUpdate[] = [];
  engine.subscribe((event, payload) => event === 'runUpdate' && updates.push(payload as RunUpdate));
  return { engine, call: (channel, request) => engine.handle(channel, request), updates, dataDir };
}

/** Add the two lab hosts with their nginx, trust their keys, save the service: as a user would. */
async function setUp(call: Caller): Promise<void> {
  for (const host of hosts) {
    await value<Server>(call, 'addServer', {
      name: host.name,
      host: '127.0.0.1',
      port: host.sshPort,
      user: 'root',
      auth: { kind: 'key', keyPath: lab().clientKey },
      environment: 'staging',
      labels: [],
      dockerSocket: '',
      proxy: { upstreamFile: host.nginx!.upstream, reload: labReload(host) },
    });
  }
  await value(call, 'importKnownHosts', { path: knownHostsFile() });
  await value(call, 'saveService', { text: specText });
}

async function serving(publicPort: number): Promise<string> {
  return (await (await fetch(`http://127.0.0.1:${publicPort}/`, { headers: { Connection: 'close' } })).text()).trim();
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Poll a run until it reaches `status`; a run that ends in another state fails the test with its problem. */
async function runReaching(call: Caller, runId: string, status: RunStatus): Promise<RunRecord> {
  return until(`run ${runId} ${status}`, async () => {
    const run = await value<RunRecord>(call, 'getRun', { runId });
    if (run.status === status) return run;
    if (run.status === 'failed' || run.status === 'rolled-back' || run.status === 'confirmed')
      throw new Error(`run ended ${run.status}: ${JSON.stringify(run.problem)}`);
    return undefined;
  });
}

beforeAll(async () => {
  // Whatever ran on the lab before (a demo left on a release, another suite), the hosts start on v1.
  await restoreLabHosts(hosts);
  specText = [
    'service: web',
    'image: shipdeck-lab/app',
    `port: ${await freePortPair()}`,
    `servers: { staging: [${hosts.map((h) => h.name).join(', ')}] }`,
    'healthcheck: { path: /up, status: 200, interval: 200ms, timeout: 1s, retries: 50 }',
    'retain: 2',
    'backup:',
    `  - command: "mkdir -p ${lab().dir}/backups && echo backup of {{release}} > ${lab().dir}/backups/web-{{release}}.txt"`,
    `    artifact: "${lab().dir}/backups/web-{{release}}.txt"`,
    'hooks:',
    '  pre-deploy: ["echo pre-deploy hook for {{release}}"]',
    '  post-deploy: ["echo post-deploy hook for {{release}}"]',
    '',
  ].join('\n');
});
afterAll(() => restoreLabHosts(hosts));

describe('a release run', () => {
  it('previews the plan, runs PREPARE to VERIFY, waits for a decision, rolls back, all journaled', async () => {
    const { engine, call, dataDir } = freshEngine('shipdeck-run-');
    try {
      await setUp(call);
      const preview = await value<RunPreview>(call, 'planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      expect(preview.hosts.map((h) => h.live)).toEqual(['v1', 'v1']);
      expect(preview.steps.map((s) => s.phase)).toEqual(expect.arrayContaining(['BACKUP', 'DEPLOY', 'VERIFY']));
      expect(preview.steps.some((s) => s.line.startsWith('docker run --detach --name web-v2-'))).toBe(true);

      const started = await value<RunSummary>(call, 'startRun', { previewId: preview.previewId, notes: 'first try' });
      const waiting = await runReaching(call, started.id, 'awaiting-decision');
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v2');
      // Every previewed step ran as previewed, in its phase, with its output kept.
      expect(
        waiting.steps
          .filter((s) => preview.steps.some((p) => p.id === s.id && p.line === s.line))
          .every((s) => s.state === 'ok'),
      ).toBe(true);
      expect(waiting.phases.map((p) => `${p.phase}:${p.state}`)).toEqual([
        'PREPARE:done',
        'BACKUP:done',
        'DEPLOY:done',
        'VERIFY:done',
      ]);
      expect(waiting.hosts.every((h) => h.switched)).toBe(true);
      // Output reaches windows through the run's log stream: what is journaled first, then what comes.
      const lines: { text: string; step?: string; host: string }[] = [];
      let ended = false;
      const sources = new Map<number, LogSource>();
      const unsubscribe = engine.subscribe(
        (event, payload) => {
          if (event === 'logStatus') ended = (payload as LogStatus).state === 'ended';
          if (event !== 'logBatch') return;
          const batch = payload as LogBatch;
          for (const source of batch.sources) sources.set(source.id, source);
          batch.text.forEach((text, i) =>
            lines.push({ text, step: sources.get(batch.src[i]!)!.step, host: sources.get(batch.src[i]!)!.host }),
          );
        },
        { owner: 'run-log' },
      );
      expect(
        (
          await engine.handle(
            'openLog',
            { streamId: 'run-log-0001', target: { kind: 'run', runId: started.id } },
            'run-log',
          )
        ).ok,
      ).toBe(true);
      await until(
        'the run log holds the pre-deploy hook',
        async () => lines.some((l) => l.text === 'pre-deploy hook for v2') || undefined,
      );
      const hook = waiting.steps.find((s) => s.phase === 'DEPLOY' && s.purpose.includes('hook'))!;
      expect(lines.filter((l) => l.step === hook.id).map((l) => l.text)).toEqual(['pre-deploy hook for v2']);
      expect(lines.some((l) => l.text === 'pre-deploy hook for v2' && hosts.some((h) => h.name === l.host))).toBe(true);
      expect(ended).toBe(false);
      const hookOutput = (phase: string) =>
        waiting.steps
          .filter((s) => s.phase === phase && s.purpose.includes('hook'))
          .flatMap((s) => s.output.map((o) => o.text))
          .join('');
      expect(hookOutput('DEPLOY')).toContain('pre-deploy hook for v2');
      expect(hookOutput('VERIFY')).toContain('post-deploy hook for v2');

      const rolledBack = await value<RunSummary>(call, 'rollbackRun', { runId: started.id, reason: 'test says so' });
      expect(rolledBack.status).toBe('rolled-back');
      // Once the run has ended, so does its log stream.
      await until('the run log ended', async () => ended || undefined);
      unsubscribe();
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v1');
      const journal = journalText(dataDir, started.id)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(journal[0].type).toBe('run');
      expect(journal.at(-1)).toMatchObject({ type: 'status', status: 'rolled-back' });
      expect((await value<RunSummary[]>(call, 'listRuns', {})).map((r) => r.status)).toEqual(['rolled-back']);
      // Back to a warm v1, which held its port all along: no ownership check stands between the click and the switch.
      const record = await value<RunRecord>(call, 'getRun', { runId: started.id });
      expect(
        record.steps.filter((s) => s.phase === 'ROLLBACK' && s.line.startsWith('check that every socket')),
      ).toEqual([]);
    } finally {
      engine.close();
    }
  }, 60_000);

  it("survives SIGKILL mid-deploy: the run reopens as interrupted beside the hosts' state, and rolls back", async () => {
    await restoreLabHosts(hosts);
    const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-kill-'));
    let served: ServedShipdeck = await serveShipdeck({ dataDir });
    let socket = await contractClient(served);
    try {
      await setUp(socket.call);
      const preview = await value<RunPreview>(socket.call, 'planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      const runStep = preview.steps.find((s) => s.line.startsWith('docker run'))!;
      const started = await value<RunSummary>(socket.call, 'startRun', { previewId: preview.previewId, notes: '' });
      // Kill the engine the moment the first new container has started: locks held, nothing switched yet.
      await until('docker run done', async () =>
        socket.updates.some((u) => u.kind === 'step' && u.step.id === runStep.id && u.step.state === 'ok')
          ? true
          : undefined,
      );
      served.process.kill('SIGKILL');
      await new Promise((r) => served.process.once('exit', r));

      served = await serveShipdeck({ dataDir });
      socket = await contractClient(served);
      const reopened = await value<RunRecord>(socket.call, 'getRun', { runId: started.id });
      expect(reopened.status).toBe('interrupted');
      expect(reopened.problem?.message).toContain('stopped while this run was under way');
      expect(reopened.steps.find((s) => s.id === runStep.id)?.state).toBe('ok');
      // The hosts still hold the lock: a new run is refused, naming the interrupted one.
      const blocked = await value<RunPreview>(socket.call, 'planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      const refused = await value<RunSummary>(socket.call, 'startRun', { previewId: blocked.previewId, notes: '' });
      const failed = await runReaching(socket.call, refused.id, 'failed');
      expect(failed.problem?.message).toMatch(/locked by .* for v2/);
      // Hosts deploy side by side: at the kill some may already serve v2, none anything else.
      for (const host of hosts) expect(await serving(host.publicPort!)).toMatch(/v1|v2/);
      // Opened again, the run shows what each host really does, read from the host.
      expect(reopened.actual?.map((a) => a.server)).toEqual(hosts.map((h) => h.name));
      for (const a of reopened.actual!) {
        expect(a.serving).toMatch(/^v[12]$/);
        expect(a.lockHeldBy).toMatch(/ for v2$/);
      }
      // Resume: the hosts not yet on v2 are deployed again, then VERIFY, then a decision.
      await value<RunSummary>(socket.call, 'resumeRun', { runId: started.id });
      const resumed = await runReaching(socket.call, started.id, 'awaiting-decision');
      expect(resumed.phases.find((p) => p.phase === 'VERIFY')?.state).toBe('done');
      // A step run again after the restart takes its earlier copy's place: one copy of each, none left running.
      expect(new Set(resumed.steps.map((s) => s.id)).size).toBe(resumed.steps.length);
      expect(resumed.steps.find((s) => s.id === runStep.id)?.line).toBe(runStep.line);
      const copies = resumed.steps.filter((s) => s.phase === 'DEPLOY').map((s) => `${s.host} ${s.line}`);
      expect(new Set(copies).size).toBe(copies.length);
      expect(resumed.steps.filter((s) => s.state === 'running' || s.state === 'pending')).toEqual([]);
      // DEPLOY's checklist item is ticked from what the resume found and did, so Confirm would need no waiver.
      expect(resumed.checklist.items.find((i) => i.check === 'deployed')).toMatchObject({
        state: 'done',
        evidence: expect.stringMatching(/v2 (answered \/up|already served)/),
      });
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v2');
      const after = await value<RunSummary>(socket.call, 'rollbackRun', {
        runId: started.id,
        reason: 'engine was killed',
      });
      expect(after.status).toBe('rolled-back');
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v1');
      // The lock is free again.
      const next = await value<RunPreview>(socket.call, 'planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      expect(next.hosts).toHaveLength(2);
    } finally {
      socket.close();
      await served.stop();
    }
  }, 90_000);

  it('ends a run killed before DEPLOY as failed, touching no host: nothing to resume, and the next run is not blocked', async () => {
    await restoreLabHosts(hosts);
    const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-kill-early-'));
    let served: ServedShipdeck = await serveShipdeck({ dataDir });
    let socket = await contractClient(served);
    try {
      await setUp(socket.call);
      // A backup that takes its time, so the kill lands in BACKUP.
      await value(socket.call, 'saveService', { text: specText.replace('echo backup of', 'sleep 30; echo backup of') });
      const preview = await value<RunPreview>(socket.call, 'planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      const started = await value<RunSummary>(socket.call, 'startRun', { previewId: preview.previewId, notes: '' });
      await until('the backup running', async () =>
        socket.updates.some((u) => u.kind === 'step' && u.step.phase === 'BACKUP' && u.step.state === 'running')
          ? true
          : undefined,
      );
      served.process.kill('SIGKILL');
      await new Promise((r) => served.process.once('exit', r));

      served = await serveShipdeck({ dataDir });
      socket = await contractClient(served);
      const reopened = await value<RunRecord>(socket.call, 'getRun', { runId: started.id });
      expect(reopened.status).toBe('failed');
      expect(reopened.problem?.message).toBe(
        'Shipdeck stopped in BACKUP, before DEPLOY: nothing was deployed and no deploy lock was taken',
      );
      expect(reopened.steps.filter((s) => s.state === 'running')).toEqual([]);
      expect((await socket.call('resumeRun', { runId: started.id })).ok).toBe(false);
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v1');
      // No lock was taken, so a new run goes through (its backup quick again).
      await value(socket.call, 'saveService', { text: specText });
      const again = await value<RunPreview>(socket.call, 'planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      const next = await value<RunSummary>(socket.call, 'startRun', { previewId: again.previewId, notes: '' });
      await runReaching(socket.call, next.id, 'awaiting-decision');
      await value(socket.call, 'rollbackRun', { runId: next.id, reason: 'test' });
      await runReaching(socket.call, next.id, 'rolled-back');
    } finally {
      socket.close();
      await served.stop();
    }
  }, 90_000);

  it('killed while nginx reloads (the upstream already names v2): the resumed run reloads again and leaves no step unfinished', async () => {
    await restoreLabHosts(hosts);
    const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-kill-reload-'));
    let served: ServedShipdeck = await serveShipdeck({ dataDir });
    // The kill goes out the moment a host's DEPLOY reload is reported running: the upstream file is written, the reload under way.
    const killed = served;
    let socket = await contractClient(served, (u) => {
      if (
        u.kind === 'step' &&
        u.step.phase === 'DEPLOY' &&
        u.step.state === 'running' &&
        u.step.purpose === 'Reload nginx (graceful)' &&
        killed.process.exitCode === null
      )
        killed.process.kill('SIGKILL');
    });
    try {
      await setUp(socket.call);
      const preview = await value<RunPreview>(socket.call, 'planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      const started = await value<RunSummary>(socket.call, 'startRun', { previewId: preview.previewId, notes: '' });
      await until('the engine killed mid-reload', async () =>
        killed.process.signalCode === 'SIGKILL' ? true : undefined,
      );
      socket.close();

      served = await serveShipdeck({ dataDir });
      socket = await contractClient(served);
      const reopened = await value<RunRecord>(socket.call, 'getRun', { runId: started.id });
      const cut = reopened.steps.filter((s) => s.state === 'unfinished');
      expect(cut.map((s) => s.purpose)).toContain('Reload nginx (graceful)');
      expect(cut.every((s) => s.detail === 'Shipdeck stopped while this step ran')).toBe(true);
      await value<RunSummary>(socket.call, 'resumeRun', { runId: started.id });
      const resumed = await runReaching(socket.call, started.id, 'awaiting-decision');
      // Each step cut off in DEPLOY ran again in its own place, and so did the ones after it: none left unfinished or to do.
      expect(
        resumed.steps
          .filter((s) => s.phase === 'DEPLOY' && s.state !== 'ok')
          .map((s) => `${s.host} ${s.purpose}: ${s.state}`),
      ).toEqual([]);
      for (const step of cut) expect(resumed.steps.find((s) => s.id === step.id)?.state).toBe('ok');
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v2');
      expect((await value<RunSummary>(socket.call, 'confirmRun', { runId: started.id })).status).toBe('confirmed');
    } finally {
      socket.close();
      await served.stop();
    }
  }, 90_000);

  it('forces an abandoned lock open only with a reason, recorded on each host', async () => {
    await restoreLabHosts(hosts);
    const { engine, call } = freshEngine('shipdeck-unlock-');
    try {
      await setUp(call);
      const preview = await value<RunPreview>(call, 'planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      const run = await value<RunSummary>(call, 'startRun', { previewId: preview.previewId, notes: '' });
      await runReaching(call, run.id, 'awaiting-decision');
      expect(await call('forceUnlock', { service: 'web', environment: 'staging', reason: '' })).toMatchObject({
        ok: false,
        problem: { code: 'bad-request', where: 'reason' },
      });
      const unlocked = await value<{ hosts: { server: string; heldBy?: string }[] }>(call, 'forceUnlock', {
        service: 'web',
        environment: 'staging',
        reason: 'laptop died mid-release',
      });
      expect(unlocked.hosts.map((h) => h.server)).toEqual(hosts.map((h) => h.name));
      for (const h of unlocked.hosts) expect(h.heldBy).toMatch(/ since \S+ for v2$/);
      for (const host of hosts) {
        const audit = readFileSync(join(host.dir, 'home', '.shipdeck', 'web', 'audit.log'), 'utf8');
        expect(JSON.parse(audit.trim().split('\n').at(-1)!)).toMatchObject({
          action: 'force-unlock',
          reason: 'laptop died mid-release',
          service: 'web',
        });
      }
      // The hosts are free: another plan can take the lock (the run still rolls back cleanly).
      await value<RunSummary>(call, 'rollbackRun', { runId: run.id, reason: 'cleanup' });
    } finally {
      engine.close();
    }
  }, 60_000);

  it('aborts a run that is still working: it stops before the next step and nothing stays switched', async () => {
    await restoreLabHosts(hosts);
    const { engine, call, updates } = freshEngine('shipdeck-abort-');
    try {
      await setUp(call);
      await value(call, 'saveService', {
        text: specText.replace('pre-deploy: ["echo pre-deploy hook for {{release}}"]', 'pre-deploy: ["sleep 2"]'),
      });
      const preview = await value<RunPreview>(call, 'planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      const run = await value<RunSummary>(call, 'startRun', { previewId: preview.previewId, notes: '' });
      await until('the slow hook', async () =>
        updates.some((u) => u.kind === 'step' && u.step.purpose.includes('pre-deploy') && u.step.state === 'running')
          ? true
          : undefined,
      );
      const aborted = await value<RunSummary>(call, 'rollbackRun', { runId: run.id, reason: 'wrong version' });
      expect(aborted.status).toBe('rolled-back');
      const record = await value<RunRecord>(call, 'getRun', { runId: run.id });
      expect(record.problem?.message).toBe('Aborted: wrong version');
      expect(record.steps.some((s) => s.line.startsWith('docker run') && s.state !== 'pending')).toBe(false);
      for (const host of hosts) {
        expect(await serving(host.publicPort!)).toContain('v1');
        expect(existsSync(join(host.dir, 'home', '.shipdeck', 'web', 'lock'))).toBe(false);
      }
    } finally {
      engine.close();
    }
  }, 60_000);

  it('rolls back to a previous release that was stopped: started, checked, then switched', async () => {
    await restoreLabHosts(hosts);
    const { engine, call } = freshEngine('shipdeck-stopped-');
    try {
      await setUp(call);
      const preview = await value<RunPreview>(call, 'planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      const run = await value<RunSummary>(call, 'startRun', { previewId: preview.previewId, notes: '' });
      await runReaching(call, run.id, 'awaiting-decision');
      for (const host of hosts)
        await new Docker({ socketPath: host.dockerSocket! }).getContainer('lab-app-v1').stop({ t: 1 });
      const back = await value<RunSummary>(call, 'rollbackRun', { runId: run.id, reason: 'v2 is wrong' });
      expect(back.status).toBe('rolled-back');
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v1');
      const record = await value<RunRecord>(call, 'getRun', { runId: run.id });
      expect(
        record.steps.filter((s) => s.phase === 'ROLLBACK' && s.line === 'docker start lab-app-v1' && s.state === 'ok'),
      ).toHaveLength(2);
      // Started again, v1 proves that it is what answers on its port before traffic goes back to it.
      expect(
        record.steps.filter(
          (s) =>
            s.phase === 'ROLLBACK' && s.line.startsWith('check that every socket listening on') && s.state === 'ok',
        ),
      ).toHaveLength(2);
    } finally {
      engine.close();
    }
  }, 60_000);

  it("a second Shipdeck with its own data folder sees the first one's release live, and is refused by its lock", async () => {
    await restoreLabHosts(hosts);
    const team = [freshEngine('shipdeck-team-'), freshEngine('shipdeck-team-')];
    const engines = team.map((t) => t.engine);
    const [ana, ben] = team.map((t) => t.call) as [Caller, Caller];
    try {
      await setUp(ana);
      await setUp(ben);
      const anaRun = await value<RunSummary>(ana, 'startRun', {
        previewId: (
          await value<RunPreview>(ana, 'planRelease', {
            service: 'web',
            environment: 'staging',
            version: 'v2',
            change: lowRisk,
          })
        ).previewId,
        notes: '',
      });
      await runReaching(ana, anaRun.id, 'awaiting-decision');
      const benPreview = await value<RunPreview>(ben, 'planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      expect(benPreview.hosts.map((h) => h.live)).toEqual(['v2', 'v2']);
      const benRun = await value<RunSummary>(ben, 'startRun', { previewId: benPreview.previewId, notes: '' });
      const refused = await runReaching(ben, benRun.id, 'failed');
      expect(refused.problem?.message).toMatch(/^web on lab-\d is locked by \S+ since \S+ for v2$/);
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v2');
      await value(ana, 'rollbackRun', { runId: anaRun.id, reason: 'done' });
    } finally {
      engines.forEach((e) => e.close());
    }
  }, 60_000);

  it('gives the release its secrets, which no preview, journal or run record shows', async () => {
    await restoreLabHosts(hosts);
    const { engine, call, dataDir } = freshEngine('shipdeck-secrets-');
    const secret = `pw-${process.pid}-${Date.now().toString(36)}`;
    try {
      await setUp(call);
      await value(call, 'saveService', { text: `${specText}\nsecrets: [DB_PASSWORD]\n` });
      // Without a value the plan stops at once, saying which secret and where to set it.
      const missing = await call('planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      expect(missing).toMatchObject({
        ok: false,
        problem: { message: 'web needs a value for DB_PASSWORD, which is not set', where: 'web: secrets' },
      });
      await value(call, 'setServiceSecret', { service: 'web', name: 'DB_PASSWORD', value: secret });
      const preview = await value<RunPreview>(call, 'planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: lowRisk,
      });
      const start = preview.steps.find((s) => s.line.startsWith('docker run'))!;
      expect(start.line).toContain("--env 'DB_PASSWORD=***'");
      expect(start.line).not.toContain(secret);
      const run = await value<RunSummary>(call, 'startRun', { previewId: preview.previewId, notes: '' });
      const waiting = await runReaching(call, run.id, 'awaiting-decision');
      const container = new Docker({ socketPath: hosts[0]!.dockerSocket! }).getContainer(
        waiting.hosts.map((h) => `web-v2-${h.port}`)[0]!,
      );
      expect((await container.inspect()).Config.Env).toContain(`DB_PASSWORD=${secret}`);
      await value(call, 'rollbackRun', { runId: run.id, reason: 'secrets test' });
      expect(JSON.stringify(await value<RunRecord>(call, 'getRun', { runId: run.id }))).not.toContain(secret);
      expect(journalText(dataDir, run.id)).not.toContain(secret);
      expect(readFileSync(join(dataDir, 'logs', 'engine.log'), 'utf8')).not.toContain(secret);
    } finally {
      engine.close();
    }
  }, 60_000);

  it('pauses before DEPLOY when a backup leaves an empty artifact: the item stays unticked, and a rollback ends the run with nothing deployed', async () => {
    await restoreLabHosts(hosts);
    const { engine, call } = freshEngine('shipdeck-backup-');
    try {
      await setUp(call);
      // The command succeeds but writes nothing: the artifact check must catch it.
      await value(call, 'saveService', { text: specText.replace(/echo backup of \{\{release\}\} > /, 'true > ') });
      const run = await value<RunSummary>(call, 'startRun', {
        previewId: (
          await value<RunPreview>(call, 'planRelease', {
            service: 'web',
            environment: 'staging',
            version: 'v2',
            change: lowRisk,
          })
        ).previewId,
        notes: '',
      });
      const paused = await runReaching(call, run.id, 'paused');
      expect(paused.waiting?.at).toBe('DEPLOY');
      const item = paused.checklist.items.find((i) => i.id === 'backup.artifacts')!;
      expect(item.state).toBe('failed');
      expect(item.evidence).toMatch(/lab-1: .*web-v2\.txt is empty \(0 bytes\)/);
      expect(paused.waiting?.blockers.map((b) => b.id)).toEqual(['backup.artifacts']);
      expect(paused.steps.filter((s) => s.phase === 'DEPLOY' && s.state !== 'pending')).toEqual([]);
      await value(call, 'rollbackRun', { runId: run.id, reason: 'the backup is empty' });
      const ended = await value<RunRecord>(call, 'getRun', { runId: run.id });
      expect(ended.status).toBe('rolled-back');
      expect(ended.problem?.message).toBe('Aborted: the backup is empty');
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v1');
    } finally {
      engine.close();
    }
  }, 60_000);
});
