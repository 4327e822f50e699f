import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/audit';
import type { AuditVerification } from '../../shared/audit-chain';
import type { Reply } from '../../shared/contract';
import type { Server } from '../../shared/server';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { knownHostsFile } from '../lab/lab-state';
import { lab } from '../support/lab-servers';

const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'dist', 'electron', 'cli.js');
const [keyHost, passwordHost] = lab().hosts;
const login = `${userInfo().username}@${hostname()}`;
const dbPassword = 'db-secret-for-the-audit-test';

function engineIn(dataDir: string): Engine {
  return new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: 'test',
    cipher: keyFileCipher(dataDir),
  });
}

async function value<T>(reply: Promise<Reply<unknown>>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(JSON.stringify(r.problem));
  return r.value as T;
}

const trail = (dataDir: string) => readFileSync(join(dataDir, 'audit.ndjson'), 'utf8');
const entriesOf = (dataDir: string): AuditEntry[] =>
  trail(dataDir)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditEntry);

/** `shipdeck audit verify` as an operator runs it: the built command, on a folder, no engine. */
function verifyWithCli(dataDir: string): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [cli, 'audit', 'verify', '--data-dir', dataDir], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout + result.stderr };
}

/** A copy of a data folder with its trail's lines changed. */
function tampered(dataDir: string, change: (lines: string[]) => string[]): string {
  const copy = mkdtempSync(join(tmpdir(), 'shipdeck-audit-tampered-'));
  cpSync(dataDir, copy, { recursive: true });
  const lines = trail(copy).split('\n').slice(0, -1);
  writeFileSync(
    join(copy, 'audit.ndjson'),
    change(lines)
      .map((l) => `${l}\n`)
      .join(''),
  );
  return copy;
}

let dataDir: string;
let engine: Engine;

beforeAll(() => {
  execFileSync('npm', ['run', 'build:engine'], { cwd: root, stdio: 'pipe' });
  dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-audit-'));
  engine = engineIn(dataDir);
});
afterAll(() => engine.close());

