// One lab sshd: host keys, start, stop. Shared by `up`, `down` and control.ts.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import type { HostPaths } from './layout.js';
import { portAccepts, sshBanner } from './net.js';
import { SSHD } from './prereqs.js';
import { labDaemonPid, runOk, spawnDaemon, sshdSessionPids, stopPids, tail, waitUntil } from './sys.js';

export async function ensureKey(file: string, comment: string): Promise<void> {
  if (existsSync(file) && existsSync(file + '.pub')) return;
  rmSync(file, { force: true });
  rmSync(file + '.pub', { force: true });
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

/** This host's key, put back first if control.ts's regenerateHostKey left a replacement in place. */
export async function ensureHostKey(paths: HostPaths): Promise<void> {
  if (existsSync(paths.originalHostKey) && existsSync(paths.originalHostKey + '.pub'))
    moveKey(paths.originalHostKey, paths.hostKey);
  await ensureKey(paths.hostKey, `shipdeck-lab ${paths.name} host key`);
}

/** Moves a key pair (private and .pub), replacing whatever is at `to`. */
export function moveKey(from: string, to: string): void {
  renameSync(from + '.pub', to + '.pub');
  renameSync(from, to);
}

/** 'SHA256:...' exactly as `ssh-keygen -lf` prints it. */
export async function fingerprint(pubFile: string): Promise<string> {
  const out = await runOk('ssh-keygen', ['-lf', pubFile]);
  const match = /^\d+ (SHA256:\S+) /.exec(out);
  if (!match) throw new Error(`cannot read the fingerprint of ${pubFile} from: ${out.trim()}`);
  return match[1]!;
}

/** `type base64` of a public key file, as known_hosts wants it. */
export function publicKeyLine(pubFile: string): string {
  const [type, key] = readFileSync(pubFile, 'utf8').trim().split(/\s+/);
  if (!type || !key) throw new Error(`${pubFile} is not an OpenSSH public key`);
  return `${type} ${key}`;
}

/** The port in a lab sshd_config, or null if there is no config. */
export function configuredPort(paths: HostPaths): number | null {
  try {
    const match = /^Port (\d+)$/m.exec(readFileSync(paths.sshdConfig, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Starts this host's sshd from its sshd_config and waits for its SSH banner.
 * `appendLog` keeps the earlier log (a restart); otherwise the log starts empty.
 */
export async function startSshd(paths: HostPaths, port: number, appendLog = false): Promise<number> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir
  await runOk(SSHD, ['-t', '-f', paths.sshdConfig]);
  if (await portAccepts(port, 500)) {
    throw new Error(`cannot start ${paths.name}'s sshd: something else already listens on 127.0.0.1:${port}`);
  }
  const child = spawnDaemon(
    SSHD,
    ['-D', '-f', paths.sshdConfig, '-E', paths.sshdLog],
    paths.sshdLog,
    undefined,
    appendLog,
  );
  let exited = '';
  child.on('exit', (code, sig) => (exited = `sshd exited (${sig ?? code})`));
  const ready = await waitUntil(async () => exited !== '' || (await sshBanner(port, 500)) !== null, 10_000);
  if (exited || !ready || child.pid === undefined) {
    if (!exited && child.pid !== undefined) await stopPids([child.pid], 'SIGKILL', 2_000);
    throw new Error(
      `${paths.name}: ${exited || `no SSH banner on :${port} within 10 s`}; last lines of ${paths.sshdLog}:\n${tail(paths.sshdLog)}`,
    );
  }
  return child.pid;
}

export interface StopResult {
  /** The listener was running and is now stopped. */
  stopped: boolean;
  /** Connection processes killed (with dropSessions). */
  sessions: number;
}

/**
 * Stops this host's sshd listener and waits until its port refuses connections.
 * Like `systemctl stop ssh`, open connections survive unless `dropSessions`.
 */
export async function stopSshd(
  labDir: string,
  paths: HostPaths,
  port: number,
  dropSessions: boolean,
): Promise<StopResult> {
  const pid = labDaemonPid(paths.sshdPid, 'sshd', labDir);
  const sessions = dropSessions ? sshdSessionPids([port], pid === null ? [] : [pid]) : [];
  const victims = [...(pid === null ? [] : [pid]), ...sessions];
  if (victims.length > 0) await stopPids(victims, 'SIGTERM', 5_000);
  const closed = await waitUntil(async () => !(await portAccepts(port, 500)), 5_000);
  if (!closed) {
    throw new Error(
      `${paths.name}: 127.0.0.1:${port} still accepts connections after stopping its sshd` +
        (pid === null ? ' (no lab sshd was running there: another process holds the port)' : ''),
    );
  }
  return { stopped: pid !== null, sessions: sessions.length };
}
