import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../shared/contract';
import type { ContainerSummary } from '../../shared/docker';
import type { Server } from '../../shared/server';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { lab } from '../support/lab-servers';

const host = lab().hosts[0]!;
const local = new Docker({ socketPath: host.dockerSocket! });
const name = `shipdeck-test-chatty-${process.pid}`;
const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-actions-'));
const engine = new Engine({
  store: confSettingsStore(dataDir),
  log: fileLog(dataDir),
  dataDir,
  host: 'browser',
  version: 'test',
  cipher: keyFileCipher(dataDir),
});
let server: Server;

async function value<T>(reply: Promise<Reply<unknown>>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.problem)}`);
  return r.value as T;
}

beforeAll(async () => {
  // 300 numbered lines to stdout, a pause (Docker copies stdout and stderr separately, so only time orders them), two to stderr.
  const container = await local.createContainer({
    name,
    Image: 'shipdeck-lab/base:1',
    Cmd: [
      'sh',
      '-c',
      'i=1; while [ $i -le 300 ]; do echo "line-$i"; i=$((i+1)); done; sleep 1; echo "oops-1" >&2; echo "oops-2" >&2; exec sleep 3600',
    ],
    Labels: { 'shipdeck.lab': '1', 'shipdeck.test': 'container-actions' },
    HostConfig: { NetworkMode: 'none', Init: true },
  });
  await container.start();
  server = await value<Server>(
    engine.handle('addServer', {
      name: 'actions',
      host: '127.0.0.1',
      port: host.sshPort,
      user: 'root',
      auth: { kind: 'key', keyPath: lab().clientKey },
      environment: 'staging',
      labels: [],
      dockerSocket: '',
    }),
  );
  const scan = await value<{ fingerprint: string }>(engine.handle('scanHostKey', { id: server.id }));
  await value(engine.handle('trustHostKey', { id: server.id, fingerprint: scan.fingerprint }));
  for (let i = 0; i < 100; i++) {
    const { text } = await value<{ text: string }>(
      engine.handle('containerLogs', { serverId: server.id, containerId: name, tail: 5 }),
    );
    if (text.includes('oops-2')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  engine.close();
  await local
    .getContainer(name)
    .remove({ force: true })
    .catch(() => undefined);
});

describe('container actions over SSH', () => {
  it("tails a container's log: the last lines, stdout and stderr, in order", async () => {
    const tail = await value<{ text: string; truncated: boolean }>(
      engine.handle('containerLogs', { serverId: server.id, containerId: name, tail: 100 }),
    );
    const lines = tail.text.split('\n');
    expect(tail.truncated).toBe(true);
    expect(lines).toHaveLength(100);
    expect(lines.slice(0, 2)).toEqual(['line-203', 'line-204']);
    expect(lines.slice(-3)).toEqual(['line-300', 'oops-1', 'oops-2']);
    const all = await value<{ text: string; truncated: boolean }>(
      engine.handle('containerLogs', { serverId: server.id, containerId: name, tail: 1000 }),
    );
    expect(all.truncated).toBe(false);
    expect(all.text.split('\n')).toHaveLength(302);
  });

  it('restarts a container, which then runs again and has written its lines twice', async () => {
    const before = await local.getContainer(name).inspect();
    const { restartedAt } = await value<{ restartedAt: string }>(
      engine.handle('restartContainer', { serverId: server.id, containerId: name }),
    );
    expect(Date.parse(restartedAt)).toBeGreaterThan(Date.parse(before.State.StartedAt));
    const after = await local.getContainer(name).inspect();
    expect(after.State.Running).toBe(true);
    expect(Date.parse(after.State.StartedAt)).toBeGreaterThan(Date.parse(before.State.StartedAt));
    const containers = await value<ContainerSummary[]>(engine.handle('listContainers', { serverId: server.id }));
    expect(containers.find((c) => c.name === name)?.state).toBe('running');
    // The host's own audit log says who restarted what.
    const audit = readFileSync(join(host.dir, 'home', '.shipdeck', 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(audit.at(-1)).toMatchObject({ action: 'restart', container: name, who: expect.stringMatching(/@/) });
    for (let i = 0; i < 100; i++) {
      const { text } = await value<{ text: string }>(
        engine.handle('containerLogs', { serverId: server.id, containerId: name, tail: 1000 }),
      );
      if (text.split('\n').filter((l) => l === 'line-1').length === 2) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the restarted container did not write its lines again');
  });

  it('says so when the container does not exist', async () => {
    expect(
      await engine.handle('containerLogs', { serverId: server.id, containerId: 'no-such-container', tail: 10 }),
    ).toMatchObject({
      ok: false,
      problem: {
        code: 'not-found',
        message: expect.stringContaining('Docker on actions could not read the logs of no-such-container'),
      },
    });
    expect(
      await engine.handle('restartContainer', { serverId: server.id, containerId: 'no-such-container' }),
    ).toMatchObject({ ok: false, problem: { code: 'not-found' } });
  });
});
