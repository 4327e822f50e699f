import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../shared/contract';
import { LogRing, type LogBatch, type LogSource, type LogStatus } from '../../shared/log';
import type { Server } from '../../shared/server';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { serveShipdeck } from '../support/browser-host';
import { lab } from '../support/lab-servers';

const [hostA, hostB] = lab().hosts as [
  ReturnType<typeof lab>['hosts'][number],
  ReturnType<typeof lab>['hosts'][number],
];
const service = `logs-${process.pid}`;
const label = { 'shipdeck.lab': '1', 'shipdeck.test': 'logs' };
const dockers = [hostA, hostB].map((h) => new Docker({ socketPath: h.dockerSocket! }));

async function value<T>(reply: Promise<Reply<unknown>>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.problem)}`);
  return r.value as T;
}

/** A container of the test's service on a lab host, running a shell script (host network off: it only prints). */
async function startContainer(docker: Docker, name: string, script: string, ofService = false): Promise<void> {
  await docker
    .getContainer(name)
    .remove({ force: true })
    .catch(() => undefined);
  const Labels = ofService ? { ...label, 'shipdeck.service': service } : label;
  const container = await docker.createContainer({
    name,
    Image: 'shipdeck-lab/base:1',
    Cmd: ['sh', '-c', script],
    Labels,
    HostConfig: { NetworkMode: 'none', Init: true },
  });
  await container.start();
}

/** Lines `line <from>` to `line <to - 1>` on a running container's own output, as if its process wrote them. */
async function printInContainer(docker: Docker, name: string, from: number, to: number): Promise<void> {
  const exec = await docker.getContainer(name).exec({
    Cmd: ['sh', '-c', `i=${from}; while [ $i -lt ${to} ]; do echo "line $i"; i=$((i+1)); done > /proc/1/fd/1`],
  });
  await exec.start({});
  for (let running = true; running;) {
    await new Promise((r) => setTimeout(r, 100));
    running = (await exec.inspect()).Running;
  }
}

async function removeTestContainers(): Promise<void> {
  for (const docker of dockers) {
    for (const c of await docker.listContainers({ all: true, filters: { label: ['shipdeck.test=logs'] } }))
      await docker.getContainer(c.Id).remove({ force: true });
  }
}

/** An engine in a fresh data folder with lab-1 (key) and lab-2 (sdlab's password: an inventory secret). */
async function engineWithLab(capLines: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-logs-'));
  const engine = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: 'test',
    cipher: keyFileCipher(dataDir),
  });
  const add = async (host: typeof hostA, auth: object, user: string) => {
    const server = await value<Server>(
      engine.handle('addServer', {
        name: host.name,
        host: '127.0.0.1',
        port: host.sshPort,
        user,
        auth,
        environment: 'staging',
        labels: [],
        dockerSocket: '',
      }),
    );
    const scan = await value<{ fingerprint: string }>(engine.handle('scanHostKey', { id: server.id }));
    await value(engine.handle('trustHostKey', { id: server.id, fingerprint: scan.fingerprint }));
    return server;
  };
  const a = await add(hostA, { kind: 'key', keyPath: lab().clientKey }, 'root');
  const b = await add(hostB, { kind: 'password', secret: lab().sdlab.password }, 'sdlab');
  await value(engine.handle('updateLogSettings', { capLines }));
  await value(
    engine.handle('saveService', {
      text: [
        `service: ${service}`,
        'image: shipdeck-lab/app',
        'port: 8080',
        `servers: { staging: [${hostA.name}, ${hostB.name}] }`,
        'healthcheck: { path: /up }',
      ].join('\n'),
    }),
  );
  return { engine, servers: [a, b] as const, dataDir };
}

/** What a window receives for one stream, kept the way the renderer keeps it: a LogRing of the cap. */
function receiver(engine: Engine, capLines: number, congested: () => boolean = () => false) {
  const ring = new LogRing(capLines);
  const sources = new Map<number, LogSource>();
  const received: number[] = [];
  let status: LogStatus | undefined;
  let lastSeq = -1;
  let gaps = 0;
  const owner = `test-${Math.random().toString(36).slice(2)}`;
  const unsubscribe = engine.subscribe(
    (event, payload) => {
      if (event === 'logStatus') status = payload as LogStatus;
      if (event !== 'logBatch') return;
      const batch = payload as LogBatch;
      for (const s of batch.sources) sources.set(s.id, s);
      if (batch.text.length > 0 && batch.first !== lastSeq + 1) gaps += batch.first - lastSeq - 1;
      batch.text.forEach((text, i) => {
        ring.push(batch.first + i, batch.t[i]!, batch.src[i]!, text);
        received.push(batch.first + i);
      });
      if (batch.text.length > 0) lastSeq = batch.first + batch.text.length - 1;
    },
    { owner, congested },
  );
  return {
    owner,
    ring,
    sources,
    received,
    get gaps() {
      return gaps;
    },
    get status() {
      return status;
    },
    lines: () => Array.from({ length: ring.size }, (_, i) => ring.textAt(i)),
    unsubscribe,
  };
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(removeTestContainers);
afterAll(removeTestContainers);

describe('live logs', () => {
  it('delivers a numbered stream once and in order; past the cap the marker counts exactly what was dropped', async () => {
    const cap = 1000;
    const { engine, servers } = await engineWithLab(cap);
    const name = `shipdeck-test-logs-count-${process.pid}`;
    try {
      // 800 lines, under the cap: every one arrives, once, in order.
      await startContainer(
        dockers[0]!,
        name,
        'i=0; while [ $i -lt 800 ]; do echo "line $i"; i=$((i+1)); done; exec sleep 3600',
      );
      const window = receiver(engine, cap);
      await value(
        engine.handle(
          'openLog',
          {
            streamId: 'count-0001',
            target: { kind: 'server', serverId: servers[0].id, containers: [name], tail: 100_000 },
          },
          window.owner,
        ),
      );
      await until('800 lines arrived', () => window.received.length >= 800);
      await new Promise((r) => setTimeout(r, 300));
      expect(window.received).toEqual(Array.from({ length: 800 }, (_, i) => i));
      expect(window.lines()).toEqual(Array.from({ length: 800 }, (_, i) => `line ${i}`));
      expect([...window.sources.values()].map((s) => `${s.host} ${s.container} ${s.stream}`)).toContain(
        `${hostA.name} ${name} stdout`,
      );
      expect(window.status?.following).toEqual([`${hostA.name} · ${name}`]);

      // 1,700 more while followed: 2,500 in all. The window keeps the newest 1,000, and the first
      // kept line's number is exactly how many lines were dropped before it (by the window or the engine).
      await printInContainer(dockers[0]!, name, 800, 2500);
      await until('the last line arrived', () => window.received.at(-1) === 2499);
      await new Promise((r) => setTimeout(r, 300));
      expect(window.received.every((seq, i) => i === 0 || seq > window.received[i - 1]!)).toBe(true);
      expect(window.ring.size).toBe(cap);
      expect(window.ring.seqAt(0)).toBe(2500 - cap);
      expect(window.lines()).toEqual(Array.from({ length: cap }, (_, i) => `line ${2500 - cap + i}`));
      window.unsubscribe();
    } finally {
      engine.close();
    }
  });

  it('follows a container again after it restarts, without repeating what it showed', async () => {
    const { engine, servers } = await engineWithLab(100_000);
    const name = `shipdeck-test-logs-restart-${process.pid}`;
    try {
      await startContainer(
        dockers[0]!,
        name,
        'echo boot; i=0; while [ $i -lt 5 ]; do echo "line $i"; i=$((i+1)); done; exec sleep 3600',
      );
      const window = receiver(engine, 100_000);
      await value(
        engine.handle(
          'openLog',
          {
            streamId: 'restart-0001',
            target: { kind: 'server', serverId: servers[0].id, containers: [name], tail: 100 },
          },
          window.owner,
        ),
      );
      await until('the first run printed', () => window.lines().includes('line 4'));
      await dockers[0]!.getContainer(name).restart({ t: 1 });
      await until('the second run printed', () => window.lines().filter((l) => l === 'line 4').length === 2, 15_000);
      await new Promise((r) => setTimeout(r, 500));
      const run = ['boot', ...Array.from({ length: 5 }, (_, i) => `line ${i}`)];
      expect(window.lines()).toEqual([...run, ...run]);
      window.unsubscribe();
    } finally {
      engine.close();
    }
  });

  it('keeps at most the cap in the engine while a window is backed up, and the gap says exactly how many it dropped', async () => {
    const cap = 1000;
    const total = 3000;
    const { engine, servers } = await engineWithLab(cap);
    const name = `shipdeck-test-logs-backed-up-${process.pid}`;
    let backedUp = true;
    try {
      await startContainer(dockers[0]!, name, `exec sleep 3600`);
      const window = receiver(engine, 100_000, () => backedUp);
      await value(
        engine.handle(
          'openLog',
          {
            streamId: 'backed-up-01',
            target: { kind: 'server', serverId: servers[0].id, containers: [name], tail: 0 },
          },
          window.owner,
        ),
      );
      await until('the container is followed', () => window.status?.following.length === 1);
      await printInContainer(dockers[0]!, name, 0, total);
      // Time for the engine to read the whole flood while the window still cannot take it.
      await new Promise((r) => setTimeout(r, 1000));
      backedUp = false;
      await until('the window caught up', () => window.received.length >= cap);
      await new Promise((r) => setTimeout(r, 300));
      // Of the flood, the engine kept the newest `cap` lines while the window could not take them.
      expect(window.received.length).toBe(cap);
      expect(window.gaps).toBe(total - cap);
      expect(window.lines()).toEqual(Array.from({ length: cap }, (_, i) => `line ${total - cap + i}`));
      window.unsubscribe();
    } finally {
      engine.close();
    }
  });

  it('merges two hosts in time order, each line with its host and container', async () => {
    const { engine } = await engineWithLab(100_000);
    const names = [`shipdeck-test-logs-merge-a-${process.pid}`, `shipdeck-test-logs-merge-b-${process.pid}`];
    try {
      // Both print every 30 ms, B 15 ms after A: in time order they alternate.
      await startContainer(
        dockers[0]!,
        names[0]!,
        'i=0; while [ $i -lt 40 ]; do echo "a $i"; i=$((i+1)); usleep 30000; done; exec sleep 3600',
        true,
      );
      await startContainer(
        dockers[1]!,
        names[1]!,
        'usleep 15000; i=0; while [ $i -lt 40 ]; do echo "b $i"; i=$((i+1)); usleep 30000; done; exec sleep 3600',
        true,
      );
      const window = receiver(engine, 100_000);
      await value(
        engine.handle(
          'openLog',
          { streamId: 'merge-00001', target: { kind: 'service', service, environment: 'staging', tail: 1000 } },
          window.owner,
        ),
      );
      await until('80 lines arrived', () => window.ring.size >= 80);
      await new Promise((r) => setTimeout(r, 500));
      const times = Array.from({ length: window.ring.size }, (_, i) => window.ring.timeAt(i));
      expect(times).toEqual([...times].sort((x, y) => x - y));
      const hostsInOrder = Array.from(
        { length: window.ring.size },
        (_, i) => window.sources.get(window.ring.srcAt(i))!.host,
      );
      expect(new Set(hostsInOrder)).toEqual(new Set([hostA.name, hostB.name]));
      // Interleaved, not one host after the other: the host changes often.
      const switches = hostsInOrder.filter((h, i) => i > 0 && h !== hostsInOrder[i - 1]).length;
      expect(switches).toBeGreaterThan(25);
      const texts = window.lines();
      for (const prefix of ['a', 'b'])
        expect(texts.filter((t) => t.startsWith(`${prefix} `))).toEqual(
          Array.from({ length: 40 }, (_, i) => `${prefix} ${i}`),
        );
      expect(window.sources.get(window.ring.srcAt(0))!.container).toMatch(/^shipdeck-test-logs-merge-/);
      window.unsubscribe();
    } finally {
      engine.close();
    }
  });

  it('never lets a secret reach the browser: a password a container prints arrives as ***', async () => {
    const served = await serveShipdeck();
    const password = lab().sdlab.password;
    const name = `shipdeck-test-logs-secret-${process.pid}`;
    const socket = await served.socket();
    const frames: string[] = [];
    let nextId = 1;
    const waiting = new Map<number, (reply: Reply<unknown>) => void>();
    socket.on('message', (data) => {
      const text = data.toString();
      frames.push(text);
      const message = JSON.parse(text) as { id?: number; reply?: Reply<unknown> };
      if (typeof message.id === 'number') waiting.get(message.id)?.(message.reply!);
    });

    const call = (channel: string, request: unknown) =>
      new Promise<Reply<unknown>>((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, request }));
      });
    try {
      const server = await value<Server>(
        call('addServer', {
          name: hostB.name,
          host: '127.0.0.1',
          port: hostB.sshPort,
          user: 'sdlab',
          auth: { kind: 'password', secret: password },
          environment: 'staging',
          labels: [],
          dockerSocket: '',
        }),
      );
      const scan = await value<{ fingerprint: string }>(call('scanHostKey', { id: server.id }));
      await value(call('trustHostKey', { id: server.id, fingerprint: scan.fingerprint }));
      // A service secret: set through the socket, kept encrypted, never sent back.
      const dbPassword = `db-${process.pid}-${Date.now().toString(36)}`;
      await value(
        call('saveService', {
          text: [
            `service: ${service}`,
            'image: shipdeck-lab/app',
            'port: 8080',
            `servers: { staging: [${hostB.name}] }`,
            'secrets: [DB_PASSWORD]',
          ].join('\n'),
        }),
      );
      const entry = await value<{ secretsSet: string[] }>(
        call('setServiceSecret', { service, name: 'DB_PASSWORD', value: dbPassword }),
      );
      expect(entry.secretsSet).toEqual(['DB_PASSWORD']);
      // The password split across two writes with a pause between: no chunk boundary lets it through.
      const half = Math.floor(password.length / 2);
      await startContainer(
        dockers[1]!,
        name,
        `printf 'before\\nthe password is ${password.slice(0, half)}'; sleep 1; printf '${password.slice(half)} in the middle\\nconnecting with ${dbPassword}\\nafter\\n'; exec sleep 3600`,
      );
      await value(
        call('openLog', {
          streamId: 'secret-00001',
          target: { kind: 'server', serverId: server.id, containers: [name], tail: 100 },
        }),
      );
      await until('the line after the secret arrived', () => frames.some((f) => f.includes('"after"')));
      expect(frames.some((f) => f.includes('the password is *** in the middle'))).toBe(true);
      expect(frames.some((f) => f.includes('connecting with ***'))).toBe(true);
      expect(frames.join('\n')).not.toContain(password);
      expect(frames.join('\n')).not.toContain(dbPassword);
      // Nor is either in plain text anywhere in the data folder (settings, vault, engine log).
      const files = execFileSync('find', [served.dataDir, '-type', 'f'], { encoding: 'utf8' }).trim().split('\n');
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        expect(text.includes(password) || text.includes(dbPassword), file).toBe(false);
      }
    } finally {
      socket.close();
      await served.stop();
    }
  });

  it("follows a file on a host over SSH (nginx's access log), and says clearly when a file is missing", async () => {
    const { engine, servers } = await engineWithLab(100_000);
    try {
      const window = receiver(engine, 100_000);
      const accessLog = join(hostA.nginx!.prefix, 'access.log');
      await value(
        engine.handle(
          'openLog',
          { streamId: 'file-000001', target: { kind: 'file', serverId: servers[0].id, path: accessLog, tail: 0 } },
          window.owner,
        ),
      );
      await until('tail follows the file', () => window.status?.following.length === 1);
      const marker = `/shipdeck-log-test-${process.pid}`;
      await fetch(`http://127.0.0.1:${hostA.publicPort}${marker}`, { headers: { Connection: 'close' } });
      await until('the request shows in the access log', () =>
        window.lines().some((l) => l.includes(`GET ${marker} `)),
      );
      expect([...window.sources.values()].find((s) => s.stream === 'stdout')).toMatchObject({
        host: hostA.name,
        file: accessLog,
      });

      const missing = receiver(engine, 100_000);
      await value(
        engine.handle(
          'openLog',
          {
            streamId: 'file-000002',
            target: { kind: 'file', serverId: servers[0].id, path: '/nonexistent/shipdeck.log', tail: 10 },
          },
          missing.owner,
        ),
      );
      await until('tail says the file is missing', () =>
        missing.lines().some((l) => l.includes('/nonexistent/shipdeck.log')),
      );
      // tail -F keeps waiting for the file to appear; its complaint arrives as an stderr line of that file.
      expect(missing.sources.get(missing.ring.srcAt(0))!.stream).toBe('stderr');
      // A window that stops listening leaves nothing following on the host.
      const tails = () => execFileSync('sh', ['-c', 'pgrep -af "tail -n" || true'], { encoding: 'utf8' });
      expect(tails()).toContain(accessLog);
      window.unsubscribe();
      missing.unsubscribe();
      await until('the tails are gone', () => !tails().includes(accessLog), 5000);
    } finally {
      engine.close();
    }
  });

  it('refuses a target it cannot follow, saying what and where', async () => {
    const { engine } = await engineWithLab(100_000);
    try {
      const unknown = await engine.handle('openLog', {
        streamId: 'bad-0000001',
        target: { kind: 'service', service, environment: 'production', tail: 10 },
      });
      expect(unknown).toMatchObject({
        ok: false,
        problem: { code: 'bad-request', message: `${service} has no environment production` },
      });
      const relative = await engine.handle('openLog', {
        streamId: 'bad-0000002',
        target: { kind: 'file', serverId: 'x1234567', path: 'var/log/x', tail: 10 },
      });
      expect(relative).toMatchObject({ ok: false, problem: { code: 'bad-request', where: 'target.path' } });
    } finally {
      engine.close();
    }
  });
});
