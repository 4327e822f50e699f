import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventOf, HostKeyScan, Reply } from '../../shared/contract';
import type { ContainerSummary } from '../../shared/docker';
import type { Server } from '../../shared/server';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { closedPort, lab } from '../support/lab-servers';

const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-slice-'));
const engine = new Engine({
  store: confSettingsStore(dataDir),
  log: fileLog(dataDir),
  dataDir,
  host: 'browser',
  version: 'test',
  cipher: keyFileCipher(dataDir),
});
type Recorded =
  | { event: 'diagnosticOutput'; payload: EventOf<'diagnosticOutput'> }
  | { event: 'diagnosticExit'; payload: EventOf<'diagnosticExit'> };
const events: Recorded[] = [];
engine.subscribe((event, payload) => {
  if (event === 'diagnosticOutput' || event === 'diagnosticExit') events.push({ event, payload } as Recorded);
});
afterAll(() => engine.close());

async function ok<T>(reply: Promise<Reply<unknown>>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.problem)}`);
  return r.value as T;
}

async function addLabServer(name: string, port: number, keyPath = lab().clientKey): Promise<Server> {
  return ok<Server>(
    engine.handle('addServer', {
      name,
      host: '127.0.0.1',
      port,
      user: 'root',
      auth: { kind: 'key', keyPath },
      environment: 'staging',
      labels: ['lab'],
      dockerSocket: '',
    }),
  );
}

async function trusted(server: Server): Promise<Server> {
  const scan = await ok<HostKeyScan>(engine.handle('scanHostKey', { id: server.id }));
  return ok<Server>(engine.handle('trustHostKey', { id: server.id, fingerprint: scan.fingerprint }));
}

/** The output and exit of one diagnostic run, once it has ended. */
async function finished(runId: string): Promise<{ stdout: string; stderr: string; exit: EventOf<'diagnosticExit'> }> {
  for (let i = 0; i < 200; i++) {
    const exit = events.find((e) => e.event === 'diagnosticExit' && e.payload.runId === runId);
    if (exit) {
      const output = events.flatMap((e) =>
        e.event === 'diagnosticOutput' && e.payload.runId === runId ? [e.payload] : [],
      );
      return {
        stdout: output
          .filter((o) => o.stream === 'stdout')
          .map((o) => o.text)
          .join(''),
        stderr: output
          .filter((o) => o.stream === 'stderr')
          .map((o) => o.text)
          .join(''),
        exit: exit.payload as EventOf<'diagnosticExit'>,
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe('the slice through the engine, against the lab', () => {
  const [host] = lab().hosts;

  it('adds a server, shows its host key, and refuses to connect until it is trusted', async () => {
    const server = await addLabServer('slice-1', host!.sshPort);
    const scan = await ok<HostKeyScan>(engine.handle('scanHostKey', { id: server.id }));
    expect(scan.fingerprint).toBe(host!.hostKeyFingerprint);
    expect(await engine.handle('connectServer', { id: server.id })).toMatchObject({
      ok: false,
      problem: { code: 'host-key-unknown', details: { fingerprint: host!.hostKeyFingerprint } },
    });
    await trusted(server);
    expect(await engine.handle('connectServer', { id: server.id })).toMatchObject({
      ok: true,
      value: { fingerprint: host!.hostKeyFingerprint },
    });
  });

  it('runs uname -a and docker version with their output streamed as events', async () => {
    const server = (await ok<Server[]>(engine.handle('listServers', {}))).find((s) => s.name === 'slice-1')!;
    const uname = await ok<{ runId: string; commandLine: string }>(
      engine.handle('runDiagnostic', { serverId: server.id, diagnostic: 'uname' }),
    );
    expect(uname.commandLine).toBe('uname -a');
    const unameResult = await finished(uname.runId);
    expect(unameResult.stdout).toMatch(/^Linux /);
    expect(unameResult.exit.exitCode).toBe(0);

    const version = await ok<{ runId: string }>(
      engine.handle('runDiagnostic', { serverId: server.id, diagnostic: 'docker-version' }),
    );
    const versionResult = await finished(version.runId);
    expect(versionResult.stdout).toContain('Server:');
    expect(versionResult.exit.exitCode).toBe(0);
  });

  it('lists the containers on the host through Docker over SSH', async () => {
    const server = (await ok<Server[]>(engine.handle('listServers', {}))).find((s) => s.name === 'slice-1')!;
    const containers = await ok<ContainerSummary[]>(engine.handle('listContainers', { serverId: server.id }));
    expect(containers.map((c) => c.name)).toContain('lab-app-v1');
  });

  it('gives clear problems for an unreachable host, a wrong key and a host without Docker', async () => {
    const unreachable = await addLabServer('slice-closed', await closedPort());
    expect(await engine.handle('scanHostKey', { id: unreachable.id })).toMatchObject({
      ok: false,
      problem: { code: 'unreachable' },
    });

    const wrongKey = await trusted(await addLabServer('slice-wrong-key', host!.sshPort, lab().wrongKey));
    expect(await engine.handle('connectServer', { id: wrongKey.id })).toMatchObject({
      ok: false,
      problem: { code: 'auth-failed' },
    });

    const missingKey = await trusted(await addLabServer('slice-no-key-file', host!.sshPort, '/nonexistent/id_ed25519'));
    expect(await engine.handle('connectServer', { id: missingKey.id })).toMatchObject({
      ok: false,
      problem: { code: 'key-unreadable', where: '/nonexistent/id_ed25519' },
    });

    const noDocker = await trusted(await addLabServer('slice-no-docker', lab().noDocker.sshPort));
    expect(await engine.handle('connectServer', { id: noDocker.id })).toMatchObject({ ok: true });
    expect(await engine.handle('listContainers', { serverId: noDocker.id })).toMatchObject({
      ok: false,
      problem: { code: 'docker-unavailable' },
    });
  });
});
