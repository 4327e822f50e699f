// Release figures: rollback time under load, failed requests during deploy and
// rollback, Shipdeck's own overhead per host, and deploy wall time for 1, 5, 10 hosts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply, RunUpdate } from '../../shared/contract';
import type { RunPreview, RunRecord, RunSummary } from '../../shared/run';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { knownHostsFile, type LabHost } from '../lab/lab-state';
import { labReload, restoreLabHosts } from '../support/lab-cleanup';
import { lab } from '../support/lab-servers';
import { httpLoad } from '../support/load';
import { freePortPair } from '../support/ports';
import { median, type Figure } from './figures';
import { latencyProxy } from './latency-proxy';

/** One-way delay of a typical link from an operator's laptop to a VPS (as in the fleet figures). */
const linkDelayMs = 20;

type Call = <T>(channel: string, request: unknown) => Promise<T>;

/** An engine in a fresh data folder with the given hosts and a service `web` on them. */
async function engineWith(
  hosts: readonly { host: LabHost; upstreamFile: string; reload: string; port?: number }[],
  user = 'root',
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-bench-'));
  const engine = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: 'bench',
    cipher: keyFileCipher(dataDir),
  });
  const updates: RunUpdate[] = [];
  engine.subscribe((event, payload) => event === 'runUpdate' && updates.push(payload as RunUpdate));
  const call: Call = async (channel, request) => {
    const reply: Reply<unknown> = await engine.handle(channel, request);
    if (!reply.ok) throw new Error(`${channel}: ${reply.problem.message}`);
    return reply.value as never;
  };
  await call('updateFleetSettings', { refreshMs: 0, parallelism: 10 });
  for (const { host, upstreamFile, reload, port } of hosts) {
    const server = await call<{ id: string }>('addServer', {
      name: host.name,
      host: '127.0.0.1',
      port: port ?? host.sshPort,
      user,
      auth: { kind: 'key', keyPath: lab().clientKey },
      environment: 'staging',
      labels: [],
      dockerSocket: '',
      proxy: { upstreamFile, reload },
    });
    // The lab made these keys; behind a latency proxy the port differs from known_hosts, so trust what the scan shows, as the UI does.
    if (port !== undefined) {
      const scan = await call<{ fingerprint: string }>('scanHostKey', { id: server.id });
      if (scan.fingerprint !== host.hostKeyFingerprint) throw new Error(`${host.name} presents an unexpected key`);
      await call('trustHostKey', { id: server.id, fingerprint: scan.fingerprint });
    }
  }
  await call('importKnownHosts', { path: knownHostsFile() });
  const port = await freePortPair();
  await call('saveService', {
    text: `service: web\nimage: shipdeck-lab/app\nport: ${port}\nservers: { staging: [${hosts.map((h) => h.host.name).join(', ')}] }\nhealthcheck: { path: /up, status: 200, interval: 100ms, timeout: 1s, retries: 100 }\n`,
  });
  return { engine, call, updates };
}

