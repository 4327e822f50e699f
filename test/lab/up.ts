// `npm run lab -- up`: three Docker hosts, one host without Docker, two jump
// hosts (one that forwards, one that refuses) and an optional SSH-only fleet,
// all on 127.0.0.1, plus the login user sdlab.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshClientConfig, sshdConfig, nginxConf, upstreamConf, type Forwarding } from './configs.js';
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
import { allLabHosts, type LabHost, type LabState } from './lab-state.js';
import {
  APP_CONTAINER,
  DOCKER_HOSTS,
  fleetName,
  hostPaths,
  JUMP_HOST,
  LAB_IMAGES,
  labPaths,
  NO_DOCKER_HOST,
  NO_JUMP_HOST,
  SDLAB_DOCKER_HOSTS,
  SDLAB_GROUP,
  SDLAB_USER,
  type HostPaths,
  type LabPaths,
} from './layout.js';
import { freePorts, httpGet, LOOPBACK } from './net.js';
import { formatMs, type Progress } from './progress.js';
import { ensureSdlabUser, setSdlabPassword, traversalProblem } from './sdlab.js';
import { passwordLogin } from './ssh-client.js';
import { ensureHostKey, ensureKey, fingerprint, publicKeyLine, startSshd, stopSshd } from './sshd.js';
import { writeLabStateFile } from './state-file.js';
import { run, runOk, tail, waitUntil, type RunResult } from './sys.js';
import { didAnything, teardown } from './teardown.js';

type HostKind = 'docker' | 'nodocker' | 'jump' | 'nojump' | 'fleet';

interface Ports {
  ssh: number;
  public: number | null;
  app: number | null;
}

