// What each lab host answers right now.
import { existsSync } from 'node:fs';
import { runningContainers } from './docker.js';
import type { LabHost, LabState } from './lab-state.js';
import { allHostPaths, hostPaths } from './layout.js';
import { dockerApi, httpGet, sshBanner } from './net.js';
import { labDaemonPid } from './sys.js';

export interface Check {
  ok: boolean;
  detail: string;
}

export interface HostHealth {
  name: string;
  ssh: Check;
  docker: Check;
  nginx: Check;
  healthy: boolean;
}

async function probeSsh(dir: string, host: LabHost): Promise<Check> {
  const paths = hostPaths(dir, host.name);
  if (labDaemonPid(paths.sshdPid, 'sshd', dir) === null) return { ok: false, detail: `:${host.sshPort} sshd not running` };
  const banner = await sshBanner(host.sshPort);
  return banner ? { ok: true, detail: `:${host.sshPort} ok` } : { ok: false, detail: `:${host.sshPort} no SSH banner` };
}

async function probeDocker(dir: string, host: LabHost): Promise<Check> {
  const paths = hostPaths(dir, host.name);
  if (host.dockerSocket === null) {
    const state = existsSync(paths.dockerSocket) ? 'socket present?!' : 'socket absent, as intended';
    return { ok: true, detail: `none (DOCKER_HOST=unix://${paths.dockerSocket}, ${state})` };
  }
  if (labDaemonPid(paths.dockerPid, 'dockerd', dir) === null) return { ok: false, detail: 'dockerd not running' };
  try {
    const info = await dockerApi<{ ServerVersion: string; Driver: string }>(host.dockerSocket, 'GET', '/info', undefined, { timeoutMs: 3_000 });
    const names = await runningContainers(host.dockerSocket);
    return { ok: true, detail: `ok (${info.ServerVersion}, ${info.Driver}; running: ${names.join(', ') || 'nothing'})` };
  } catch (err) {
    return { ok: false, detail: `dockerd does not answer (${(err as Error).message})` };
  }
}

async function probeNginx(dir: string, host: LabHost): Promise<Check> {
  if (host.publicPort === null) return { ok: true, detail: 'none' };
  const paths = hostPaths(dir, host.name);
  if (labDaemonPid(paths.nginxPid, 'nginx', dir) === null) return { ok: false, detail: `:${host.publicPort} nginx not running` };
  try {
    // Any HTTP answer means nginx is up; a 502 only says the app behind it is down.
    const answer = await httpGet(host.publicPort, '/', 3_000);
    const firstLine = (answer.body.trim().split('\n')[0] ?? '').slice(0, 60);
    return { ok: true, detail: `:${host.publicPort} -> ${answer.status} ${JSON.stringify(firstLine)}` };
  } catch (err) {
    return { ok: false, detail: `:${host.publicPort} does not answer (${(err as Error).message})` };
  }
}

export async function probeHost(state: LabState, host: LabHost): Promise<HostHealth> {
  const [ssh, docker, nginx] = await Promise.all([
    probeSsh(state.dir, host),
    probeDocker(state.dir, host),
    probeNginx(state.dir, host),
  ]);
  return { name: host.name, ssh, docker, nginx, healthy: ssh.ok && docker.ok && nginx.ok };
}

export const probeLab = (state: LabState): Promise<HostHealth[]> =>
  Promise.all([...state.hosts, state.noDocker].map((host) => probeHost(state, host)));

export function printHealth(state: LabState, health: HostHealth[]): void {
  console.log(`shipdeck lab in ${state.dir}, started ${state.startedAt}`);
  const width = Math.max(...health.map((h) => h.name.length));
  for (const h of health) {
    const mark = h.healthy ? 'ok  ' : 'DOWN';
    console.log(`  ${mark}  ${h.name.padEnd(width)}  ssh ${h.ssh.detail}  |  docker ${h.docker.detail}  |  nginx ${h.nginx.detail}`);
  }
  const first = state.hosts[0]!;
  console.log(`  keys: ${state.clientKey} (authorized), ${state.wrongKey} (authorized nowhere)`);
  console.log(`  try:  ssh -i ${state.clientKey} -p ${first.sshPort} -o StrictHostKeyChecking=no root@127.0.0.1 docker ps`);
}

/** How many lab daemons are alive according to their pid files (for a lab without lab.json). */
export function liveDaemons(dir: string): number {
  let count = 0;
  for (const paths of allHostPaths(dir)) {
    for (const [file, comm] of [
      [paths.sshdPid, 'sshd'],
      [paths.nginxPid, 'nginx'],
      [paths.dockerPid, 'dockerd'],
    ] as const) {
      if (labDaemonPid(file, comm, dir) !== null) count++;
    }
  }
  return count;
}
