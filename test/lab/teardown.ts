// Stops whatever a lab in this dir started, whether it was shut down cleanly or
// killed: by pid files first, then by what only the lab's processes carry.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stopAllContainers } from './docker.js';
import { allHostPaths, DOCKER_HOSTS, hostPaths, labPaths, type HostPaths } from './layout.js';
import type { Progress } from './progress.js';
import { configuredPort } from './sshd.js';
import {
  allProcs,
  isAlive,
  labDaemonPid,
  pidsInCgroup,
  readPidFile,
  removeCgroup,
  signal,
  sshdSessionPids,
  stopPids,
  unmountUnder,
  waitUntil,
} from './sys.js';

export interface TeardownReport {
  containers: number;
  daemons: number;
  leftovers: number;
  unmounted: number;
}

// Process names (as in /proc/<pid>/comm, at most 15 chars) the lab starts itself or through dockerd.
const LAB_COMMS = new Set(['dockerd', 'containerd', 'containerd-shim', 'sshd', 'nginx']);

const dockerHostPaths = (dir: string): HostPaths[] => DOCKER_HOSTS.map((name) => hostPaths(dir, name));

type StepRunner = <T>(label: string, fn: () => Promise<T>, describe?: (result: T) => string) => Promise<T>;

/** Stops the lab in `dir` and removes its runtime state; keys, configs and logs stay for the next `up`. */
export async function teardown(dir: string, progress: Progress | null): Promise<TeardownReport> {
  const step: StepRunner = progress
    ? (label, fn, describe) => progress.step(label, fn, describe)
    : (_label, fn) => fn();
  const report: TeardownReport = { containers: 0, daemons: 0, leftovers: 0, unmounted: 0 };

  report.containers = await step(
    'stop containers (2 s timeout)',
    () => stopContainers(dir),
    (n) => `${n} stopped`,
  );
  report.daemons = await step(
    'stop sshd (and its connections), nginx, dockerd by pid file',
    () => stopDaemons(dir),
    (n) => `${n} stopped`,
  );
  report.leftovers = await step(
    'kill leftover lab processes',
    () => killLeftovers(dir),
    (n) => `${n} killed`,
  );
  report.unmounted = await step(
    'unmount leftovers under the lab dir',
    () => unmountUnder(dir),
    (n) => `${n} unmounted`,
  );
  await step('remove runtime state', async () => removeRuntimeState(dir));
  return report;
}

export const didAnything = (r: TeardownReport): boolean => r.containers + r.daemons + r.leftovers + r.unmounted > 0;

async function stopContainers(dir: string): Promise<number> {
  const counts = await Promise.all(
    dockerHostPaths(dir).map(async (paths) => {
      if (labDaemonPid(paths.dockerPid, 'dockerd', dir) === null) return 0;
      try {
        return await stopAllContainers(paths.dockerSocket);
      } catch {
        return 0; // an engine that does not answer is killed in the next steps
      }
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

const sshdPorts = (dir: string): number[] =>
  allHostPaths(dir)
    .map(configuredPort)
    .filter((port): port is number => port !== null);

async function stopDaemons(dir: string): Promise<number> {
  const pids: number[] = [];
  const listeners: number[] = [];
  for (const paths of allHostPaths(dir)) {
    for (const [pidFile, comm] of [
      [paths.sshdPid, 'sshd'],
      [paths.nginxPid, 'nginx'],
      [paths.dockerPid, 'dockerd'],
    ] as const) {
      const pid = labDaemonPid(pidFile, comm, dir);
      if (pid !== null) pids.push(pid);
      if (pid !== null && comm === 'sshd') listeners.push(pid);
    }
  }
  // A listener's SIGTERM leaves its open connections (and what they run) alive: stop those too.
  if (listeners.length > 0) pids.push(...sshdSessionPids(sshdPorts(dir), listeners));
  // dockerd stops its containerd on SIGTERM; nginx's SIGTERM is its fast shutdown.
  await stopPids(pids, 'SIGTERM', 15_000);
  return pids.length;
}

/**
 * What a kill -9 leaves behind: containerd and its shims (their command lines
 * name the lab dir), nginx workers (in the session of their dead master),
 * container processes (in the engine's own cgroup), and shim sockets.
 */
async function killLeftovers(dir: string): Promise<number> {
  const nginxSessions = new Set(
    allHostPaths(dir)
      .map((p) => readPidFile(p.nginxPid))
      .filter((pid): pid is number => pid !== null),
  );
  const victims = new Set<number>();
  for (const proc of allProcs()) {
    const namesLabDir = LAB_COMMS.has(proc.comm) && proc.cmdline.includes(dir + '/');
    const orphanWorker = proc.comm === 'nginx' && nginxSessions.has(proc.session);
    if (namesLabDir || orphanWorker) victims.add(proc.pid);
  }
  for (const paths of dockerHostPaths(dir)) {
    for (const pid of pidsInCgroup(paths.cgroupParent)) victims.add(pid);
  }
  // Connections of a killed sshd listener live on as orphans.
  for (const pid of sshdSessionPids(sshdPorts(dir), [])) victims.add(pid);
  for (const pid of victims) signal(pid, 'SIGKILL');
  await waitUntil(() => [...victims].every((pid) => !isAlive(pid)), 5_000);
  for (const paths of dockerHostPaths(dir)) {
    removeShimSockets(paths);
    removeCgroup(paths.cgroupParent);
  }
  return victims.size;
}

// containerd 1.6 puts shim sockets in /run/containerd/s/ named by
// sha256(<containerd socket>/<namespace>/<container id>); a killed shim leaves its socket.
function removeShimSockets(paths: HostPaths): void {
  const containersDir = join(paths.dataRoot, 'containers');
  if (!existsSync(containersDir)) return;
  const containerdSocket = join(paths.execRoot, 'containerd', 'containerd.sock');
  for (const id of readdirSync(containersDir)) {
    const hash = createHash('sha256')
      .update(join(containerdSocket, 'moby', id))
      .digest('hex');
    rmSync(join('/run/containerd/s', hash), { force: true });
  }
}

function removeRuntimeState(dir: string): void {
  const lab = labPaths(dir);
  for (const file of [
    lab.stateFile,
    lab.knownHosts,
    lab.sshConfig,
    lab.sdlabPassword,
    lab.buildDir,
    join(dir, 'overlay-probe'),
  ]) {
    rmSync(file, { recursive: true, force: true });
  }
  for (const entry of existsSync(dir) ? readdirSync(dir) : []) {
    if (/^lab\.json\.\d+\.tmp$/.test(entry)) rmSync(join(dir, entry), { force: true });
  }
  for (const paths of allHostPaths(dir)) {
    // A host key swapped in by control.ts's regenerateHostKey: put the original back.
    if (existsSync(paths.originalHostKey) && existsSync(paths.originalHostKey + '.pub')) {
      renameSync(paths.originalHostKey + '.pub', paths.hostKey + '.pub');
      renameSync(paths.originalHostKey, paths.hostKey);
    }
    for (const file of [
      paths.dataRoot,
      paths.execRoot,
      paths.dockerSocket,
      paths.dockerPid,
      paths.sshdPid,
      paths.nginxPid,
      paths.nginxTemp,
    ]) {
      rmSync(file, { recursive: true, force: true });
    }
  }
}