interface PlannedHost {
  paths: HostPaths;
  kind: HostKind;
  ports: Ports;
  hostKeyFingerprint: string;
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** "fleet-1..10" for a run of fleet hosts. */
function fleetLabel(hosts: { paths: HostPaths }[] | LabHost[]): string {
  const names = hosts.map((h) => ('paths' in h ? h.paths.name : h.name));
  return names.length === 1 ? names[0]! : `${names[0]}..${names[names.length - 1]!.replace('fleet-', '')}`;
}

/** Brings the lab up from whatever is in `dir` (nothing, a clean `down`, or a killed lab). */
export async function up(dir: string, progress: Progress, fleetSize: number): Promise<LabState> {
  const lab = labPaths(dir);
  await progress.step(
    'clean leftovers of an earlier lab',
    () => teardown(dir, null),
    (r) =>
      didAnything(r)
        ? `${r.containers} containers, ${r.daemons + r.leftovers} processes, ${r.unmounted} mounts`
        : 'none',
  );

  const plan: [string, HostKind][] = [
    ...DOCKER_HOSTS.map((n): [string, HostKind] => [n, 'docker']),
    [NO_DOCKER_HOST, 'nodocker'],
    [JUMP_HOST, 'jump'],
    [NO_JUMP_HOST, 'nojump'],
    ...range(1, fleetSize).map((i): [string, HostKind] => [fleetName(i), 'fleet']),
  ];
  for (const d of [dir, ...plan.map(([n]) => hostPaths(dir, n).dir)]) {
    mkdirSync(d, { recursive: true });
    // nginx workers run as nobody and sdlab reaches lab-1/2's Docker sockets: both need to search these dirs
    chmodSync(d, 0o755);
  }
  const unreachable = traversalProblem(dir);
  if (unreachable) throw new Error(unreachable);

  const [fingerprints] = await Promise.all([
    progress.step(`ssh keys (client, wrong, ${plan.length} host keys)`, async () => {
      await Promise.all([
        ensureKey(lab.clientKey, 'shipdeck-lab client'),
        ensureKey(lab.wrongKey, 'shipdeck-lab wrong key (authorized nowhere)'),
        ...plan.map(([n]) => ensureHostKey(hostPaths(dir, n))),
      ]);
      return Promise.all(plan.map(([n]) => fingerprint(hostPaths(dir, n).hostKey + '.pub')));
    }),
    progress.step(
      `user ${SDLAB_USER} (group ${SDLAB_GROUP}) and a new password`,
      async () => {
        const did = await ensureSdlabUser();
        await setSdlabPassword(lab.sdlabPassword);
        return did;
      },
      (did) => did,
    ),
  ]);

  // Every host needs an ssh port; Docker hosts also need a public (nginx) port and an app port.
  const count = plan.length + 2 * DOCKER_HOSTS.length;
  const free = await progress.step(
    'free ports on 127.0.0.1',
    () => freePorts(count),
    (p) => p.join(' '),
  );
  const take = (): number => free.shift()!;
  const hosts: PlannedHost[] = plan.map(([name, kind], i) => {
    const docker = kind === 'docker';
    return {
      paths: hostPaths(dir, name),
      kind,
      ports: { ssh: take(), public: docker ? take() : null, app: docker ? take() : null },
      hostKeyFingerprint: fingerprints[i]!,
    };
  });
  const dockerHosts = hosts.filter((h) => h.kind === 'docker');
  const fleet = hosts.filter((h) => h.kind === 'fleet');
  const byKind = (kind: HostKind): PlannedHost => hosts.find((h) => h.kind === kind)!;

  const [driver, dockerdMajor] = await progress.step(
    'docker storage driver',
    () => Promise.all([chooseStorageDriver(dir), dockerdMajorVersion()]),
    ([choice]) => `${choice.driver} (${choice.reason})`,
  );

  await progress.step('write sshd, nginx, ssh client configs and known_hosts', () => writeConfigs(lab, hosts));

  // Everything below runs at once; each step prints its own line when it ends, and
  // each check starts as soon as what it needs is up (see `after`).
  const sshd = new Map<string, Promise<unknown>>();
  for (const h of hosts.filter((x) => x.kind !== 'fleet')) {
    sshd.set(
      h.paths.name,
      progress.step(`${h.paths.name} sshd on :${h.ports.ssh}`, () => startSshd(h.paths, h.ports.ssh)),
    );
  }
  const fleetSshds =
    fleet.length === 0
      ? Promise.resolve()
      : progress.step(`${fleetLabel(fleet)} sshd on :${fleet.map((h) => h.ports.ssh).join(' :')}`, () =>
          Promise.all(fleet.map((h) => startSshd(h.paths, h.ports.ssh))),
        );
  const sshdOf = (h: PlannedHost): Promise<unknown> => sshd.get(h.paths.name) ?? fleetSshds;
  const nginxes = dockerHosts.map((h) =>
    progress.step(`${h.paths.name} nginx on :${h.ports.public} (config checked)`, () => startNginx(h.paths)),
  );
  const engines = dockerHosts.map((h) =>
    progress.step(
      `${h.paths.name} dockerd answers docker version (socket group ${socketGroup(h.paths.name)})`,
      () => startEngine(h.paths, driver, dockerdMajor, socketGroup(h.paths.name)),
      describeEngine,
    ),
  );
  const imageTar = join(lab.buildDir, 'images.tar');
  const builder = dockerHosts[0]!.paths;
  const built = (async () => {
    await engines[0];
    mkdirSync(lab.buildDir, { recursive: true });
    await progress.step(
      `${builder.name} base image (busybox rootfs)`,
      () => importBaseImage(lab.buildDir, builder.dockerSocket),
      (n) => `${n} applets`,
    );
    await progress.step(`${builder.name} app images v1 v2 v3 built`, () =>
      buildAppImages(lab.buildDir, builder.dockerSocket),
    );
  })();
  // Built once, then one `docker save` feeds every other engine's `docker load`.
  const saved = (async () => {
    await built;
    await progress.step(
      `${builder.name} images saved`,
      () => saveImages(builder.dockerSocket, imageTar),
      () => LAB_IMAGES.join(' '),
    );
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

  const password = readFileSync(lab.sdlabPassword, 'utf8').trim();
  const [lab1, lab2, lab3] = dockerHosts as [PlannedHost, PlannedHost, PlannedHost];
  const app = (h: PlannedHost): Promise<unknown> => apps[dockerHosts.indexOf(h)]!;
  const [jump, noJump, noDocker] = [byKind('jump'), byKind('nojump'), byKind('nodocker')];
  await settleAll([
    ...sshd.values(),
    fleetSshds,
    ...nginxes,
    ...engines,
    built,
    saved,
    ...imagesReady,
    ...apps,
    ...dockerHosts.flatMap((h, i) => [
      after([nginxes[i]!, app(h)], () =>
        progress.step(`${h.paths.name} nginx :${h.ports.public} proxies to v1`, () => checkProxy(h.ports.public!)),
      ),
      after([sshdOf(h), app(h)], () =>
        progress.step(
          `${h.paths.name} ssh login with client key`,
          () => checkSsh(lab, h),
          (out) => out,
        ),
      ),
      after([sshdOf(h), app(h)], () =>
        progress.step(
          `${h.paths.name} ${SDLAB_USER} docker ps`,
          () => checkSdlabDocker(lab, h),
          (out) => out,
        ),
      ),
    ]),
    after([sshdOf(noDocker)], () =>
      progress.step(
        `${noDocker.paths.name} ssh login with client key`,
        () => checkSsh(lab, noDocker),
        (out) => out,
      ),
    ),
    after([sshdOf(lab2)], () =>
      progress.step(`${lab2.paths.name} ${SDLAB_USER} password login (root's is refused)`, () =>
        checkPasswords(lab2, password),
      ),
    ),
    after([sshdOf(jump), sshdOf(lab1)], () =>
      progress.step(
        `${jump.paths.name} ssh -J to ${lab1.paths.name}`,
        () => checkJump(lab, jump, lab1),
        (line) => `log: ${line}`,
      ),
    ),
    after([sshdOf(noJump), sshdOf(lab3)], () =>
      progress.step(
        `${noJump.paths.name} ssh -J refused`,
        () => checkNoJump(lab, noJump, lab3),
        (line) => `log: ${line}`,
      ),
    ),
    ...(fleet.length > 0
      ? [
          after([fleetSshds, app(lab1)], () =>
            progress.step(`${fleetLabel(fleet)} ${SDLAB_USER} docker ps (lab-1's engine)`, () =>
              Promise.all(fleet.map((h) => checkSdlabDocker(lab, h))),
            ),
          ),
        ]
      : []),
  ]);

  const state = labState(lab, hosts, password);
  writeLabStateFile(dir, state);
  return state;
}

/**
 * Adds or removes fleet hosts of a running lab until it has `size` of them,
 * leaving every other host (and open connections to them) alone.
 */
export async function resizeFleet(state: LabState, size: number, progress: Progress): Promise<LabState> {
  const dir = state.dir;
  const lab = labPaths(dir);
  const removed = state.fleet.slice(size);
  const kept = state.fleet.slice(0, size);
  if (removed.length > 0) {
    await progress.step(`stop ${fleetLabel(removed)} sshd (and their connections)`, () =>
      Promise.all(removed.map((h) => stopSshd(dir, hostPaths(dir, h.name), h.sshPort, true))),
    );
  }
  const names = range(state.fleet.length + 1, size).map(fleetName);
  let added: PlannedHost[] = [];
  if (names.length > 0) {
    const fingerprints = await progress.step(`${names.length} fleet host keys`, () =>
      Promise.all(
        names.map(async (n) => {
          const paths = hostPaths(dir, n);
          mkdirSync(paths.dir, { recursive: true });
          chmodSync(paths.dir, 0o755);
          await ensureHostKey(paths);
          return fingerprint(paths.hostKey + '.pub');
        }),
      ),
    );
    const ports = await freePorts(names.length);
    added = names.map((n, i) => ({
      paths: hostPaths(dir, n),
      kind: 'fleet',
      ports: { ssh: ports[i]!, public: null, app: null },
      hostKeyFingerprint: fingerprints[i]!,
    }));
    const lab1Socket = state.hosts[0]!.dockerSocket!;
    for (const h of added) writeSshdConfig(lab, h, [], lab1Socket);
    await progress.step(`${fleetLabel(added)} sshd on :${ports.join(' :')}`, () =>
      Promise.all(added.map((h) => startSshd(h.paths, h.ports.ssh))),
    );
  }
  const next: LabState = {
    ...state,
    fleet: [...kept, ...added.map((h) => toLabHost(h, state.hosts[0]!.dockerSocket!))],
  };
  next.sdlab = { ...state.sdlab, dockerHosts: sdlabDockerHosts(next.fleet.map((h) => h.name)) };
  writeClientFiles(
    lab,
    allLabHosts(next).map((h) => ({ paths: hostPaths(dir, h.name), port: h.sshPort })),
  );
  if (added.length > 0) {
    await progress.step(`${fleetLabel(added)} ${SDLAB_USER} docker ps (lab-1's engine)`, () =>
      Promise.all(added.map((h) => checkSdlabDocker(lab, h))),
    );
  }
  writeLabStateFile(dir, next);
  return next;
}

const describeEngine = (e: EngineStarted): string => `${e.version}, ${e.driver}`;

const socketGroup = (name: string): string => (SDLAB_DOCKER_HOSTS.includes(name) ? SDLAB_GROUP : 'root');

const sdlabDockerHosts = (fleetNames: string[]): string[] => [...SDLAB_DOCKER_HOSTS, ...fleetNames];

/** Runs `check` once every dependency is done; if one failed, skips it (that failure is reported on its own). */
const after = (deps: Promise<unknown>[], check: () => Promise<unknown>): Promise<unknown> =>
  Promise.all(deps).then(check, () => undefined);

/** Waits for every promise (so nothing keeps starting after a failure), then throws what failed. */
async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const errors = [
    ...new Set(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)),
  ];
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} steps failed`);
}

function forwardingFor(h: PlannedHost, jumpTargets: number[]): Forwarding {
  if (h.kind === 'jump') return { kind: 'only', targets: jumpTargets };
  if (h.kind === 'nojump') return { kind: 'none' };
  return { kind: 'any' };
}

function dockerHostFor(h: PlannedHost, lab1Socket: string): string | null {
  if (h.kind === 'docker' || h.kind === 'nodocker') return h.paths.dockerSocket; // lab-nodocker's never exists
  if (h.kind === 'fleet') return lab1Socket;
  return null;
}

function writeSshdConfig(lab: LabPaths, h: PlannedHost, jumpTargets: number[], lab1Socket: string): void {
  const jumpish = h.kind === 'jump' || h.kind === 'nojump';
  // Shared by root and sdlab on this host, like /tmp: anyone may create, only owners delete.
  // A fresh lab is fresh hosts: what Shipdeck kept there (state, locks) described containers that are gone.
  rmSync(join(h.paths.dir, 'home'), { recursive: true, force: true });
  mkdirSync(join(h.paths.dir, 'home'), { recursive: true });
  chmodSync(join(h.paths.dir, 'home'), 0o1777);
  writeFileSync(
    h.paths.sshdConfig,
    sshdConfig({
      port: h.ports.ssh,
      paths: h.paths,
      authorizedKeys: lab.clientPub,
      dockerSocket: dockerHostFor(h, lab1Socket),
      forwarding: forwardingFor(h, jumpTargets),
      logLevel: jumpish ? 'DEBUG1' : 'INFO',
      passwordUser: SDLAB_USER,
    }),
  );
}

/**
 * known_hosts and ssh_config for every host. known_hosts lists each host's
 * original key: a key swapped in by control.ts's regenerateHostKey is the
 * "changed host key" that a client remembering the old one must refuse.
 */
function writeClientFiles(lab: LabPaths, hosts: { paths: HostPaths; port: number }[]): void {
  const knownHosts = hosts.map(({ paths, port }) => {
    const pub = existsSync(paths.originalHostKey + '.pub') ? paths.originalHostKey + '.pub' : paths.hostKey + '.pub';
    return `[${LOOPBACK}]:${port} ${publicKeyLine(pub)}`;
  });
  writeFileSync(lab.knownHosts, knownHosts.join('\n') + '\n');
  writeFileSync(
    lab.sshConfig,
    sshClientConfig(
      lab.clientKey,
      lab.knownHosts,
      hosts.map(({ paths, port }) => ({ name: paths.name, port })),
    ),
  );
}

function writeConfigs(lab: LabPaths, hosts: PlannedHost[]): void {
  const dockerHosts = hosts.filter((h) => h.kind === 'docker');
  const jumpTargets = dockerHosts.map((h) => h.ports.ssh);
  const lab1Socket = dockerHosts[0]!.paths.dockerSocket;
  for (const h of hosts) {
    writeSshdConfig(lab, h, jumpTargets, lab1Socket);
    if (h.kind !== 'docker') continue;
    const { paths, ports } = h;
    mkdirSync(paths.nginxTemp, { recursive: true });
    chmodSync(paths.nginxPrefix, 0o755);
    writeFileSync(paths.nginxConf, nginxConf(ports.public!, paths));
    writeFileSync(paths.nginxUpstream, upstreamConf(ports.app!));
  }
  writeClientFiles(
    lab,
    hosts.map((h) => ({ paths: h.paths, port: h.ports.ssh })),
  );
}

async function startNginx(paths: HostPaths): Promise<void> {
  const args = ['-p', paths.nginxPrefix, '-c', paths.nginxConf, '-e', paths.nginxErrorLog];
  try {
    await runOk('nginx', ['-t', '-q', ...args]);
    await runOk('nginx', args); // forks into the background once its port is bound
  } catch (err) {
    throw new Error(
      `${(err as Error).message}\nlast lines of ${paths.nginxErrorLog}:\n${tail(paths.nginxErrorLog, 10)}`,
    );
  }
}

async function checkProxy(publicPort: number): Promise<void> {
  const answer = await httpGet(publicPort, '/', 5_000);
  if (answer.status !== 200 || !answer.body.includes('v1')) {
    throw new Error(
      `GET http://127.0.0.1:${publicPort}/ answered ${answer.status} ${JSON.stringify(answer.body.slice(0, 200))}, expected the v1 page`,
    );
  }
}

