// `npm run lab -- up`: three Docker hosts and one host without Docker, all on 127.0.0.1.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nginxConf, sshdConfig, upstreamConf } from './configs.js';
import {
  buildAppImages,
  chooseStorageDriver,
  dockerdMajorVersion,
  importBaseImage,
  loadImages,
  runAppContainer,
  saveImages,
  startEngine,
  type EngineStarted,
} from './docker.js';
import { labStateFile, type LabHost, type LabState } from './lab-state.js';
import {
  APP_CONTAINER,
  DOCKER_HOSTS,
  hostPaths,
  LAB_IMAGES,
  labPaths,
  NO_DOCKER_HOST,
  type HostPaths,
  type LabPaths,
} from './layout.js';
import { freePorts, httpGet, LOOPBACK, sshBanner } from './net.js';
import { SSHD } from './prereqs.js';
import { formatMs, type Progress } from './progress.js';
import { runOk, spawnDaemon, tail, waitUntil } from './sys.js';
import { didAnything, teardown } from './teardown.js';

interface Ports {
  ssh: number;
  public: number | null;
  app: number | null;
}

interface PlannedHost {
  paths: HostPaths;
  ports: Ports;
  docker: boolean;
  hostKeyFingerprint: string;
}

/** Brings the lab up from whatever is in `dir` (nothing, a clean `down`, or a killed lab). */
export async function up(dir: string, progress: Progress): Promise<LabState> {
  const lab = labPaths(dir);
  await progress.step('clean leftovers of an earlier lab', () => teardown(dir, null), (r) =>
    didAnything(r) ? `${r.containers} containers, ${r.daemons + r.leftovers} processes, ${r.unmounted} mounts` : 'none',
  );

  const names = [...DOCKER_HOSTS, NO_DOCKER_HOST];
  for (const d of [dir, ...names.map((n) => hostPaths(dir, n).dir)]) {
    mkdirSync(d, { recursive: true });
    chmodSync(d, 0o755); // nginx workers run as nobody and must reach their temp dirs whatever the umask
  }

  const fingerprints = await progress.step('ssh keys (client, wrong, 4 host keys)', async () => {
    await Promise.all([
      ensureKey(lab.clientKey, 'shipdeck-lab client'),
      ensureKey(lab.wrongKey, 'shipdeck-lab wrong key (authorized nowhere)'),
      ...names.map((n) => ensureKey(hostPaths(dir, n).hostKey, `shipdeck-lab ${n} host key`)),
    ]);
    return Promise.all(names.map((n) => fingerprint(hostPaths(dir, n).hostKey + '.pub')));
  });

  // Every host needs an ssh port; Docker hosts also need a public (nginx) port and an app port.
  const count = names.length + 2 * DOCKER_HOSTS.length;
  const free = await progress.step('free ports on 127.0.0.1', () => freePorts(count), (p) => p.join(' '));
  const take = (): number => free.shift()!;
  const hosts: PlannedHost[] = names.map((name, i) => {
    const docker = name !== NO_DOCKER_HOST;
    return {
      paths: hostPaths(dir, name),
      ports: { ssh: take(), public: docker ? take() : null, app: docker ? take() : null },
      docker,
      hostKeyFingerprint: fingerprints[i]!,
    };
  });
  const dockerHosts = hosts.filter((h) => h.docker);

  const [driver, dockerdMajor] = await progress.step(
    'docker storage driver',
    () => Promise.all([chooseStorageDriver(dir), dockerdMajorVersion()]),
    ([choice]) => `${choice.driver} (${choice.reason})`,
  );

  await progress.step('write sshd, nginx configs and known_hosts', () => writeConfigs(lab, hosts));

  // Everything below runs at once; each step prints its own line when it ends.
  const sshds = hosts.map((h) => progress.step(`${h.paths.name} sshd on :${h.ports.ssh}`, () => startSshd(h)));
  const nginxes = dockerHosts.map((h) =>
    progress.step(`${h.paths.name} nginx on :${h.ports.public} (config checked)`, () => startNginx(h.paths)),
  );
  const engines = dockerHosts.map((h) =>
    progress.step(`${h.paths.name} dockerd answers docker version`, () => startEngine(h.paths, driver, dockerdMajor), describeEngine),
  );
  const imageTar = join(lab.buildDir, 'images.tar');
  const builder = dockerHosts[0]!.paths;
  const built = (async () => {
    await engines[0];
    mkdirSync(lab.buildDir, { recursive: true });
    await progress.step(`${builder.name} base image (busybox rootfs)`, () => importBaseImage(lab.buildDir, builder.dockerSocket), (n) => `${n} applets`);
    await progress.step(`${builder.name} app images v1 v2 v3 built`, () => buildAppImages(lab.buildDir, builder.dockerSocket));
  })();
  // Built once, then one `docker save` feeds every other engine's `docker load`.
  const saved = (async () => {
    await built;
    await progress.step(`${builder.name} images saved`, () => saveImages(builder.dockerSocket, imageTar), () => LAB_IMAGES.join(' '));
  })();
  const imagesReady = dockerHosts.map(async (h, i) => {
    if (i === 0) return built;
    await Promise.all([saved, engines[i]]);
    await progress.step(`${h.paths.name} images loaded`, () => loadImages(h.paths.dockerSocket, imageTar));
  });
  const apps = dockerHosts.map(async (h, i) => {
    await imagesReady[i];
    await progress.step(`${h.paths.name} ${APP_CONTAINER} serves v1 on :${h.ports.app}`, () =>
      runAppContainer(h.paths.dockerSocket, h.ports.app!),
    );
  });
  await settleAll([...sshds, ...nginxes, ...engines, built, saved, ...imagesReady, ...apps]);

  await settleAll([
    ...dockerHosts.map((h) =>
      progress.step(`${h.paths.name} nginx :${h.ports.public} proxies to v1`, () => checkProxy(h.ports.public!)),
    ),
    ...hosts.map((h) =>
      progress.step(`${h.paths.name} ssh login with client key`, () => checkSsh(lab, h), (out) => out),
    ),
  ]);

  const state = labState(lab, hosts);
  writeFileSync(labStateFile(dir), JSON.stringify(state, null, 2) + '\n');
  return state;
}

