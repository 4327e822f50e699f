// Where everything lives inside the lab dir. Both `up` and `down` derive every
// path from the lab dir alone, so a killed lab can be cleaned without lab.json.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const DOCKER_HOSTS = ['lab-1', 'lab-2', 'lab-3'] as const;
export const NO_DOCKER_HOST = 'lab-nodocker';
/** sshd only, forwarding limited to the ssh ports of lab-1..3 (ssh -J). */
export const JUMP_HOST = 'lab-jump';
/** sshd only, AllowTcpForwarding no (the jump that refuses). */
export const NO_JUMP_HOST = 'lab-nojump';
export const ALL_HOSTS = [...DOCKER_HOSTS, NO_DOCKER_HOST, JUMP_HOST, NO_JUMP_HOST] as const;

/** SSH-only benchmark hosts fleet-1..N sharing lab-1's engine. */
export const MAX_FLEET = 20;
export const fleetName = (i: number): string => `fleet-${i}`;
const FLEET_DIR = /^fleet-(\d+)$/;

/** Fleet hosts that have a directory in the lab dir (from this or an earlier `up`), in order. */
export function fleetDirNames(labDir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(labDir);
  } catch {
    return [];
  }
  return entries
    .map((e) => FLEET_DIR.exec(e))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b)
    .map(fleetName);
}

/** The lab login user: /bin/sh, password and client key; Docker only where dockerd runs with SDLAB_GROUP. */
export const SDLAB_USER = 'sdlab';
export const SDLAB_GROUP = 'sdlab-docker';
export const SDLAB_HOME = '/home/sdlab';
/** Hosts whose dockerd runs with `--group sdlab-docker`; the others keep a root-only socket. */
export const SDLAB_DOCKER_HOSTS: readonly string[] = ['lab-1', 'lab-2'];

export const BASE_IMAGE = 'shipdeck-lab/base:1';
/**
 * v1 and v2 serve well, v3's health check fails; the v2 variants answer
 * /cgi-bin/app with known faults for VERIFY: 500 ms slower (v2-slow), 15% or
 * 7% of answers 500 (v2-err15, v2-err7).
 */
export const APP_VERSIONS = ['v1', 'v2', 'v3', 'v2-slow', 'v2-err15', 'v2-err7'] as const;
export type AppVersion = (typeof APP_VERSIONS)[number];
export const appImage = (version: AppVersion): string => `shipdeck-lab/app:${version}`;
export const LAB_IMAGES = [BASE_IMAGE, ...APP_VERSIONS.map(appImage)];

export const APP_CONTAINER = 'lab-app-v1';
export const APP_LABELS = {
  'shipdeck.lab': '1',
  'shipdeck.service': 'web',
  'shipdeck.release': 'v1',
  'shipdeck.role': 'live',
};

// The longest unix socket the lab creates is containerd's ttrpc socket; sun_path
// holds 108 bytes and some tools stop at 100, so the lab dir must stay short.
const LONGEST_SOCKET_SUFFIX = '/lab-1/exec/containerd/containerd.sock.ttrpc';
export const MAX_SOCKET_PATH = 100;

export function socketPathProblem(dir: string): string | null {
  const longest = dir + LONGEST_SOCKET_SUFFIX;
  if (longest.length < MAX_SOCKET_PATH) return null;
  return (
    `lab dir ${dir} is too long: ${longest} would be ${longest.length} chars ` +
    `(unix sockets must stay under ${MAX_SOCKET_PATH}); set SHIPDECK_LAB to a shorter path`
  );
}

export interface LabPaths {
  dir: string;
  clientKey: string;
  clientPub: string;
  wrongKey: string;
  wrongPub: string;
  knownHosts: string;
  /** ssh_config for the OpenSSH client: client key, known_hosts, one Host alias per lab host. */
  sshConfig: string;
  /** sdlab's password, mode 0600, written by `up`, removed by `down`. */
  sdlabPassword: string;
  stateFile: string;
  lockFile: string;
  buildDir: string;
}

export function labPaths(dir: string): LabPaths {
  return {
    dir,
    clientKey: join(dir, 'client'),
    clientPub: join(dir, 'client.pub'),
    wrongKey: join(dir, 'wrong'),
    wrongPub: join(dir, 'wrong.pub'),
    knownHosts: join(dir, 'known_hosts'),
    sshConfig: join(dir, 'ssh_config'),
    sdlabPassword: join(dir, 'sdlab.password'),
    stateFile: join(dir, 'lab.json'),
    lockFile: join(dir, 'lab.lock'),
    buildDir: join(dir, 'build'),
  };
}

export interface HostPaths {
  name: string;
  dir: string;
  hostKey: string;
  /** The original host key while regenerateHostKey's replacement is served (control.ts). */
  originalHostKey: string;
  sshdConfig: string;
  sshdPid: string;
  sshdLog: string;
  dockerSocket: string;
  dockerPid: string;
  dockerLog: string;
  dockerConfig: string;
  dockerKey: string;
  dataRoot: string;
  execRoot: string;
  /** Absolute cgroup parent of this engine's containers, unique to this lab dir. */
  cgroupParent: string;
  nginxPrefix: string;
  nginxConf: string;
  nginxUpstream: string;
  nginxPid: string;
  nginxErrorLog: string;
  nginxAccessLog: string;
  nginxTemp: string;
}

export function hostPaths(labDir: string, name: string): HostPaths {
  const dir = join(labDir, name);
  const nginx = join(dir, 'nginx');
  const labId = createHash('sha1').update(labDir).digest('hex').slice(0, 8);
  return {
    name,
    dir,
    hostKey: join(dir, 'hostkey'),
    originalHostKey: join(dir, 'hostkey.original'),
    sshdConfig: join(dir, 'sshd_config'),
    sshdPid: join(dir, 'sshd.pid'),
    sshdLog: join(dir, 'sshd.log'),
    dockerSocket: join(dir, 'docker.sock'),
    dockerPid: join(dir, 'dockerd.pid'),
    dockerLog: join(dir, 'dockerd.log'),
    dockerConfig: join(dir, 'daemon.json'),
    dockerKey: join(dir, 'docker-key.json'),
    dataRoot: join(dir, 'docker'),
    execRoot: join(dir, 'exec'),
    cgroupParent: `/shipdeck-lab-${labId}-${name}`,
    nginxPrefix: nginx + '/',
    nginxConf: join(nginx, 'nginx.conf'),
    nginxUpstream: join(nginx, 'upstream.conf'),
    nginxPid: join(nginx, 'nginx.pid'),
    nginxErrorLog: join(nginx, 'error.log'),
    nginxAccessLog: join(nginx, 'access.log'),
    nginxTemp: join(nginx, 'tmp'),
  };
}

/** Every host a lab in this dir may have started, fleet included: what `down` must stop. */
export const allHostPaths = (labDir: string): HostPaths[] =>
  [...ALL_HOSTS, ...fleetDirNames(labDir)].map((name) => hostPaths(labDir, name));