/** OpenSSH as a test would run it: the lab's ssh_config (client key, this lab's known_hosts, batch mode). */
function ssh(lab: LabPaths, port: number, user: string, command: string, extra: string[] = []): Promise<RunResult> {
  return run('ssh', ['-F', lab.sshConfig, ...extra, '-p', String(port), `${user}@${LOOPBACK}`, command], {
    timeoutMs: 15_000,
  });
}

async function sshOk(
  lab: LabPaths,
  port: number,
  user: string,
  command: string,
  extra: string[] = [],
): Promise<string> {
  const result = await ssh(lab, port, user, command, extra);
  if (result.code !== 0) {
    throw new Error(
      `ssh ${extra.join(' ')} ${user}@127.0.0.1:${port} ${command} exited ${result.code}: ${result.stderr.trim()}`,
    );
  }
  return result.stdout;
}

const DOCKER_PS = "docker ps --format '{{.Names}}'";

/** Logs in as root with the client key, as a test would. */
async function checkSsh(lab: LabPaths, h: PlannedHost): Promise<string> {
  if (h.kind === 'docker') {
    const out = await sshOk(lab, h.ports.ssh, 'root', DOCKER_PS);
    if (!out.split('\n').includes(APP_CONTAINER))
      throw new Error(`docker ps over ssh shows ${JSON.stringify(out.trim())}, not ${APP_CONTAINER}`);
    return `docker ps shows ${APP_CONTAINER}`;
  }
  const out = await sshOk(lab, h.ports.ssh, 'root', 'printenv DOCKER_HOST');
  if (out.trim() !== `unix://${h.paths.dockerSocket}`)
    throw new Error(`DOCKER_HOST over ssh is ${JSON.stringify(out.trim())}`);
  return 'DOCKER_HOST points at a missing socket';
}

