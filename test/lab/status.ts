// What each lab host answers right now.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { runningContainers } from './docker.js';
import { allLabHosts, type LabHost, type LabState } from './lab-state.js';
import { allHostPaths, hostPaths, labPaths, SDLAB_GROUP, SDLAB_USER } from './layout.js';
import { groupEntry, passwdEntry } from './sdlab.js';
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
  if (labDaemonPid(paths.sshdPid, 'sshd', dir) === null)
    return { ok: false, detail: `:${host.sshPort} sshd not running` };
  const banner = await sshBanner(host.sshPort);
  return banner ? { ok: true, detail: `:${host.sshPort} ok` } : { ok: false, detail: `:${host.sshPort} no SSH banner` };
}

function socketGroupName(socket: string): string {
  const gid = statSync(socket).gid;
  if (gid === 0) return 'root only';
  return groupEntry(SDLAB_GROUP)?.gid === gid ? `group ${SDLAB_GROUP}` : `gid ${gid}`;
}

async function probeDocker(state: LabState, host: LabHost): Promise<Check> {
  const dir = state.dir;
  if (host.dockerSocket === null) {
    if (host.name === state.jump.name) return { ok: true, detail: 'none (jump host)' };
    if (host.name === state.noJump.name) return { ok: true, detail: 'none (jump host that refuses forwarding)' };
    const paths = hostPaths(dir, host.name);
    const socketState = existsSync(paths.dockerSocket) ? 'socket present?!' : 'socket absent, as intended';
    return { ok: true, detail: `none (DOCKER_HOST=unix://${paths.dockerSocket}, ${socketState})` };
  }
  // A fleet host's DOCKER_HOST is lab-1's engine.
  const owner = basename(dirname(host.dockerSocket));
  const shared = owner === host.name ? '' : `${owner}'s engine `;
  const paths = hostPaths(dir, owner);
  if (labDaemonPid(paths.dockerPid, 'dockerd', dir) === null)
    return { ok: false, detail: `${shared}dockerd not running` };
  try {
    const info = await dockerApi<{ ServerVersion: string; Driver: string }>(
      host.dockerSocket,
      'GET',
      '/info',
      undefined,
      { timeoutMs: 3_000 },
    );
    if (shared) return { ok: true, detail: `${shared}ok (${socketGroupName(host.dockerSocket)})` };
    const names = await runningContainers(host.dockerSocket);
    return {
      ok: true,
      detail: `ok (${info.ServerVersion}, ${info.Driver}, ${socketGroupName(host.dockerSocket)}; running: ${names.join(', ') || 'nothing'})`,
    };
  } catch (err) {
    return { ok: false, detail: `${shared}dockerd does not answer (${(err as Error).message})` };
  }
}

/** sdlab exists with its group and the lab's password file is there, root-only. */
export function probeSdlab(state: LabState): Check {
  const problems: string[] = [];
  const user = passwdEntry(SDLAB_USER);
  if (!user) problems.push(`no user ${SDLAB_USER}`);
  else if (user.shell !== '/bin/sh') problems.push(`${SDLAB_USER}'s shell is ${user.shell}, not /bin/sh`);
  if (!groupEntry(SDLAB_GROUP)?.members.includes(SDLAB_USER)) problems.push(`${SDLAB_USER} is not in ${SDLAB_GROUP}`);
  const file = labPaths(state.dir).sdlabPassword;
  try {
    const mode = statSync(file).mode & 0o777;
    if (mode !== 0o600) problems.push(`${file} is mode ${mode.toString(8)}, not 600`);
  } catch {
    problems.push(`no ${file}`);
  }
  return problems.length > 0
    ? { ok: false, detail: problems.join('; ') }
    : { ok: true, detail: `ok (password in ${file}; Docker on ${state.sdlab.dockerHosts.join(', ')})` };
}

async function probeNginx(dir: string, host: LabHost): Promise<Check> {
  if (host.publicPort === null) return { ok: true, detail: 'none' };
  const paths = hostPaths(dir, host.name);
  if (labDaemonPid(paths.nginxPid, 'nginx', dir) === null)
    return { ok: false, detail: `:${host.publicPort} nginx not running` };
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
    probeDocker(state, host),
    probeNginx(state.dir, host),
  ]);
  return { name: host.name, ssh, docker, nginx, healthy: ssh.ok && docker.ok && nginx.ok };
}

export const probeLab = (state: LabState): Promise<HostHealth[]> =>
  Promise.all(allLabHosts(state).map((host) => probeHost(state, host)));

export function printHealth(state: LabState, health: HostHealth[]): void {
  console.log(`shipdeck lab in ${state.dir}, started ${state.startedAt}`);
  const width = Math.max(...health.map((h) => h.name.length));
  for (const h of health) {
    const mark = h.healthy ? 'ok  ' : 'DOWN';
    console.log(
      `  ${mark}  ${h.name.padEnd(width)}  ssh ${h.ssh.detail}  |  docker ${h.docker.detail}  |  nginx ${h.nginx.detail}`,
    );
  }
  const sdlab = probeSdlab(state);
  console.log(`  ${sdlab.ok ? 'ok  ' : 'BAD '}  ${SDLAB_USER.padEnd(width)}  ${sdlab.detail}`);
  const first = state.hosts[0]!;
  console.log(
    `  keys: ${state.clientKey} (authorized for root and ${SDLAB_USER}), ${state.wrongKey} (authorized nowhere)`,
  );
  console.log(`  try:  ssh -F ${labPaths(state.dir).sshConfig} ${first.name} docker ps`);
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