async function runTo(call: Call, status: string, version: string): Promise<RunRecord> {
  const preview = await call<RunPreview>('planRelease', {
    service: 'web',
    environment: 'staging',
    version,
    change: { class: 'low', impact: 'bench: no users' },
  });
  const run = await call<RunSummary>('startRun', { previewId: preview.previewId, notes: 'bench' });
  for (;;) {
    const record = await call<RunRecord>('getRun', { runId: run.id });
    if (record.status === status) return record;
    if (record.status === 'failed') throw new Error(record.problem?.message);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Deploy to the real nginx hosts under load, then roll back: failed requests, and click-to-old-release time. */
async function underLoad(): Promise<Figure[]> {
  const hosts = lab().hosts.slice(0, 2);
  await restoreLabHosts(hosts);
  const { engine, call } = await engineWith(
    hosts.map((host) => ({ host, upstreamFile: host.nginx!.upstream, reload: labReload(host) })),
  );
  try {
    const loads = hosts.map((h) => httpLoad(h.publicPort!, 20, 60_000));
    await new Promise((r) => setTimeout(r, 1000));
    const run = await runTo(call, 'awaiting-decision', 'v2');
    await new Promise((r) => setTimeout(r, 1000));
    const clicked = performance.now();
    await call('rollbackRun', { runId: run.id, reason: 'bench' });
    await new Promise((r) => setTimeout(r, 1500));
    loads.forEach((l) => l.stop());
    const results = await Promise.all(loads.map((l) => l.done));
    // The old release serves every request sent after the last request that v2 answered.
    const lastV2 = Math.max(
      ...results.flatMap((r) => r.answers.filter((a) => a.body.includes('v2')).map((a) => a.sentAt)),
    );
    const failed = results.reduce((n, r) => n + r.failed, 0);
    const total = results.reduce((n, r) => n + r.total, 0);
    return [
      {
        metric: 'rollback: click to the old release serving every request (2 hosts, 40 clients)',
        value: `${(lastV2 - clicked).toFixed(0)} ms`,
        target: '≤ 1000 ms',
        met: lastV2 - clicked <= 1000,
      },
      {
        metric: 'failed requests during deploy and rollback (Connection: close)',
        value: `${failed} of ${total}`,
        target: '0',
        met: failed === 0,
      },
    ];
  } finally {
    engine.close();
    await restoreLabHosts(hosts);
  }
}

/**
 * Deploys to N SSH hosts (they share lab-1's engine; their proxy is a file and
 * `true`), through links with `delayMs` each way: wall time and Shipdeck's own time.
 */
async function scaling(delayMs: number): Promise<Record<number, { wall: number; overhead: number[] }>> {
  const fleet = lab().fleet.slice(0, 10);
  const times: Record<number, { wall: number; overhead: number[] }> = {};
  for (const n of [1, 5, 10]) {
    const hosts = fleet.slice(0, n);
    const proxies = delayMs > 0 ? await Promise.all(hosts.map((h) => latencyProxy(h.sshPort, delayMs))) : [];
    const { engine, call } = await engineWith(
      hosts.map((host, i) => ({
        host,
        upstreamFile: join(host.dir, 'home', 'upstream.conf'),
        reload: 'true',
        ...(proxies[i] ? { port: proxies[i]!.port } : {}),
      })),
      lab().sdlab.user,
    );
    try {
      const run = await runTo(call, 'awaiting-decision', 'v2');
      const deploy = run.phases.find((p) => p.phase === 'DEPLOY')!;
      const wall = Date.parse(deploy.endedAt!) - Date.parse(deploy.startedAt!);
      // Per host: everything but the container's own start (docker run), its health wait and nginx's settle.
      const overhead = hosts.map((h) => {
        const steps = run.steps.filter((s) => s.phase === 'DEPLOY' && s.host === h.name);
        const waiting = steps
          .filter((s) => s.line.startsWith('docker run') || s.line.startsWith('GET ') || s.line.startsWith('wait '))
          .reduce((t, s) => t + (s.durationMs ?? 0), 0);
        return steps.reduce((t, s) => t + (s.durationMs ?? 0), 0) - waiting;
      });
      times[n] = { wall, overhead };
      await call('rollbackRun', { runId: run.id, reason: 'bench' });
    } finally {
      engine.close();
      await Promise.all(proxies.map((p) => p.close()));
      const { execFileSync } = await import('node:child_process');
      execFileSync('sh', [
        '-c',
        `docker --host unix://${lab().hosts[0]!.dockerSocket} ps -aq --filter label=shipdeck.service=web --filter label=shipdeck.release=v2 | xargs -r docker --host unix://${lab().hosts[0]!.dockerSocket} rm -f >/dev/null`,
      ]);
    }
  }
  return times;
}

export async function releaseFigures(): Promise<Figure[]> {
  const figures = await underLoad();
  const local = await scaling(0);
  const overheadAll = Object.values(local).flatMap((t) => t.overhead);
  figures.push({
    metric: "Shipdeck's own time per host in DEPLOY, loopback (not boot, health or nginx settle; median)",
    value: `${median(overheadAll).toFixed(0)} ms`,
    target: '≤ 300 ms',
    met: median(overheadAll) <= 300,
  });
  const distant = await scaling(linkDelayMs);
  figures.push({
    metric: `deploy wall time over ${2 * linkDelayMs} ms round trips, 1 / 5 / 10 hosts at once`,
    value: `${distant[1]!.wall} / ${distant[5]!.wall} / ${distant[10]!.wall} ms (10 hosts ${(distant[10]!.wall / distant[1]!.wall).toFixed(2)}× one)`,
    target: '10 hosts ≤ 2× one',
    met: distant[10]!.wall <= 2 * distant[1]!.wall,
  });
  figures.push({
    metric: 'deploy wall time on loopback (10 hosts share 1 Docker engine, 2 cores), 1 / 5 / 10',
    value: `${local[1]!.wall} / ${local[5]!.wall} / ${local[10]!.wall} ms (${(local[10]!.wall / local[1]!.wall).toFixed(2)}×)`,
    target: 'for information',
    met: true,
  });
  return figures;
}
