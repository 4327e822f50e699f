import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../shared/contract';
import type { ContainerSummary } from '../../shared/docker';
import type { Server, ServerDraft } from '../../shared/server';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { lab } from '../support/lab-servers';

const work = mkdtempSync(join(tmpdir(), 'shipdeck-auth-'));
const agents: ChildProcess[] = [];
const engines: Engine[] = [];
afterAll(() => {
  engines.forEach((e) => e.close());
  agents.forEach((a) => a.kill());
});

function engineFor(dataDir: string, env: NodeJS.ProcessEnv = process.env): Engine {
  const engine = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: 'test',
    cipher: keyFileCipher(dataDir),
    env,
  });
  engines.push(engine);
  return engine;
}

async function value<T>(reply: Promise<Reply<unknown>>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.problem)}`);
  return r.value as T;
}

/** Add a lab server and trust its key, as a user would after checking the fingerprint. */
async function addTrusted(
  engine: Engine,
  draft: Partial<ServerDraft> & Pick<ServerDraft, 'name' | 'port' | 'auth'>,
): Promise<Server> {
  const server = await value<Server>(
    engine.handle('addServer', {
      host: '127.0.0.1',
      user: 'root',
      environment: 'staging',
      labels: [],
      dockerSocket: '',
      ...draft,
    }),
  );
  const scan = await value<{ fingerprint: string }>(engine.handle('scanHostKey', { id: server.id }));
  return value<Server>(engine.handle('trustHostKey', { id: server.id, fingerprint: scan.fingerprint }));
}

/** The lab's client key, encrypted with a passphrase (same key pair, so still authorized). */
function clientKeyWithPassphrase(passphrase: string): string {
  const path = join(work, `client-${Math.random().toString(36).slice(2)}`);
  copyFileSync(lab().clientKey, path);
  execFileSync('ssh-keygen', ['-q', '-p', '-N', passphrase, '-f', path]);
  return path;
}

/** Every file under a folder, as text. */
function everyFile(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path).toString('latin1') }));
}

describe('logging in', () => {
  const [lab1, lab2, lab3] = lab().hosts;

  it('with a passphrase-protected key, the passphrase stored encrypted', async () => {
    const engine = engineFor(mkdtempSync(join(work, 'data-')));
    const keyPath = clientKeyWithPassphrase('open sesame');
    const withPassphrase = await addTrusted(engine, {
      name: 'pp',
      port: lab1!.sshPort,
      auth: { kind: 'key', keyPath, secret: 'open sesame' },
    });
    expect(withPassphrase.auth).toEqual({ kind: 'key', keyPath, hasSecret: true });
    expect(await engine.handle('connectServer', { id: withPassphrase.id })).toMatchObject({ ok: true });

    const without = await addTrusted(engine, {
      name: 'pp-missing',
      port: lab1!.sshPort,
      auth: { kind: 'key', keyPath },
    });
    expect(await engine.handle('connectServer', { id: without.id })).toMatchObject({
      ok: false,
      problem: { code: 'key-unreadable', message: expect.stringContaining('protected by a passphrase') },
    });

    const wrong = await addTrusted(engine, {
      name: 'pp-wrong',
      port: lab1!.sshPort,
      auth: { kind: 'key', keyPath, secret: 'not it' },
    });
    expect(await engine.handle('connectServer', { id: wrong.id })).toMatchObject({
      ok: false,
      problem: { code: 'key-unreadable', message: expect.stringContaining('does not open the key') },
    });

    // An edit without a secret keeps the stored one.
    const edited = await value<Server>(
      engine.handle('updateServer', {
        id: withPassphrase.id,
        draft: {
          name: 'pp',
          host: '127.0.0.1',
          port: lab1!.sshPort,
          user: 'root',
          auth: { kind: 'key', keyPath },
          environment: 'production',
          labels: ['edited'],
          dockerSocket: '',
        },
      }),
    );
    expect(edited).toMatchObject({
      environment: 'production',
      labels: ['edited'],
      auth: { hasSecret: true },
      hostKey: { fingerprint: lab1!.hostKeyFingerprint },
    });
    expect(await engine.handle('connectServer', { id: edited.id })).toMatchObject({ ok: true });
  });

  it('with ssh-agent', async () => {
    const socket = join(work, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    agents.push(agent);
    for (let i = 0; i < 50 && !existsQuiet(socket); i++) await new Promise((r) => setTimeout(r, 50));
    execFileSync('ssh-add', [lab().clientKey], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });

    const engine = engineFor(mkdtempSync(join(work, 'data-')), { ...process.env, SSH_AUTH_SOCK: socket });
    const server = await addTrusted(engine, { name: 'agent', port: lab2!.sshPort, auth: { kind: 'agent' } });
    expect(await engine.handle('connectServer', { id: server.id })).toMatchObject({ ok: true });

    const noAgent = engineFor(mkdtempSync(join(work, 'data-')), { ...process.env, SSH_AUTH_SOCK: '' });
    const lonely = await addTrusted(noAgent, { name: 'agent', port: lab2!.sshPort, auth: { kind: 'agent' } });
    expect(await noAgent.handle('connectServer', { id: lonely.id })).toMatchObject({
      ok: false,
      problem: { code: 'auth-failed', message: expect.stringContaining('SSH_AUTH_SOCK') },
    });
  });

  it('with a password, and a wrong password is refused clearly', async () => {
    const { sdlab } = lab();
    const engine = engineFor(mkdtempSync(join(work, 'data-')));
    const server = await addTrusted(engine, {
      name: 'pw',
      port: lab2!.sshPort,
      user: sdlab.user,
      auth: { kind: 'password', secret: sdlab.password },
    });
    expect(server.auth).toEqual({ kind: 'password', hasSecret: true });
    expect(await engine.handle('connectServer', { id: server.id })).toMatchObject({
      ok: true,
      value: { login: `${sdlab.user}@127.0.0.1:${lab2!.sshPort}` },
    });

    const wrong = await addTrusted(engine, {
      name: 'pw-wrong',
      port: lab2!.sshPort,
      user: sdlab.user,
      auth: { kind: 'password', secret: 'wrong-password' },
    });
    const reply = await engine.handle('connectServer', { id: wrong.id });
    expect(reply).toMatchObject({
      ok: false,
      problem: { code: 'auth-failed', message: expect.stringContaining('refused the password') },
    });
    expect(JSON.stringify(reply)).not.toContain('wrong-password');
  });

  it('says when the user may not use Docker on the host', async () => {
    const { sdlab } = lab();
    expect(sdlab.dockerHosts).not.toContain(lab3!.name);
    const engine = engineFor(mkdtempSync(join(work, 'data-')));
    const allowed = await addTrusted(engine, {
      name: 'sd-allowed',
      port: lab1!.sshPort,
      user: sdlab.user,
      auth: { kind: 'key', keyPath: lab().clientKey },
    });
    expect(
      (await value<ContainerSummary[]>(engine.handle('listContainers', { serverId: allowed.id }))).map((c) => c.name),
    ).toContain('lab-app-v1');
    const denied = await addTrusted(engine, {
      name: 'sd-denied',
      port: lab3!.sshPort,
      user: sdlab.user,
      auth: { kind: 'key', keyPath: lab().clientKey },
    });
    expect(await engine.handle('listContainers', { serverId: denied.id })).toMatchObject({
      ok: false,
      problem: {
        code: 'docker-permission',
        message: expect.stringContaining(`User ${sdlab.user} may not use Docker`),
        hint: expect.stringContaining('usermod -aG docker'),
      },
    });
  });

  it('never writes a secret in plain text to the data folder or the logs', async () => {
    const planted = { passphrase: `PLANTED-PASSPHRASE-${Date.now()}`, wrongPassword: `PLANTED-PASSWORD-${Date.now()}` };
    const dataDir = mkdtempSync(join(work, 'data-'));
    const engine = engineFor(dataDir);
    const keyPath = clientKeyWithPassphrase(planted.passphrase);
    const key = await addTrusted(engine, {
      name: 'planted-key',
      port: lab1!.sshPort,
      auth: { kind: 'key', keyPath, secret: planted.passphrase },
    });
    const pw = await addTrusted(engine, {
      name: 'planted-pw',
      port: lab2!.sshPort,
      user: lab().sdlab.user,
      auth: { kind: 'password', secret: planted.wrongPassword },
    });
    const replies = [
      await engine.handle('connectServer', { id: key.id }),
      await engine.handle('listContainers', { serverId: key.id }),
      await engine.handle('runDiagnostic', { serverId: key.id, diagnostic: 'uname' }),
      await engine.handle('connectServer', { id: pw.id }),
      await engine.handle('listServers', {}),
      await engine.handle('refreshFleet', {}),
    ];
    expect(replies[0]).toMatchObject({ ok: true });
    expect(replies[3]).toMatchObject({ ok: false, problem: { code: 'auth-failed' } });
    await new Promise((r) => setTimeout(r, 300));
    const files = everyFile(dataDir);
    expect(files.map((f) => f.path.slice(dataDir.length))).toEqual(
      expect.arrayContaining(['/settings.json', '/secrets.json', '/vault.key', '/logs/engine.log']),
    );
    for (const secret of Object.values(planted)) {
      for (const file of files) expect(file.text.includes(secret), `${secret} found in ${file.path}`).toBe(false);
      expect(JSON.stringify(replies)).not.toContain(secret);
    }
  });
});

function existsQuiet(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
