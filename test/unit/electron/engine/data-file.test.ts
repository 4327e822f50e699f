import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditVerification } from '../../../../shared/audit-chain';
import { redactionOf } from '../../../../shared/redaction';
import { ProblemError } from '../../../../shared/problem';
import type { RunSummary } from '../../../../shared/run';
import { AuditTrail, verifyAuditFolder } from '../../../../electron/engine/audit/audit-trail';
import { appendWhole, storageError, writeWhole } from '../../../../electron/engine/data-file';
import { storageProblem } from '../../../../shared/problem';
import { Engine } from '../../../../electron/engine/engine';
import { fileLog } from '../../../../electron/engine/log';
import { Inventory } from '../../../../electron/engine/inventory';
import { confSettingsStore, wholeSet, type SettingsStore } from '../../../../electron/engine/settings-store';
import { keyFileCipher, Vault } from '../../../../electron/engine/vault';

const engines: Engine[] = [];
afterEach(() => engines.splice(0).forEach((e) => e.close()));
const folder = () => mkdtempSync(join(tmpdir(), 'shipdeck-data-file-'));
const record = (where: string) => ({
  at: '2025-06-02T10:00:00.000Z',
  who: 'ana@laptop',
  where,
  action: 'saveService',
  result: 'ok' as const,
});

describe('whole appends', () => {
  it('start on a fresh line after a torn tail, so nothing is glued onto it', () => {
    const file = join(folder(), 'journal.ndjson');
    writeFileSync(file, '{"a":1}\n{"b":');
    expect(appendWhole(file, '{"c":3}\n')).toBe(13);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n{"b":\n{"c":3}\n');
    appendWhole(file, '{"d":4}\n');
    expect(readFileSync(file, 'utf8').split('\n')).toEqual(['{"a":1}', '{"b":', '{"c":3}', '{"d":4}', '']);
  });

  it('turn a full disk into a Problem naming the folder and what to do', () => {
    // /dev/full answers every write with ENOSPC, as a full disk does.
    let thrown: unknown;
    try {
      appendWhole('/dev/full', 'x\n');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemError);
    expect((thrown as ProblemError).problem).toEqual({
      code: 'storage',
      message: 'Could not write full in /dev: the disk that holds it is full (ENOSPC); nothing was half-written',
      where: '/dev',
      hint: 'Free space on the disk that holds /dev, then retry.',
    });
    const readOnly = storageError(
      Object.assign(new Error('EROFS'), { code: 'EROFS', path: '/data/shipdeck/settings.json' }),
      '/x',
    );
    expect((readOnly as ProblemError).problem).toMatchObject({
      where: '/data/shipdeck',
      hint: expect.stringContaining('read-write'),
    });
    const other = new Error('EISDIR');
    expect(storageError(Object.assign(other, { code: 'EISDIR' }), '/x')).toBe(other);
  });

  it('replace a file whole and leave no temporary file when they cannot', () => {
    const dir = folder();
    const file = join(dir, 'secrets.json');
    writeWhole(file, '{"a":"1"}');
    expect(readFileSync(file, 'utf8')).toBe('{"a":"1"}');
    expect(() => writeWhole(join(dir, 'no-such-folder', 'x.json'), 'y')).toThrow();
  });
});

describe('the audit trail after a torn write', () => {
  it('writes the next entry on a line of its own, and verifies as intact with an incomplete last write noted', () => {
    const dir = folder();
    const trail = new AuditTrail(dir, redactionOf([]));
    trail.append(record('one'));
    trail.append(record('two'));
    // A crash mid-write: half an entry, no newline, the head not moved.
    writeFileSync(
      join(dir, 'audit.ndjson'),
      `${readFileSync(join(dir, 'audit.ndjson'), 'utf8')}{"seq":3,"at":"2025-06-02T10:00:00.000Z","who":"ana@la`,
    );
    const torn: AuditVerification = verifyAuditFolder(dir);
    expect(torn).toMatchObject({ ok: true, entries: 2, incomplete: [{ line: 3, seq: 3 }] });
    const again = new AuditTrail(dir, redactionOf([]));
    expect(again.append(record('three')).seq).toBe(3);
    const lines = readFileSync(join(dir, 'audit.ndjson'), 'utf8').split('\n');
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[3]!)).toMatchObject({ seq: 3, where: 'three' });
    expect(verifyAuditFolder(dir)).toMatchObject({ ok: true, entries: 3, incomplete: [{ line: 3, seq: 3 }] });
  });
});

