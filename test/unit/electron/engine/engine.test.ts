import { accessSync, constants, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from '../../../../shared/server';
import { Engine } from '../../../../electron/engine/engine';
import { fileLog } from '../../../../electron/engine/log';
import { confSettingsStore } from '../../../../electron/engine/settings-store';
import { keyFileCipher } from '../../../../electron/engine/vault';

const engines: Engine[] = [];
function engineIn(dataDir: string): Engine {
  const engine = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: '0.0.0-test',
    cipher: keyFileCipher(dataDir),
  });
  engines.push(engine);
  return engine;
}
afterEach(() => engines.splice(0).forEach((e) => e.close()));

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

const draft = {
  name: 'stage-1',
  host: 'stage.example.test',
  port: 2222,
  user: 'deploy',
  auth: { kind: 'key', keyPath: '/keys/id' },
  environment: 'staging',
  labels: ['web', 'web', ' eu '],
  dockerSocket: '',
};

describe('engine', () => {
  it('answers unknown channels and bad requests with a problem, never a throw', async () => {
    const engine = engineIn(mkdtempSync(join(tmpdir(), 'shipdeck-engine-')));
    const unknown = await engine.handle('deleteEverything', {});
    expect(unknown).toMatchObject({ ok: false, problem: { code: 'bad-request' } });
    const bad = await engine.handle('addServer', { ...draft, port: -1 });
    expect(bad).toMatchObject({ ok: false, problem: { code: 'bad-request', where: 'port' } });
    const missing = await engine.handle('connectServer', { id: 'no-such-server' });
    expect(missing).toMatchObject({ ok: false, problem: { code: 'not-found' } });
  });

  it('keeps the inventory across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-engine-'));
    const added = await engineIn(dataDir).handle('addServer', draft);
    expect(added.ok).toBe(true);
    const reopened = await engineIn(dataDir).handle('listServers', {});
    expect(reopened.ok).toBe(true);
    if (!reopened.ok) return;
    const [server] = reopened.value as Server[];
    expect(server).toMatchObject({
      name: 'stage-1',
      host: 'stage.example.test',
      port: 2222,
      user: 'deploy',
      labels: ['web', 'eu'],
      auth: { kind: 'key', keyPath: '/keys/id', hasSecret: false },
    });
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).servers).toHaveLength(1);
  });

  it('refuses a second server with the same name', async () => {
    const engine = engineIn(mkdtempSync(join(tmpdir(), 'shipdeck-engine-')));
    await engine.handle('addServer', draft);
    expect(await engine.handle('addServer', draft)).toMatchObject({
      ok: false,
      problem: { code: 'conflict', where: 'name' },
    });
  });

  it('trusts only a fingerprint the server was seen to present', async () => {
    const engine = engineIn(mkdtempSync(join(tmpdir(), 'shipdeck-engine-')));
    const added = await engine.handle('addServer', draft);
    if (!added.ok) throw new Error('add failed');
    const id = (added.value as Server).id;
    const reply = await engine.handle('trustHostKey', { id, fingerprint: 'SHA256:' + 'A'.repeat(43) });
    expect(reply).toMatchObject({ ok: false, problem: { code: 'conflict' } });
  });

  it('reads a file that is not an ssh config without repeating any of its text', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-engine-'));
    const planted = join(dataDir, 'shadow');
    writeFileSync(
      planted,
      'root:$6$salt$plantedHash:19700:0:99999:7:::\nana:$6$pepper$secondHash words:19700:0:99999:7:::\n',
    );
    const files = [planted, ...(readable('/etc/shadow') ? ['/etc/shadow'] : [])];
    for (const path of files) {
      const reply = await engineIn(dataDir).handle('readSshConfig', { path });
      expect(reply.ok).toBe(true);
      if (!reply.ok) return;
      const text = JSON.stringify(reply.value);
      const fields = readFileSync(path, 'utf8')
        .split(/[\n:\s]/)
        .filter((f) => f.length >= 2);
      expect(
        fields.filter((f) => text.includes(f)),
        path,
      ).toEqual([]);
      expect((reply.value as { warnings: string[] }).warnings[0], path).toMatch(/^lines? 1\b.*not an ssh config line/);
    }
  });

  it('says who serves the contract', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-engine-'));
    expect(await engineIn(dataDir).handle('getAppInfo', {})).toMatchObject({
      ok: true,
      value: { name: 'Shipdeck', host: 'browser', dataDir },
    });
  });
});