const describeEngine = (e: EngineStarted): string => `${e.version}, ${e.driver}`;

/** Waits for every promise (so nothing keeps starting after a failure), then throws what failed. */
async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const errors = [...new Set(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason))];
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} steps failed`);
}

async function ensureKey(file: string, comment: string): Promise<void> {
  if (existsSync(file) && existsSync(file + '.pub')) return;
  rmSync(file, { force: true });
  rmSync(file + '.pub', { force: true });
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

/** 'SHA256:...' exactly as `ssh-keygen -lf` prints it. */
async function fingerprint(pubFile: string): Promise<string> {
  const out = await runOk('ssh-keygen', ['-lf', pubFile]);
  const match = /^\d+ (SHA256:\S+) /.exec(out);
  if (!match) throw new Error(`cannot read the fingerprint of ${pubFile} from: ${out.trim()}`);
  return match[1]!;
}

function writeConfigs(lab: LabPaths, hosts: PlannedHost[]): void {
  const knownHosts: string[] = [];
  for (const h of hosts) {
    const { paths, ports } = h;
    writeFileSync(
      paths.sshdConfig,
      sshdConfig({ port: ports.ssh, paths, authorizedKeys: lab.clientPub, dockerSocket: paths.dockerSocket }),
    );
    const [type, key] = readFileSync(paths.hostKey + '.pub', 'utf8').trim().split(/\s+/);
    knownHosts.push(`[${LOOPBACK}]:${ports.ssh} ${type} ${key}`);
    if (!h.docker) continue;
    mkdirSync(paths.nginxTemp, { recursive: true });
    chmodSync(paths.nginxPrefix, 0o755);
    writeFileSync(paths.nginxConf, nginxConf(ports.public!, paths));
    writeFileSync(paths.nginxUpstream, upstreamConf(ports.app!));
  }
  writeFileSync(lab.knownHosts, knownHosts.join('\n') + '\n');
}

async function startSshd({ paths, ports }: PlannedHost): Promise<void> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir
  await runOk(SSHD, ['-t', '-f', paths.sshdConfig]);
  const child = spawnDaemon(SSHD, ['-D', '-f', paths.sshdConfig, '-E', paths.sshdLog], paths.sshdLog);
  let exited = '';
  child.on('exit', (code, sig) => (exited = `sshd exited (${sig ?? code})`));
  const ready = await waitUntil(async () => exited !== '' || (await sshBanner(ports.ssh, 500)) !== null, 10_000);
  if (exited || !ready) {
    throw new Error(`${exited || `no SSH banner on :${ports.ssh} within 10 s`}; last lines of ${paths.sshdLog}:\n${tail(paths.sshdLog)}`);
  }
}

async function startNginx(paths: HostPaths): Promise<void> {
  const args = ['-p', paths.nginxPrefix, '-c', paths.nginxConf, '-e', paths.nginxErrorLog];
  try {
    await runOk('nginx', ['-t', '-q', ...args]);
    await runOk('nginx', args); // forks into the background once its port is bound
  } catch (err) {
    throw new Error(`${(err as Error).message}\nlast lines of ${paths.nginxErrorLog}:\n${tail(paths.nginxErrorLog, 10)}`);
  }
}

async function checkProxy(publicPort: number): Promise<void> {
  const answer = await httpGet(publicPort, '/', 5_000);
  if (answer.status !== 200 || !answer.body.includes('v1')) {
    throw new Error(`GET http://127.0.0.1:${publicPort}/ answered ${answer.status} ${JSON.stringify(answer.body.slice(0, 200))}, expected the v1 page`);
  }
}

