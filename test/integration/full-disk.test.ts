import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/audit';
import type { AuditVerification } from '../../shared/audit-chain';
import type { RunUpdate } from '../../shared/contract';
import { ProblemError, type Problem } from '../../shared/problem';
import { redactionOf } from '../../shared/redaction';
import type { RunPreview, RunRecord, RunStatus, RunSummary } from '../../shared/run';
import type { Server } from '../../shared/server';
import { AuditTrail } from '../../electron/engine/audit/audit-trail';
import { appendWhole, truncateTo } from '../../electron/engine/data-file';
import { knownHostsFile } from '../lab/lab-state';
import { contractClient, type Caller } from '../support/contract-client';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';
import { labReload, restoreLabHosts, serving } from '../support/lab-cleanup';
import { lab } from '../support/lab-servers';
import { freePortPair } from '../support/ports';

/**
 * A full disk, for real: the data folder is a 1 MiB tmpfs. Shipdeck (the
 * built browser host) works in it, the disk is filled, Shipdeck is used while
 * nothing fits, the space is freed and Shipdeck restarted on the same folder.
 */

const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'dist', 'electron', 'cli.js');
const host = lab().hosts[0]!;
const lowRisk = { class: 'low', impact: 'lab test: no users' };

async function value<T>(call: Caller, channel: string, request: unknown): Promise<T> {
  const r = await call(channel, request);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.problem)}`);
  return r.value as T;
}

async function problemOf(call: Caller, channel: string, request: unknown): Promise<Problem> {
  const r = await call(channel, request);
  if (r.ok) throw new Error(`${channel} succeeded on a full disk`);
  return r.problem;
}

async function runReaching(call: Caller, runId: string, status: RunStatus): Promise<RunRecord> {
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    const run = await value<RunRecord>(call, 'getRun', { runId });
    if (run.status === status) return run;
    if (run.status === 'failed' || run.status === 'rolled-back' || run.status === 'confirmed')
      throw new Error(`run ended ${run.status}: ${JSON.stringify(run.problem)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} never reached ${status}`);
}

/** Fill the disk that holds `dir` to the last byte, as another program would. */
function fill(dir: string): string {
  const filler = join(dir, 'filler.bin');
  for (const size of [64 * 1024, 4096, 1]) {
    const chunk = Buffer.alloc(size, 0x2e);
    try {
      for (;;) appendFileSync(filler, chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
  }
  return filler;
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** `shipdeck audit verify` as an operator runs it. */
function verifyWithCli(dataDir: string): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [cli, 'audit', 'verify', '--data-dir', dataDir], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout + result.stderr };
}

let mountPoint: string;
let dataDir: string;
let served: ServedShipdeck | undefined;

beforeAll(async () => {
  execFileSync('npm', ['run', 'build:engine'], { cwd: root, stdio: 'pipe' });
  mountPoint = mkdtempSync(join(tmpdir(), 'shipdeck-full-'));
  // Needs root, as the lab does: a real file system that fills up, not a fake.
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', mountPoint]);
  dataDir = join(mountPoint, 'data');
  await restoreLabHosts([host]);
});

afterAll(async () => {
  await served?.stop();
  if (mountPoint) {
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
  await restoreLabHosts([host]);
});

describe('a full disk', () => {
  it('takes an append whole or not at all: a write cut short is rolled back, a file it created is removed', () => {
    const dir = join(mountPoint, 'raw');
    mkdirSync(dir);
    const journal = join(dir, 'journal.ndjson');
    appendWhole(journal, '{"seq":1}\n');
    const filler = fill(mountPoint);
    // The journal's last page has room for about 4 KB: the kernel takes part of this line, then refuses the rest.
    const line = `{"seq":2,"text":"${'x'.repeat(8000)}"}\n`;
    expect(() => appendWhole(journal, line)).toThrow(
      /Could not write journal.ndjson in .*: the disk that holds it is full \(ENOSPC\)/,
    );
    expect(readFileSync(journal, 'utf8')).toBe('{"seq":1}\n');
    // Without the rollback, what the kernel took would stay as a torn line.
    expect(() => appendFileSync(journal, line)).toThrow(/ENOSPC/);
    expect(readFileSync(journal, 'utf8').length).toBeGreaterThan(100);
    truncateTo(journal, 10);
    expect(() => appendWhole(join(dir, 'new.ndjson'), line)).toThrow(ProblemError);
    expect(readdirSync(dir)).toEqual(['journal.ndjson']);
    rmSync(filler);
    rmSync(dir, { recursive: true });
  });

  it('loses nothing and corrupts nothing: every error names the folder, and after a restart every file parses, the trail verifies and every earlier run opens', async () => {
    const spec = [
      'service: web',
      'image: shipdeck-lab/app',
      `port: ${await freePortPair()}`,
      `servers: { staging: [${host.name}] }`,
      'healthcheck: { path: /up, status: 200, interval: 200ms, timeout: 1s, retries: 50 }',
      '',
    ].join('\n');
    served = await serveShipdeck({ dataDir });
    let socket = await contractClient(served);
    const server = await value<Server>(socket.call, 'addServer', {
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
    await value(socket.call, 'importKnownHosts', { path: knownHostsFile() });
    await value(socket.call, 'saveService', { text: spec });
    // A run made before the disk fills, which must open afterwards.
    const before = await value<RunPreview>(socket.call, 'planRelease', {
      service: 'web',
      environment: 'staging',
      version: 'v2',
      change: lowRisk,
    });
    const earlier = await value<RunSummary>(socket.call, 'startRun', {
      previewId: before.previewId,
      notes: 'before the disk filled',
    });
    await runReaching(socket.call, earlier.id, 'awaiting-decision');
    await value(socket.call, 'rollbackRun', { runId: earlier.id, reason: 'the test goes on' });
    const entriesBefore = readFileSync(join(dataDir, 'audit.ndjson'), 'utf8').trim().split('\n').length;

    const filler = fill(mountPoint);

    // Each write the engine makes now is refused whole, and says which folder is full and what to do.
    const servicesFull = await problemOf(socket.call, 'saveService', {
      text: spec.replace('retries: 50', 'retries: 40'),
    });
    expect(servicesFull).toMatchObject({ code: 'storage', where: join(dataDir, 'services') });
    expect(servicesFull.hint).toBe(`Free space on the disk that holds ${join(dataDir, 'services')}, then retry.`);
    const settingsFull = await problemOf(socket.call, 'updateFleetSettings', { refreshMs: 0, parallelism: 3 });
    expect(settingsFull).toMatchObject({ code: 'storage', where: dataDir });
    const vaultFull = await problemOf(socket.call, 'updateServer', {
      id: server.id,
      draft: {
        name: host.name,
        host: '127.0.0.1',
        port: host.sshPort,
        user: 'root',
        auth: { kind: 'password', secret: 'a-password-that-does-not-fit' },
        environment: 'staging',
        labels: [],
        dockerSocket: '',
        proxy: { upstreamFile: host.nginx!.upstream, reload: labReload(host) },
      },
    });
    expect(vaultFull).toMatchObject({ code: 'storage', where: dataDir });
    const preview = await value<RunPreview>(socket.call, 'planRelease', {
      service: 'web',
      environment: 'staging',
      version: 'v2',
      change: lowRisk,
    });
    const runFull = await problemOf(socket.call, 'startRun', { previewId: preview.previewId, notes: 'on a full disk' });
    expect(runFull).toMatchObject({ code: 'storage', where: join(dataDir, 'runs') });
    const incidentFull = await problemOf(socket.call, 'openIncident', {
      title: 'disk full',
      severity: 'low',
      service: 'web',
      environment: 'staging',
      detection: 'the test filled it',
      by: 'tester',
    });
    expect(incidentFull).toMatchObject({ code: 'storage', where: join(dataDir, 'incidents') });
    for (const p of [servicesFull, settingsFull, vaultFull, runFull, incidentFull])
      expect(p.message).not.toContain('Unexpected error');
    // No run journal was left for the run that could not start, and nothing half-written beside the files.
    expect(readdirSync(join(dataDir, 'runs'))).toEqual([`${earlier.id}.ndjson`]);
    // Actions whose audit entries do not fit (the trail's last page takes a few, then one is cut short and rolled back).
    for (let i = 0; i < 30; i++) await socket.call('connectServer', { id: server.id });
    // Whatever fit went in whole; the entry the disk cut short is gone, not torn, and its head was not left behind.
    const trailWhileFull = readFileSync(join(dataDir, 'audit.ndjson'), 'utf8');
    expect(trailWhileFull.endsWith('\n')).toBe(true);
    for (const line of trailWhileFull.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    const whileFull = await value<AuditVerification>(socket.call, 'verifyAudit', {});
    expect(whileFull.break).toBeUndefined();
    expect(whileFull.ok).toBe(true);
    expect((await value<RunSummary[]>(socket.call, 'listRuns', {})).map((r) => r.id)).toEqual([earlier.id]);

    // Space again: the entries that waited go in with the next one, then a restart on the same folder.
    rmSync(filler);
    await value(socket.call, 'connectServer', { id: server.id });
    socket.close();
    await served.stop();
    served = await serveShipdeck({ dataDir });
    socket = await contractClient(served);

    // Every file parses: JSON whole, each journal line an event, each log line a line.
    const all = files(dataDir);
    expect(all.filter((f) => f.endsWith('.tmp') || /\.tmp-/.test(f)).map((f) => relative(dataDir, f))).toEqual([]);
    for (const file of all) {
      const text = readFileSync(file, 'utf8');
      if (file.endsWith('.json')) expect(() => JSON.parse(text), file).not.toThrow();
      if (file.endsWith('.ndjson')) {
        expect(text.endsWith('\n'), file).toBe(true);
        for (const line of text.trimEnd().split('\n'))
          expect(() => JSON.parse(line), `${file}: ${line.slice(0, 80)}`).not.toThrow();
      }
      if (file.endsWith('.log'))
        for (const line of text.trimEnd().split('\n'))
          expect(line, file).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z (INFO|WARN|ERROR) /);
    }
    // The trail is intact, and holds what was done while the disk was full, in order.
    const cli = verifyWithCli(dataDir);
    expect(cli.stdout).toMatch(/^Audit trail intact: \d+ entries/);
    expect(cli.status).toBe(0);
    const entries = readFileSync(join(dataDir, 'audit.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const during = entries.slice(entriesBefore);
    expect(during.filter((e) => e.result === 'storage').map((e) => e.action)).toEqual([
      'saveService',
      'updateFleetSettings',
      'updateServer',
      'startRun',
      'openIncident',
    ]);
    expect(during.filter((e) => e.action === 'connectServer')).toHaveLength(31);
    expect(await value<AuditVerification>(socket.call, 'verifyAudit', {})).toMatchObject({
      ok: true,
      entries: entries.length,
    });
    // Every earlier run opens in Runs and History; the settings and the service are as they were.
    const runs = await value<RunSummary[]>(socket.call, 'listRuns', {});
    expect(runs.map((r) => [r.id, r.status])).toEqual([[earlier.id, 'rolled-back']]);
    expect((await value<RunRecord>(socket.call, 'getRun', { runId: earlier.id })).notes).toBe('before the disk filled');
    expect(await value<{ parallelism: number }>(socket.call, 'getFleetSettings', {})).not.toMatchObject({
      parallelism: 3,
    });
    const servers = await value<Server[]>(socket.call, 'listServers', {});
    expect(servers.map((s) => [s.name, s.auth.kind])).toEqual([[host.name, 'key']]);
    // And it works again.
    await value(socket.call, 'saveService', { text: spec.replace('retries: 50', 'retries: 40') });
    socket.close();
  }, 120_000);
  it('stops a run whose journal fills up before its next step, sends back what it switched, and opens it after a restart', async () => {
    await restoreLabHosts([host]);
    const folder = join(mountPoint, 'mid-run');
    const spec = [
      'service: web',
      'image: shipdeck-lab/app',
      `port: ${await freePortPair()}`,
      `servers: { staging: [${host.name}] }`,
      'healthcheck: { path: /up, status: 200, interval: 200ms, timeout: 1s, retries: 50 }',
      'hooks:',
      '  post-deploy: ["echo post-deploy hook for {{release}}"]',
      '',
    ].join('\n');
    served = await serveShipdeck({ dataDir: folder });
    let socket = await contractClient(served);
    await value<Server>(socket.call, 'addServer', {
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
    await value(socket.call, 'importKnownHosts', { path: knownHostsFile() });
    await value(socket.call, 'saveService', { text: spec });
    const preview = await value<RunPreview>(socket.call, 'planRelease', {
      service: 'web',
      environment: 'staging',
      version: 'v2',
      change: lowRisk,
    });
    const runStep = preview.steps.find((s) => s.line.startsWith('docker run'))!;
    const started = await value<RunSummary>(socket.call, 'startRun', {
      previewId: preview.previewId,
      notes: 'the disk fills mid-run',
    });
    // The disk fills the moment the new container has started: nothing switched yet, the journal can take no more.
    const end = Date.now() + 30_000;
    while (
      !socket.updates.some((u) => u.kind === 'step' && u.step.id === runStep.id && u.step.state === 'ok') &&
      Date.now() < end
    )
      await new Promise((r) => setTimeout(r, 20));
    const filler = fill(mountPoint);
    const ended = await (async () => {
      for (;;) {
        const status = socket.updates.find(
          (u): u is Extract<RunUpdate, { kind: 'status' }> =>
            u.kind === 'status' && u.runId === started.id && u.status !== 'running',
        );
        if (status || Date.now() > end) return status;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    expect(ended).toMatchObject({
      status: 'rolled-back',
      problem: { message: expect.stringContaining('its journal cannot be written: Could not write') },
    });
    expect(ended?.problem?.message).toContain(join(folder, 'runs'));
    expect(await serving(host.publicPort!)).toContain('v1');
    rmSync(filler);
    socket.close();
    await served.stop();

    served = await serveShipdeck({ dataDir: folder });
    socket = await contractClient(served);
    for (const file of files(folder).filter((f) => f.endsWith('.ndjson'))) {
      const text = readFileSync(file, 'utf8');
      expect(text.endsWith('\n'), file).toBe(true);
      for (const line of text.trimEnd().split('\n'))
        expect(() => JSON.parse(line), `${file}: ${line.slice(0, 80)}`).not.toThrow();
    }
    // What the journal holds is what happened up to the full disk: the run opens, and waits for a person as any run cut off does.
    const reopened = await value<RunRecord>(socket.call, 'getRun', { runId: started.id });
    expect(reopened.notes).toBe('the disk fills mid-run');
    expect(reopened.steps.find((s) => s.id === runStep.id)?.state).toBe('ok');
    expect((await value<RunSummary[]>(socket.call, 'listRuns', {})).map((r) => r.id)).toEqual([started.id]);
    expect(verifyWithCli(folder)).toMatchObject({ status: 0, stdout: expect.stringMatching(/^Audit trail intact/) });
    socket.close();
    await served.stop();
    served = undefined;
  }, 120_000);
  it('says plainly, and exits, when the data folder is on a read-only disk', () => {
    const readOnly = mkdtempSync(join(tmpdir(), 'shipdeck-ro-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', readOnly]);
    try {
      const result = spawnSync(process.execPath, [cli, 'serve', '--data-dir', join(readOnly, 'data')], {
        encoding: 'utf8',
        timeout: 15_000,
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `shipdeck: Could not write data in ${readOnly}: the file system that holds it is read-only (EROFS); nothing was half-written (${readOnly}) — Remount the file system that holds ${readOnly} read-write, or start Shipdeck with another --data-dir, then retry.\n`,
      );
    } finally {
      execFileSync('umount', [readOnly]);
      rmSync(readOnly, { recursive: true, force: true });
    }
  });

  it('reads an entry lost to a torn write as incomplete, not tampering, and exits 3', () => {
    const folder = mkdtempSync(join(tmpdir(), 'shipdeck-torn-'));
    const trail = new AuditTrail(folder, redactionOf([]));
    for (const where of ['one', 'two', 'three'])
      trail.append({ at: new Date().toISOString(), who: 'ana@laptop', where, action: 'saveService', result: 'ok' });
    // What a full disk left before appends were rolled back: entry 3 cut short, the head already naming it.
    const text = readFileSync(join(folder, 'audit.ndjson'), 'utf8');
    writeFileSync(join(folder, 'audit.ndjson'), text.slice(0, text.length - 60));
    const result = verifyWithCli(folder);
    expect(result.stdout).toMatch(
      /^Audit trail incomplete at entry 3 \(line 3\): Entry 3 \(line 3\) is incomplete: its write was cut short by a crash or a full disk, so it is lost \(the head had recorded it\); this is not tampering, and the entries before it are intact\n$/,
    );
    expect(result.status).toBe(3);
    rmSync(folder, { recursive: true });
  });
});
