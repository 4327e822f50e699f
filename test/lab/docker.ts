// The lab's Docker engines: one dockerd per host, the lab images, the app container.
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { APP_DOCKERFILE, appPages, daemonJson, ROOTFS_FILES } from './configs.js';
import { APP_CONTAINER, APP_LABELS, APP_VERSIONS, appImage, BASE_IMAGE, LAB_IMAGES, type HostPaths } from './layout.js';
import { dockerApi, httpGet } from './net.js';
import { run, runOk, runPipe, spawnDaemon, stopPids, tail, unmountUnder, waitUntil } from './sys.js';

export type StorageDriver = 'overlay2' | 'vfs';

export const BUSYBOX = '/bin/busybox';

/** Environment for the docker CLI aimed at one lab engine, whatever the caller's DOCKER_* settings. */
export function dockerEnv(socket: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('DOCKER_')) env[key] = value;
  }
  // BuildKit wants network for RUN and cannot be used offline; the legacy builder works.
  return { ...env, DOCKER_HOST: `unix://${socket}`, DOCKER_BUILDKIT: '0', DOCKER_CLI_HINTS: 'false' };
}

const docker = (socket: string, args: string[], timeoutMs = 120_000): Promise<string> =>
  runOk('docker', args, { env: dockerEnv(socket), timeoutMs });

export interface DriverChoice {
  driver: StorageDriver;
  reason: string;
}

/**
 * overlay2 is what real servers run, and here it builds the app images in about
 * 0.5 s against 1.4 s for vfs; but it needs a filesystem that can carry overlay
 * mounts (overlayfs itself cannot, as inside some containers). So try a real
 * overlay mount inside the lab dir and fall back to vfs, which copies layers
 * into plain directories and works on any filesystem: the lab images are 2 MB,
 * so vfs costs only a second. SHIPDECK_LAB_STORAGE_DRIVER=overlay2|vfs forces one.
 */