/** Logs in as a test would: client key, this lab's known_hosts, no user ssh config. */
async function checkSsh(lab: LabPaths, h: PlannedHost): Promise<string> {
  const command = h.docker ? "docker ps --format '{{.Names}}'" : 'printenv DOCKER_HOST';
  const out = await runOk('ssh', [
    '-F', '/dev/null',
    '-i', lab.clientKey,
    '-p', String(h.ports.ssh),
    '-o', 'BatchMode=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${lab.knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'ConnectTimeout=5',
    '-o', 'LogLevel=ERROR',
    `root@${LOOPBACK}`,
    command,
  ], { timeoutMs: 15_000 });
  if (h.docker) {
    if (!out.split('\n').includes(APP_CONTAINER)) throw new Error(`docker ps over ssh shows ${JSON.stringify(out.trim())}, not ${APP_CONTAINER}`);
    return `docker ps shows ${APP_CONTAINER}`;
  }
  if (out.trim() !== `unix://${h.paths.dockerSocket}`) throw new Error(`DOCKER_HOST over ssh is ${JSON.stringify(out.trim())}`);
  return 'DOCKER_HOST points at a missing socket';
}

function labState(lab: LabPaths, hosts: PlannedHost[]): LabState {
  const toLabHost = (h: PlannedHost): LabHost => ({
    name: h.paths.name,
    host: LOOPBACK,
    sshPort: h.ports.ssh,
    user: 'root',
    dockerSocket: h.docker ? h.paths.dockerSocket : null,
    hostKeyFile: h.paths.hostKey,
    hostKeyFingerprint: h.hostKeyFingerprint,
    publicPort: h.ports.public,
    appPort: h.ports.app,
    nginx: h.docker ? { prefix: h.paths.nginxPrefix, conf: h.paths.nginxConf, upstream: h.paths.nginxUpstream } : null,
    dir: h.paths.dir,
  });
  return {
    dir: lab.dir,
    clientKey: lab.clientKey,
    clientPub: lab.clientPub,
    wrongKey: lab.wrongKey,
    hosts: hosts.filter((h) => h.docker).map(toLabHost),
    noDocker: toLabHost(hosts.find((h) => !h.docker)!),
    images: LAB_IMAGES,
    startedAt: new Date().toISOString(),
  };
}

export function printSummary(state: LabState, totalMs: number): void {
  console.log(`\nlab up in ${formatMs(totalMs)}: ${state.dir}/lab.json`);
  const row = (...cols: string[]) => console.log(`  ${(cols[0] ?? '').padEnd(13)} ${cols.slice(1, 4).map((c) => c.padEnd(6)).join(' ')} ${cols[4]}`);
  row('host', 'ssh', 'nginx', 'app', 'docker socket');
  for (const h of [...state.hosts, state.noDocker]) {
    const socket = h.dockerSocket ?? '(none: DOCKER_HOST points at a missing socket)';
    row(h.name, String(h.sshPort), String(h.publicPort ?? '-'), String(h.appPort ?? '-'), socket);
  }
  console.log(`  images: ${state.images.join(' ')}`);
  console.log(`  keys:   ${state.clientKey} (authorized everywhere), ${state.wrongKey} (authorized nowhere)`);
  console.log(`  try:    ssh -i ${state.clientKey} -p ${state.hosts[0]!.sshPort} -o StrictHostKeyChecking=no root@127.0.0.1 docker ps`);
}