/** sdlab's docker ps: works where its group owns the socket, "permission denied" where the socket is root's. */
async function checkSdlabDocker(lab: LabPaths, h: PlannedHost): Promise<string> {
  const allowed = h.kind === 'fleet' || SDLAB_DOCKER_HOSTS.includes(h.paths.name);
  if (allowed) {
    const out = await sshOk(lab, h.ports.ssh, SDLAB_USER, DOCKER_PS);
    if (!out.split('\n').includes(APP_CONTAINER))
      throw new Error(
        `${SDLAB_USER}'s docker ps on ${h.paths.name} shows ${JSON.stringify(out.trim())}, not ${APP_CONTAINER}`,
      );
    return `shows ${APP_CONTAINER}`;
  }
  const result = await ssh(lab, h.ports.ssh, SDLAB_USER, DOCKER_PS);
  const denied = /permission denied/i.exec(result.stderr);
  if (result.code === 0 || !denied) {
    throw new Error(
      `${SDLAB_USER}'s docker ps on ${h.paths.name} should fail with "permission denied" on the root-only socket, ` +
        `got exit ${result.code}: ${(result.stderr || result.stdout).trim()}`,
    );
  }
  return 'permission denied, as intended';
}

async function checkPasswords(h: PlannedHost, password: string): Promise<void> {
  const who = await passwordLogin(h.ports.ssh, SDLAB_USER, password, h.hostKeyFingerprint, 'id -un');
  if (who.trim() !== SDLAB_USER)
    throw new Error(`password login as ${SDLAB_USER} ran as ${JSON.stringify(who.trim())}`);
  const root = await passwordLogin(h.ports.ssh, 'root', password, h.hostKeyFingerprint, 'true').then(
    () => 'accepted',
    (err: Error) => err.message,
  );
  if (!/authentication methods failed/i.test(root))
    throw new Error(`root's password login should be refused, got: ${root}`);
}