export async function chooseStorageDriver(labDir: string): Promise<DriverChoice> {
  const forced = process.env.SHIPDECK_LAB_STORAGE_DRIVER;
  if (forced === 'overlay2' || forced === 'vfs') return { driver: forced, reason: 'SHIPDECK_LAB_STORAGE_DRIVER' };
  if (forced) throw new Error(`SHIPDECK_LAB_STORAGE_DRIVER must be overlay2 or vfs, not ${forced}`);

  const probe = join(labDir, 'overlay-probe');
  rmSync(probe, { recursive: true, force: true });
  const [lower, upper, work, merged] = (['lower', 'upper', 'work', 'merged'] as const).map((d) => join(probe, d)) as [
    string,
    string,
    string,
    string,
  ];
  for (const d of [lower, upper, work, merged]) mkdirSync(d, { recursive: true });
  writeFileSync(join(lower, 'probe'), 'ok');
  try {
    const mounted = await run('mount', [
      '-t',
      'overlay',
      'overlay',
      '-o',
      `lowerdir=${lower},upperdir=${upper},workdir=${work}`,
      merged,
    ]);
    if (mounted.code !== 0) return { driver: 'vfs', reason: `overlay mount fails here (${mounted.stderr.trim()})` };
    const works = existsSync(join(merged, 'probe'));
    await run('umount', [merged]);
    return works
      ? { driver: 'overlay2', reason: 'overlay mounts work' }
      : { driver: 'vfs', reason: 'overlay mount is empty' };
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** dockerd's major version: before 23 it needs to be told where to keep its identity key. */
export async function dockerdMajorVersion(): Promise<number> {
  const out = await runOk('dockerd', ['--version'], { timeoutMs: 10_000 });
  const match = /version (\d+)\./i.exec(out);
  return match ? Number(match[1]) : 0;
}

export interface EngineStarted {
  version: string;
  driver: StorageDriver;
}

/**
 * Starts this host's dockerd and waits until its socket answers `docker version` (GET /version).
 * The socket is root:<socketGroup> 0660: 'sdlab-docker' lets sdlab in, 'root' keeps it root-only.
 */
export async function startEngine(
  paths: HostPaths,
  choice: DriverChoice,
  dockerdMajor: number,
  socketGroup: string,
): Promise<EngineStarted> {
  try {
    return { version: await startDockerd(paths, choice.driver, dockerdMajor, socketGroup), driver: choice.driver };
  } catch (err) {
    if (choice.driver !== 'overlay2' || !/overlay/i.test(tail(paths.dockerLog, 40))) throw err;
    // The mount probe passed but dockerd still refused overlay2 (e.g. no d_type): vfs always works.
    await unmountUnder(paths.dataRoot);
    rmSync(paths.dataRoot, { recursive: true, force: true });
    return { version: await startDockerd(paths, 'vfs', dockerdMajor, socketGroup), driver: 'vfs' };
  }
}

async function startDockerd(
  paths: HostPaths,
  driver: StorageDriver,
  dockerdMajor: number,
  socketGroup: string,
): Promise<string> {
  writeFileSync(paths.dockerConfig, daemonJson(dockerdMajor < 23 ? paths.dockerKey : null));
  const args = [
    '--host',
    `unix://${paths.dockerSocket}`,
    '--data-root',
    paths.dataRoot,
    '--exec-root',
    paths.execRoot,
    '--pidfile',
    paths.dockerPid,
    '--group',
    socketGroup,
    '--config-file',
    paths.dockerConfig,
    '--storage-driver',
    driver,
    // Network rule: no docker0 bridge, no NAT, no iptables; containers use the host network.
    '--bridge=none',
    '--iptables=false',
    '--ip-masq=false',
    '--ip-forward=false',
    '--userland-proxy=false',
    // A cgroup parent of our own lets `down` find this engine's containers even after a kill -9.
    '--exec-opt',
    'native.cgroupdriver=cgroupfs',
    '--cgroup-parent',
    paths.cgroupParent,
  ];
  const child = spawnDaemon('dockerd', args, paths.dockerLog, dockerEnv(paths.dockerSocket));
  let exited: string | null = null;
  child.on('exit', (code, sig) => (exited = `dockerd exited (${sig ?? code})`));

  let version = '';
  const ready = await waitUntil(
    async () => {
      if (exited) return true;
      try {
        version = (
          await dockerApi<{ Version: string }>(paths.dockerSocket, 'GET', '/version', undefined, { timeoutMs: 1_000 })
        ).Version;
        return true;
      } catch {
        return false;
      }
    },
    30_000,
    50,
  );
  if (exited || !ready) {
    if (!exited && child.pid) await stopPids([child.pid], 'SIGKILL', 5_000);
    throw new Error(
      `${exited ?? 'dockerd did not answer within 30 s'}; last lines of ${paths.dockerLog}:\n${tail(paths.dockerLog)}`,
    );
  }
  return version;
}

/** Base image: a rootfs holding the static busybox and a symlink per applet, imported into the engine. */
export async function importBaseImage(buildDir: string, socket: string): Promise<number> {
  const rootfs = join(buildDir, 'rootfs');
  rmSync(rootfs, { recursive: true, force: true });
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  copyFileSync(BUSYBOX, join(rootfs, 'bin/busybox'));
  chmodSync(join(rootfs, 'bin/busybox'), 0o755);
  const applets = (await runOk(BUSYBOX, ['--list-full'])).split('\n').filter(Boolean);
  for (const applet of applets) {
    const link = join(rootfs, applet);
    if (existsSync(link)) continue;
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync('/bin/busybox', link);
  }
  for (const d of ['etc', 'root', 'www', 'tmp']) mkdirSync(join(rootfs, d), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  for (const [file, text] of Object.entries(ROOTFS_FILES)) writeFileSync(join(rootfs, file), text);

  await runPipe(
    ['tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', rootfs, '-c', '.']],
    ['docker', ['import', '--change', 'CMD ["sh"]', '-', BASE_IMAGE]],
    dockerEnv(socket),
  );
  return applets.length;
}

/** The app images (v1, v2, the broken v3 and the VERIFY variants), built FROM the base with the legacy builder (never pulling). */
export async function buildAppImages(buildDir: string, socket: string): Promise<void> {
  await Promise.all(
    APP_VERSIONS.map(async (version) => {
      const context = join(buildDir, `app-${version}`);
      rmSync(context, { recursive: true, force: true });
      mkdirSync(join(context, 'www'), { recursive: true });
      writeFileSync(join(context, 'Dockerfile'), APP_DOCKERFILE);
      for (const [file, text] of Object.entries(appPages(version))) {
        mkdirSync(dirname(join(context, 'www', file)), { recursive: true });
        // CGI scripts must be executable inside the image.
        writeFileSync(join(context, 'www', file), text, { mode: file.startsWith('cgi-bin/') ? 0o755 : 0o644 });
      }
      await docker(socket, ['build', '--quiet', '--pull=false', '--tag', appImage(version), context]);
    }),
  );
}

export async function saveImages(socket: string, tarFile: string): Promise<void> {
  await docker(socket, ['save', '--output', tarFile, ...LAB_IMAGES]);
}

export async function loadImages(socket: string, tarFile: string): Promise<void> {
  await docker(socket, ['load', '--quiet', '--input', tarFile]);
}

/** Starts lab-app-v1 on the host network and waits until it serves v1 on its port. */
export async function runAppContainer(socket: string, port: number): Promise<string> {
  const created = await dockerApi<{ Id: string }>(socket, 'POST', `/containers/create?name=${APP_CONTAINER}`, {
    Image: appImage('v1'),
    Env: [`PORT=${port}`],
    Labels: APP_LABELS,
    HostConfig: { NetworkMode: 'host', Init: true },
  });
  await dockerApi(socket, 'POST', `/containers/${created.Id}/start`);

  let last = 'no answer';
  const ok = await waitUntil(
    async () => {
      try {
        const answer = await httpGet(port, '/', 1_000);
        last = `${answer.status} ${JSON.stringify(answer.body.trim())}`;
        return answer.status === 200 && answer.body.includes('v1');
      } catch (err) {
        last = (err as Error).message;
        return false;
      }
    },
    15_000,
    50,
  );
  if (!ok) {
    // A port clash shows only as the container exiting 1, so report its state and output.
    const info = await dockerApi<{ State: { Status: string; ExitCode: number } }>(
      socket,
      'GET',
      `/containers/${created.Id}/json`,
    );
    const logs = await run('docker', ['logs', '--tail', '20', created.Id], {
      env: dockerEnv(socket),
      timeoutMs: 10_000,
    });
    const output = (logs.stdout + logs.stderr).trim();
    throw new Error(
      `${APP_CONTAINER} does not serve v1 on 127.0.0.1:${port} (${last}); ` +
        `container ${info.State.Status}, exit ${info.State.ExitCode}${output ? `, output:\n${output}` : ''}`,
    );
  }
  return created.Id;
}

interface ContainerSummary {
  Id: string;
  Names: string[];
}

export async function runningContainers(socket: string): Promise<string[]> {
  const list = await dockerApi<ContainerSummary[]>(socket, 'GET', '/containers/json', undefined, { timeoutMs: 3_000 });
  return list.map((c) => c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12));
}

/** Stops every running container of this engine (all of them belong to the lab) with a short timeout. */
export async function stopAllContainers(socket: string, timeoutSec = 2): Promise<number> {
  const list = await dockerApi<ContainerSummary[]>(socket, 'GET', '/containers/json', undefined, { timeoutMs: 5_000 });
  await Promise.all(
    list.map((c) =>
      dockerApi(socket, 'POST', `/containers/${c.Id}/stop?t=${timeoutSec}`, undefined, {
        timeoutMs: (timeoutSec + 10) * 1_000,
        okStatus: [304, 404],
        // dockerd stops whatever is still running when it shuts down next.
      }).catch(() => undefined),
    ),
  );
  return list.length;
}
