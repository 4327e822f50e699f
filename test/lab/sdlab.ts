// The lab login user `sdlab`: created once per machine (useradd), given a fresh
// random password by every `up`. It may stay between runs; `down` only removes
// the password file, so nobody knows the password left in /etc/shadow.
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SDLAB_GROUP, SDLAB_HOME, SDLAB_USER } from './layout.js';
import { run, runOk } from './sys.js';

const SHELL = '/bin/sh';

interface PasswdEntry {
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export function passwdEntry(user: string): PasswdEntry | null {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === user && f.length >= 7)
      return { uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '', shell: f[6] ?? '' };
  }
  return null;
}

/** The group's gid and members, or null when it does not exist. */
export function groupEntry(group: string): { gid: number; members: string[] } | null {
  for (const line of readFileSync('/etc/group', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === group && f.length >= 4) return { gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) };
  }
  return null;
}

/** Runs a user/group tool; when another `up` won the race to create the same thing, that is fine. */
async function runUnlessDone(cmd: string, args: string[], done: () => boolean): Promise<void> {
  const result = await run(cmd, args, { timeoutMs: 15_000 });
  if (result.code !== 0 && !done())
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
}

/** Creates (or repairs) sdlab and sdlab-docker; returns what it did. */
export async function ensureSdlabUser(): Promise<string> {
  const did: string[] = [];
  if (!groupEntry(SDLAB_GROUP)) {
    await runUnlessDone('groupadd', ['--system', SDLAB_GROUP], () => groupEntry(SDLAB_GROUP) !== null);
    did.push(`group ${SDLAB_GROUP} created`);
  }
  let user = passwdEntry(SDLAB_USER);
  if (!user) {
    await runUnlessDone(
      'useradd',
      [
        '--system',
        '--user-group',
        '--no-create-home',
        '--home-dir',
        SDLAB_HOME,
        '--shell',
        SHELL,
        '--groups',
        SDLAB_GROUP,
        '--comment',
        'shipdeck lab login',
        SDLAB_USER,
      ],
      () => passwdEntry(SDLAB_USER) !== null,
    );
    did.push(`user ${SDLAB_USER} created`);
    user = passwdEntry(SDLAB_USER);
    if (!user) throw new Error(`useradd ${SDLAB_USER} succeeded but /etc/passwd has no ${SDLAB_USER}`);
  }
  // A user left by an earlier version of the lab (or changed by hand) is put right.
  if (user.shell !== SHELL || user.home !== SDLAB_HOME) {
    await runOk('usermod', ['--shell', SHELL, '--home', SDLAB_HOME, SDLAB_USER]);
    did.push(`shell ${SHELL}, home ${SDLAB_HOME}`);
  }
  if (!groupEntry(SDLAB_GROUP)?.members.includes(SDLAB_USER)) {
    await runOk('usermod', ['--append', '--groups', SDLAB_GROUP, SDLAB_USER]);
    did.push(`added to ${SDLAB_GROUP}`);
  }
  if (!existsSync(SDLAB_HOME)) {
    mkdirSync(SDLAB_HOME, { recursive: true, mode: 0o755 });
    chownSync(SDLAB_HOME, user.uid, user.gid);
    did.push(`home ${SDLAB_HOME} made`);
  }
  return did.length > 0 ? did.join(', ') : 'already there';
}

/** A fresh random password for sdlab, written to `file` (0600) and set with chpasswd. */
export async function setSdlabPassword(file: string): Promise<void> {
  const password = randomBytes(18).toString('base64url'); // 24 characters, no ':' for chpasswd
  rmSync(file, { force: true });
  writeFileSync(file, password + '\n', { mode: 0o600 });
  await runOk('chpasswd', [], { input: `${SDLAB_USER}:${password}\n`, timeoutMs: 15_000 });
}

/** Why sdlab could not reach sockets inside `labDir` (a parent dir it cannot search), or null. */
export function traversalProblem(labDir: string): string | null {
  for (let dir = dirname(labDir); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      return (
        `${SDLAB_USER} cannot reach the Docker sockets in ${labDir}: ${dir} is mode ` +
        `${(mode & 0o7777).toString(8).padStart(4, '0')} (others may not search it); set SHIPDECK_LAB to a dir under /tmp`
      );
    }
    if (dir === dirname(dir)) return null;
  }
}