/** root on the jump host, sdlab on the target; returns the jump host's log line for the forward. */
async function checkJump(lab: LabPaths, jump: PlannedHost, target: PlannedHost): Promise<string> {
  const who = await sshOk(lab, target.ports.ssh, SDLAB_USER, 'id -un', ['-J', `root@${LOOPBACK}:${jump.ports.ssh}`]);
  if (who.trim() !== SDLAB_USER) throw new Error(`ssh -J ran as ${JSON.stringify(who.trim())}`);
  const wanted = `target ${LOOPBACK} port ${target.ports.ssh}`;
  let line: string | undefined;
  await waitUntil(() => {
    line = tail(jump.paths.sshdLog, 200)
      .split('\n')
      .find((l) => l.includes('direct_tcpip') && l.includes(wanted));
    return line !== undefined;
  }, 2_000);
  if (!line)
    throw new Error(`${jump.paths.sshdLog} has no direct-tcpip line with "${wanted}":\n${tail(jump.paths.sshdLog)}`);
  return line.trim();
}

/** ssh -J through lab-nojump fails, and its log says why; returns that log line. */
async function checkNoJump(lab: LabPaths, noJump: PlannedHost, target: PlannedHost): Promise<string> {
  const result = await ssh(lab, target.ports.ssh, SDLAB_USER, 'true', ['-J', `root@${LOOPBACK}:${noJump.ports.ssh}`]);
  if (result.code === 0 || !/stdio forwarding failed|administratively prohibited/.test(result.stderr)) {
    throw new Error(
      `ssh -J through ${noJump.paths.name} should be refused ("stdio forwarding failed"), got exit ${result.code}: ${result.stderr.trim()}`,
    );
  }
  const wanted = `refused local port forward: originator ${LOOPBACK} port`;
  let line: string | undefined;
  await waitUntil(() => {
    line = tail(noJump.paths.sshdLog, 200)
      .split('\n')
      .find((l) => l.includes(wanted) && l.includes(`target ${LOOPBACK} port ${target.ports.ssh}`));
    return line !== undefined;
  }, 2_000);
  if (!line) throw new Error(`${noJump.paths.sshdLog} does not say "${wanted}":\n${tail(noJump.paths.sshdLog)}`);
  return line.trim();
}