describe('a run journal that holds no run', () => {
  it('is listed as unreadable with why, and never breaks the list or History', async () => {
    const dataDir = folder();
    mkdirSync(join(dataDir, 'runs'), { recursive: true });
    writeFileSync(join(dataDir, 'runs', '2025-06-02T10-14-03-120Z-web-v2.ndjson'), '');
    writeFileSync(
      join(dataDir, 'runs', '2025-06-03T09-00-00-000Z-web-v3.ndjson'),
      '{"t":"2025-06-03T09:00:00.000Z","type":"ru',
    );
    const engine = new Engine({
      store: confSettingsStore(dataDir),
      log: fileLog(dataDir),
      dataDir,
      host: 'browser',
      version: 'test',
      cipher: keyFileCipher(dataDir),
    });
    engines.push(engine);
    const listed = await engine.handle('listRuns', {});
    expect(listed.ok).toBe(true);
    const runs = (listed as { value: RunSummary[] }).value;
    expect(runs.map((r) => [r.id, r.status, r.startedAt])).toEqual([
      ['2025-06-03T09-00-00-000Z-web-v3', 'unreadable', '2025-06-03T09:00:00.000Z'],
      ['2025-06-02T10-14-03-120Z-web-v2', 'unreadable', '2025-06-02T10:14:03.120Z'],
    ]);
    expect(runs[1]!.problem).toMatchObject({
      message: expect.stringContaining('is empty'),
      where: join(dataDir, 'runs', '2025-06-02T10-14-03-120Z-web-v2.ndjson'),
    });
    const opened = await engine.handle('getRun', { runId: '2025-06-02T10-14-03-120Z-web-v2' });
    expect(opened).toMatchObject({
      ok: false,
      problem: {
        code: 'not-found',
        message: expect.stringContaining('is empty'),
        where: expect.stringContaining('runs/'),
      },
    });
    expect(JSON.stringify(opened)).not.toContain('Unexpected error');
  });
});

describe('settings and secrets that must go together', () => {
  it('undo a settings write that did not reach the disk whole, and name the folder', () => {
    const dir = folder();
    const path = join(dir, 'settings.json');
    writeFileSync(path, JSON.stringify({ servers: [{ id: 'a' }], logs: { capLines: 10 } }, null, '\t'));
    // What a short write renamed over the file would leave.
    const cutShort = () => writeFileSync(path, '{\n\t"servers": [{"id": "a"}, {"id": "b"');
    let thrown: unknown;
    try {
      wholeSet(path, 'servers', [{ id: 'a' }, { id: 'b' }] as never, cutShort);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as ProblemError).problem).toMatchObject({ code: 'storage', where: dir });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ servers: [{ id: 'a' }], logs: { capLines: 10 } });
    // A set that did write what it was given passes, fields left undefined or not.
    wholeSet(path, 'logs', { capLines: 20, extra: undefined } as never, () =>
      writeFileSync(path, JSON.stringify({ servers: [{ id: 'a' }], logs: { capLines: 20 } })),
    );
  });

  it('put a server secret back when the settings that go with it cannot be written', () => {
    const dir = folder();
    const vault = new Vault(dir, keyFileCipher(dir));
    let full = false;
    const saved: Record<string, unknown> = { servers: [] };
    const store = {
      path: join(dir, 'settings.json'),
      get: (key: string) => saved[key],
      set: (key: string, value: unknown) => {
        if (full) throw new ProblemError(storageProblem('ENOSPC', join(dir, 'settings.json')));
        saved[key] = value;
      },
    } as unknown as SettingsStore;
    const inventory = new Inventory(store, vault);
    const draft = {
      name: 'prod-1',
      host: '10.0.0.5',
      port: 22,
      user: 'deploy',
      auth: { kind: 'password' as const, secret: 'first-password' },
      environment: 'production',
      labels: [],
      dockerSocket: '',
    };
    const server = inventory.add(draft);
    full = true;
    expect(() =>
      inventory.update(server.id, { ...draft, auth: { kind: 'password', secret: 'second-password' } }),
    ).toThrow(ProblemError);
    expect(inventory.secretOf(server.id)).toBe('first-password');
    expect(() => inventory.add({ ...draft, name: 'prod-2', auth: { kind: 'password', secret: 'third' } })).toThrow(
      ProblemError,
    );
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')))).toEqual([server.id]);
  });
});