describe('the audit trail', () => {
  it('records real actions with who, where, what and the result, and never a secret', async () => {
    const { password, user: sdlabUser } = lab().sdlab;
    const keyServer = await value<Server>(
      engine.handle('addServer', {
        name: keyHost!.name,
        host: '127.0.0.1',
        port: keyHost!.sshPort,
        user: 'root',
        auth: { kind: 'key', keyPath: lab().clientKey },
        environment: 'staging',
        labels: [],
        dockerSocket: '',
      }),
    );
    const pwServer = await value<Server>(
      engine.handle('addServer', {
        name: 'audit-pw',
        host: '127.0.0.1',
        port: passwordHost!.sshPort,
        user: sdlabUser,
        auth: { kind: 'password', secret: password },
        environment: 'staging',
        labels: [],
        dockerSocket: '',
      }),
    );
    await value(engine.handle('importKnownHosts', { path: knownHostsFile() }));
    await value(engine.handle('connectServer', { id: keyServer.id }));
    await value(engine.handle('connectServer', { id: pwServer.id }));
    // Reads are not recorded.
    await value(engine.handle('listServers', {}));
    await value(engine.handle('getFleetSettings', {}));
    await value(
      engine.handle('saveService', {
        text: [
          'service: audit-web',
          'image: shipdeck-lab/app',
          'port: 3999',
          `servers: { staging: [${keyHost!.name}] }`,
          'healthcheck: { path: /up }',
          'secrets: [DB_PASSWORD]',
          '',
        ].join('\n'),
      }),
    );
    await value(engine.handle('setServiceSecret', { service: 'audit-web', name: 'DB_PASSWORD', value: dbPassword }));
    await value(engine.handle('updateFleetSettings', { refreshMs: 0, parallelism: 4 }));
    const missing = await engine.handle('connectServer', { id: 'no-such-server' });
    expect(missing.ok).toBe(false);

    const entries = entriesOf(dataDir);
    expect(entries.map((e) => e.action)).toEqual([
      'addServer',
      'addServer',
      'importKnownHosts',
      'connectServer',
      'connectServer',
      'saveService',
      'setServiceSecret',
      'updateFleetSettings',
      'connectServer',
    ]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(entries.every((e) => e.who === login)).toBe(true);
    expect(entries[0]).toMatchObject({
      where: keyHost!.name,
      result: 'ok',
      detail: `root@127.0.0.1:${keyHost!.sshPort} (key), environment staging`,
    });
    expect(entries[1]).toMatchObject({ where: 'audit-pw', detail: expect.stringContaining('(password)') });
    expect(entries[2]!.detail).toContain(`trusted ${keyHost!.name} ${keyHost!.hostKeyFingerprint}`);
    expect(entries[3]).toMatchObject({
      where: keyHost!.name,
      result: 'ok',
      detail: `root@127.0.0.1:${keyHost!.sshPort}, ${keyHost!.hostKeyFingerprint}`,
    });
    expect(entries[4]).toMatchObject({ where: 'audit-pw', result: 'ok' });
    expect(entries[5]).toMatchObject({ where: 'audit-web', result: 'ok' });
    expect(entries[6]).toMatchObject({ where: 'audit-web', target: 'DB_PASSWORD', detail: 'set' });
    expect(entries[7]).toMatchObject({
      where: 'settings',
      target: 'fleet',
      detail: 'refresh every 0 ms, 4 hosts at once',
    });
    expect(entries[8]).toMatchObject({ where: 'no-such-server', result: 'not-found', message: expect.any(String) });

    const text = trail(dataDir);
    expect(text).not.toContain(password);
    expect(text).not.toContain(dbPassword);
    expect(statSync(join(dataDir, 'audit.ndjson')).mode & 0o777).toBe(0o600);
    expect(await value<AuditVerification>(engine.handle('verifyAudit', {}))).toEqual({
      ok: true,
      entries: 9,
      lastAt: entries[8]!.at,
    });
    expect((await value<AuditEntry[]>(engine.handle('listAudit', { limit: 2 }))).map((e) => e.seq)).toEqual([9, 8]);
  });

  it('goes on with the same chain after a restart', async () => {
    engine.close();
    engine = engineIn(dataDir);
    await value(engine.handle('updateLogSettings', { capLines: 50_000 }));
    const last = entriesOf(dataDir).at(-1)!;
    expect(last).toMatchObject({ seq: 10, action: 'updateLogSettings', prev: entriesOf(dataDir).at(-2)!.hash });
    expect(verifyWithCli(dataDir)).toEqual({
      status: 0,
      stdout: `Audit trail intact: 10 entries, last at ${last.at}\n`,
    });
  });

  it('names the entry when one is edited, deleted or moved, and exits 1', () => {
    const edited = verifyWithCli(
      tampered(dataDir, (lines) =>
        lines.map((l, i) => (i === 6 ? l.replace('"detail":"set"', '"detail":"cleared"') : l)),
      ),
    );
    expect(edited.status).toBe(1);
    expect(edited.stdout).toMatch(
      /^Audit trail broken at entry 7 \(line 7\): altered — Entry 7 \(line 7\) was altered/,
    );

    const deleted = verifyWithCli(tampered(dataDir, (lines) => lines.filter((_, i) => i !== 3)));
    expect(deleted.status).toBe(1);
    expect(deleted.stdout).toMatch(
      /^Audit trail broken at entry 4 \(line 4\): missing — Entry 4 is missing before entry 5/,
    );

    const lastGone = verifyWithCli(tampered(dataDir, (lines) => lines.slice(0, -1)));
    expect(lastGone.status).toBe(1);
    expect(lastGone.stdout).toMatch(
      /^Audit trail broken at entry 10 \(line 10\): missing — Entry 10 is missing from the end/,
    );

    const swapped = verifyWithCli(
      tampered(dataDir, (lines) => [...lines.slice(0, 2), lines[3]!, lines[2]!, ...lines.slice(4)]),
    );
    expect(swapped.status).toBe(1);
    expect(swapped.stdout).toMatch(/^Audit trail broken at entry 4 \(line 3\): reordered/);
  });

  it('shows a trail edited under a running engine through the verifyAudit channel, and keeps the gap when entries are cut from the end', async () => {
    const cut = tampered(dataDir, (lines) => lines.slice(0, -2));
    const reopened = engineIn(cut);
    try {
      expect(await value<AuditVerification>(reopened.handle('verifyAudit', {}))).toMatchObject({
        ok: false,
        entries: 8,
        break: { what: 'missing', seq: 9, line: 9 },
      });
      // New entries follow the head, not the shortened file, so the deletion is not written over.
      await value(reopened.handle('updateLogSettings', { capLines: 60_000 }));
      expect(entriesOf(cut).at(-1)).toMatchObject({ seq: 11 });
      expect(await value<AuditVerification>(reopened.handle('verifyAudit', {}))).toMatchObject({
        ok: false,
        break: { what: 'missing', seq: 9, line: 9 },
      });
    } finally {
      reopened.close();
    }
  });
});