function toLabHost(h: PlannedHost, lab1Socket: string): LabHost {
  return {
    name: h.paths.name,
    host: LOOPBACK,
    sshPort: h.ports.ssh,
    user: 'root',
    dockerSocket: h.kind === 'docker' ? h.paths.dockerSocket : h.kind === 'fleet' ? lab1Socket : null,
    hostKeyFile: h.paths.hostKey,
    hostKeyFingerprint: h.hostKeyFingerprint,
    publicPort: h.ports.public,
    appPort: h.ports.app,
    nginx:
      h.kind === 'docker'
        ? { prefix: h.paths.nginxPrefix, conf: h.paths.nginxConf, upstream: h.paths.nginxUpstream }
        : null,
    dir: h.paths.dir,
  };
}

function labState(lab: LabPaths, hosts: PlannedHost[], password: string): LabState {
  const one = (kind: HostKind): PlannedHost => hosts.find((h) => h.kind === kind)!;
  const lab1Socket = one('docker').paths.dockerSocket;
  const labHost = (h: PlannedHost): LabHost => toLabHost(h, lab1Socket);
  const fleet = hosts.filter((h) => h.kind === 'fleet').map(labHost);
  return {
    dir: lab.dir,
    clientKey: lab.clientKey,
    clientPub: lab.clientPub,
    wrongKey: lab.wrongKey,
    hosts: hosts.filter((h) => h.kind === 'docker').map(labHost),
    noDocker: labHost(one('nodocker')),
    sdlab: { user: SDLAB_USER, password, dockerHosts: sdlabDockerHosts(fleet.map((h) => h.name)) },
    jump: labHost(one('jump')),
    noJump: labHost(one('nojump')),
    fleet,
    images: LAB_IMAGES,
    startedAt: new Date().toISOString(),
  };
}

