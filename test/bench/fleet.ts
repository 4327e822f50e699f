// Fleet figures: refresh of many hosts against one, commands per second over
// one SSH connection, and Docker API calls over the shared connection against
// dockerode's own SSH mode (a new SSH connection per call).
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { command } from '../../shared/commands/command';
import type { Server } from '../../shared/server';
import { DockerLink } from '../../electron/engine/fleet/docker-link';
import { Fleet } from '../../electron/engine/fleet/fleet';
import { FleetMonitor } from '../../electron/engine/fleet/fleet-monitor';
import { SshLink } from '../../electron/engine/fleet/ssh-link';
import type { LabHost } from '../lab/lab-state';
import { directoryOf, lab, serverFor, targetFor } from '../support/lab-servers';
import { median, type Figure } from './figures';
import { latencyProxy } from './latency-proxy';

/** One-way delay of a typical link from an operator's laptop to a VPS. */
const linkDelayMs = 20;

/** A lab host logged into as the lab's plain-shell user, whose sessions start fast. */
function fastServer(host: LabHost): Server {
  return { ...serverFor(host), user: lab().sdlab.user };
}

async function refreshTimes(servers: Server[], rounds: number): Promise<number[]> {
  const fleet = new Fleet(directoryOf(servers), process.env, () => 8);
  const monitor = new FleetMonitor(
    fleet,
    () => servers,
    () => ({ refreshMs: 0, parallelism: 8 }),
    { serverStatus: () => {}, fleetRefresh: () => {} },
  );
  try {
    const warm = await monitor.refresh();
    const bad = Object.values(warm.servers).filter((s) => s.state !== 'ok');
    if (bad.length) throw new Error(`fleet bench: ${bad.length} hosts not ok: ${JSON.stringify(bad[0]?.problem)}`);
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      await monitor.refresh();
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    fleet.close();
  }
}

export async function fleetFigures(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const fleetHosts = lab().fleet;
  if (fleetHosts.length < 10)
    throw new Error(
      `the fleet bench needs 10 fleet hosts: run \`npm run lab -- up --fleet 10\` (has ${fleetHosts.length})`,
    );

  // Each fleet host reached through its own proxy adding the link's delay, as over a real network.
  const proxies = await Promise.all(fleetHosts.slice(0, 10).map((h) => latencyProxy(h.sshPort, linkDelayMs)));
  try {
    const distant = fleetHosts.slice(0, 10).map((h, i) => ({ ...fastServer(h), port: proxies[i]!.port }));
    const one = median(await refreshTimes(distant.slice(0, 1), 7));
    const ten = median(await refreshTimes(distant, 7));
    figures.push({
      metric: `fleet refresh over ${2 * linkDelayMs} ms round trips: 10 hosts / 1 host (median of 7)`,
      value: `${(ten / one).toFixed(2)}× (${ten.toFixed(0)} ms / ${one.toFixed(0)} ms)`,
      target: '≤ 2×',
      met: ten / one <= 2,
    });
  } finally {
    await Promise.all(proxies.map((p) => p.close()));
  }
  // On loopback there is no latency to overlap: one refresh is pure CPU, and 10 hosts share this machine's cores with their sshd and dockerd.
  const oneLocal = median(await refreshTimes([fastServer(fleetHosts[0]!)], 7));
  const tenLocal = median(await refreshTimes(fleetHosts.slice(0, 10).map(fastServer), 7));
  figures.push({
    metric: 'fleet refresh on loopback, no latency (CPU-bound here): 10 hosts, 1 host',
    value: `${tenLocal.toFixed(0)} ms, ${oneLocal.toFixed(0)} ms (${(tenLocal / oneLocal).toFixed(1)}×)`,
    target: 'for information',
    met: true,
  });

  const target = lab().hosts[0]!;
  const link = await SshLink.open({ ...targetFor(target), user: lab().sdlab.user });
  try {
    const total = 300;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next++ < total) {
          const r = await link.exec(command('true', [], 'bench'));
          if (r.exitCode !== 0) throw new Error('command failed');
        }
      }),
    );
    const perSecond = total / ((performance.now() - started) / 1000);
    figures.push({
      metric: 'commands per second over one SSH connection (300, 10 at once)',
      value: `${perSecond.toFixed(0)}/s`,
      target: '≥ 100/s',
      met: perSecond >= 100,
    });

    const shared = await DockerLink.open(link, serverFor(target));
    const sharedMs = await pingTimes(shared.docker, 50);
    const own = new Docker({
      protocol: 'ssh',
      host: '127.0.0.1',
      port: target.sshPort,
      username: 'root',
      sshOptions: { privateKey: readFileSync(lab().clientKey) },
    } as Docker.DockerOptions);
    const ownMs = await pingTimes(own, 15);
    const local = await pingTimes(new Docker({ socketPath: target.dockerSocket! }), 50);
    figures.push({
      metric: 'Docker API call over the shared SSH connection (median ping)',
      value: `${median(sharedMs).toFixed(2)} ms (local socket ${median(local).toFixed(2)} ms)`,
      target: '≤ 5 ms',
      met: median(sharedMs) <= 5,
    });
    figures.push({
      metric: "…against dockerode's SSH mode, a connection per call",
      value: `${(median(ownMs) / median(sharedMs)).toFixed(0)}× faster (${median(ownMs).toFixed(0)} ms per call)`,
      target: '≥ 20×',
      met: median(ownMs) / median(sharedMs) >= 20,
    });
    shared.close();
  } finally {
    link.close();
  }
  return figures;
}

async function pingTimes(docker: Docker, count: number): Promise<number[]> {
  await docker.ping();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await docker.ping();
    times.push(performance.now() - started);
  }
  return times;
}
