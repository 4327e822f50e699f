// The lab's description, written by `npm run lab -- up` to <lab dir>/lab.json.
// Tests import only this module (and control.ts to stop, start or re-key a
// host): it has no side effects; readLabState needs root for sdlab's password.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface LabNginx {
  /** nginx -p prefix (the host's nginx dir, with a trailing slash). */
  prefix: string;
  /** nginx -c file; reload with `nginx -p <prefix> -c <conf> -s reload`. */
  conf: string;
  /** File included inside `upstream app { ... }`: rewrite it, then reload. */
  upstream: string;
}

export interface LabHost {
  name: string;
  host: '127.0.0.1';
  sshPort: number;
  user: 'root';
  /** Path of this host's Docker engine socket; null for lab-nodocker. */
  dockerSocket: string | null;
  /** sshd's private host key; the public key is `${hostKeyFile}.pub`. */
  hostKeyFile: string;
  /** 'SHA256:...' exactly as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** 127.0.0.1 port where this host's nginx listens; null without nginx. */
  publicPort: number | null;
  /** 127.0.0.1 port of the running lab-app-v1 container; null without Docker. */
  appPort: number | null;
  nginx: LabNginx | null;
  /** This host's own directory inside the lab dir (configs, logs, state). */
  dir: string;
}

export interface LabSdlab {
  user: 'sdlab';
  /** Read by readLabState from <dir>/sdlab.password (mode 0600); lab.json itself never holds it. */
  password: string;
  /** Names of the hosts where sdlab may use Docker (lab-1, lab-2, and the fleet, which shares lab-1's engine). */
  dockerHosts: string[];
}

export interface LabState {
  dir: string;
  /** ed25519 private key authorized on every lab host. */
  clientKey: string;
  clientPub: string;
  /** ed25519 private key authorized nowhere (for wrong-key tests). */
  wrongKey: string;
  /** lab-1, lab-2, lab-3: each with its own sshd, dockerd and nginx. */
  hosts: LabHost[];
  /** An sshd whose DOCKER_HOST points at a socket that does not exist. */
  noDocker: LabHost;
  /**
   * The login user `sdlab` (shell /bin/sh, home /home/sdlab): the client key on
   * every host, and a password (on every host, for sdlab only). Its Docker
   * socket works on lab-1 and lab-2 (group sdlab-docker) and is root-only on
   * lab-3, so Docker there answers "permission denied".
   */
  sdlab: LabSdlab;
  /**
   * An sshd without Docker that forwards (ssh -J, direct-tcpip) only to the ssh
   * ports of `hosts`, with LogLevel DEBUG1: its sshd.log shows each forward as
   * "server_request_direct_tcpip: originator 127.0.0.1 port P, target 127.0.0.1 port N".
   */
  jump: LabHost;
  /** An sshd without Docker with AllowTcpForwarding no: ssh -J through it fails. */
  noJump: LabHost;
  /** fleet-1..N (`up --fleet N`, none by default): sshd only, DOCKER_HOST is lab-1's engine. */
  fleet: LabHost[];
  images: string[];
  startedAt: string;
}

export const DEFAULT_LAB_DIR = '/tmp/shipdeck-lab';

export const NOT_UP_MESSAGE = 'lab is not up: run `npm run lab -- up`';

/** The lab directory: $SHIPDECK_LAB, else /tmp/shipdeck-lab. */
export function labDir(): string {
  return resolve(process.env.SHIPDECK_LAB || DEFAULT_LAB_DIR);
}

export function labStateFile(dir: string = labDir()): string {
  return join(dir, 'lab.json');
}

/** OpenSSH known_hosts listing every lab host's key as `[127.0.0.1]:port` (written by `up`). */
export function knownHostsFile(dir: string = labDir()): string {
  return join(dir, 'known_hosts');
}

/** ssh_config for `ssh -F`: client key, known_hosts and an alias per host (written by `up`). */
export function sshConfigFile(dir: string = labDir()): string {
  return join(dir, 'ssh_config');
}

export function sdlabPasswordFile(dir: string = labDir()): string {
  return join(dir, 'sdlab.password');
}

/** Every host of the lab, in a stable order: hosts, noDocker, jump, noJump, fleet. */
export function allLabHosts(state: LabState): LabHost[] {
  return [...state.hosts, state.noDocker, state.jump, state.noJump, ...state.fleet];
}

/** Reads <dir>/lab.json; throws a clear Error when the lab is not up. */
export function readLabState(dir: string = labDir()): LabState {
  const file = labStateFile(dir);
  if (!existsSync(file)) throw new Error(`${NOT_UP_MESSAGE} (no ${file})`);
  let state: LabState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as LabState;
  } catch (err) {
    throw new Error(`${NOT_UP_MESSAGE} (${file} is unreadable: ${(err as Error).message})`);
  }
  if (!Array.isArray(state.hosts) || state.hosts.length === 0 || !state.noDocker) {
    throw new Error(`${NOT_UP_MESSAGE} (${file} has no hosts)`);
  }
  if (!state.jump || !state.noJump || !Array.isArray(state.fleet) || !state.sdlab) {
    throw new Error(
      `${file} was written by an older lab script: run \`npm run lab -- down\` then \`npm run lab -- up\``,
    );
  }
  const passwordFile = sdlabPasswordFile(dir);
  try {
    state.sdlab.password = readFileSync(passwordFile, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES'
        ? 'readable by root only: run the tests as root'
        : code === 'ENOENT'
          ? 'missing'
          : (err as Error).message;
    throw new Error(`cannot read sdlab's password from ${passwordFile} (${why}); \`npm run lab -- up\` writes it`);
  }
  return state;
}