function socketNote(state: LabState, h: LabHost): string {
  if (h === state.noDocker) return '(none: DOCKER_HOST points at a missing socket)';
  if (h === state.jump)
    return `(none: jump host, forwards only to ${state.hosts.map((x) => `:${x.sshPort}`).join(' ')}, LogLevel DEBUG1)`;
  if (h === state.noJump) return '(none: AllowTcpForwarding no)';
  if (state.fleet.includes(h)) return `${h.dockerSocket} (lab-1's engine)`;
  const sdlab = state.sdlab.dockerHosts.includes(h.name) ? `group ${SDLAB_GROUP}` : 'root only';
  return `${h.dockerSocket} (${sdlab})`;
}

export function printSummary(state: LabState, totalMs: number, verb = 'up'): void {
  console.log(`\nlab ${verb} in ${formatMs(totalMs)}: ${state.dir}/lab.json`);
  const row = (...cols: string[]) =>
    console.log(
      `  ${(cols[0] ?? '').padEnd(13)} ${cols
        .slice(1, 4)
        .map((c) => c.padEnd(6))
        .join(' ')} ${cols[4]}`,
    );
  row('host', 'ssh', 'nginx', 'app', 'docker socket');
  for (const h of allLabHosts(state)) {
    row(h.name, String(h.sshPort), String(h.publicPort ?? '-'), String(h.appPort ?? '-'), socketNote(state, h));
  }
  console.log(`  images: ${state.images.join(' ')}`);
  console.log(
    `  keys:   ${state.clientKey} (authorized everywhere, for root and ${SDLAB_USER}), ${state.wrongKey} (authorized nowhere)`,
  );
  console.log(
    `  ${SDLAB_USER}:  /bin/sh, password in ${labPaths(state.dir).sdlabPassword} (password login for ${SDLAB_USER} only); ` +
      `Docker on ${state.sdlab.dockerHosts.join(', ')}`,
  );
  const first = state.hosts[0]!;
  const config = labPaths(state.dir).sshConfig;
  console.log(`  try:    ssh -F ${config} ${first.name} docker ps`);
  console.log(
    `          ssh -F ${config} -J root@127.0.0.1:${state.jump.sshPort} -p ${first.sshPort} ${SDLAB_USER}@127.0.0.1 docker ps`,
  );
}
