// The lab's description, written by `npm run lab -- up` to <lab dir>/lab.json.
// Tests import only this module: it has no side effects and needs no root.
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
  return state;
}
