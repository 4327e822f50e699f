// Controls for tests: stop, start or restart a lab host's sshd, give it a new
// host key and put the original back, read its log. Each call returns once the
// change has taken effect (the port refuses or answers again) and throws a
// clear Error otherwise. Run as root (vitest does), on a lab that is up.
//
//   await stopSshd('lab-3');             // port refuses; open connections are cut
//   await startSshd('lab-3');            // same port, same host key, log appended
//   const { oldFingerprint, newFingerprint } = await regenerateHostKey('lab-2');
//   await restoreHostKey('lab-2');       // safe to call twice, or when nothing changed
//
// lab.json's hostKeyFingerprint always names the key being served. known_hosts
// (knownHostsFile()) keeps each host's original key, as a client that saw the
// host before would: after regenerateHostKey, OpenSSH with that file refuses
// the host until restoreHostKey.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { labDir, type LabHost } from './lab-state.js';
import { hostPaths, type HostPaths } from './layout.js';
import { sshBanner } from './net.js';
import { fingerprint, moveKey, startSshd as launchSshd, stopSshd as haltSshd } from './sshd.js';
import { readStoredState, updateLabStateFile, type StoredLabState } from './state-file.js';
import { labDaemonPid, runOk } from './sys.js';

export interface SshdControlOptions {
  /** The lab dir; $SHIPDECK_LAB or /tmp/shipdeck-lab by default. */
  dir?: string;
  /**
   * Keep open SSH connections when the listener stops, as `systemctl stop ssh`
   * does. By default they are cut, as when the host or its sshd goes away.
   */
  keepConnections?: boolean;
}

export interface HostKeyChange {
  oldFingerprint: string;
  newFingerprint: string;
}

const hostsOf = (state: StoredLabState): LabHost[] => [
  ...state.hosts,
  state.noDocker,
  state.jump,
  state.noJump,
  ...state.fleet,
];

interface Target {
  dir: string;
  host: LabHost;
  paths: HostPaths;
}

function target(hostName: string, options: SshdControlOptions): Target {
  const dir = options.dir ?? labDir();
  const hosts = hostsOf(readStoredState(dir));
  const host = hosts.find((h) => h.name === hostName);
  if (!host)
    throw new Error(
      `no lab host named ${JSON.stringify(hostName)}; the lab has ${hosts.map((h) => h.name).join(', ')}`,
    );
  return { dir, host, paths: hostPaths(dir, host.name) };
}

const running = ({ dir, paths }: Target): boolean => labDaemonPid(paths.sshdPid, 'sshd', dir) !== null;

function setFingerprint({ dir, host }: Target, value: string): void {
  updateLabStateFile(dir, (state) => {
    for (const h of hostsOf(state)) if (h.name === host.name) h.hostKeyFingerprint = value;
  });
}

async function stop(t: Target, options: SshdControlOptions): Promise<void> {
  try {
    await haltSshd(t.dir, t.paths, t.host.sshPort, !options.keepConnections);
  } catch (err) {
    throw new Error(`cannot stop ${t.host.name}'s sshd: ${(err as Error).message}`);
  }
}

async function start(t: Target): Promise<void> {
  // Whatever key file is there is what will be served: make lab.json say so before the port answers.
  const served = await fingerprint(t.paths.hostKey + '.pub');
  if (served !== t.host.hostKeyFingerprint) setFingerprint(t, served);
  if (running(t) && (await sshBanner(t.host.sshPort, 1_000)) !== null) return;
  try {
    await launchSshd(t.paths, t.host.sshPort, true);
  } catch (err) {
    throw new Error(`cannot start ${t.host.name}'s sshd on :${t.host.sshPort}: ${(err as Error).message}`);
  }
}

/** Stops the host's sshd; returns once 127.0.0.1:<its port> refuses connections. A stopped host stays stopped. */
export async function stopSshd(hostName: string, options: SshdControlOptions = {}): Promise<void> {
  await stop(target(hostName, options), options);
}

/** Starts the host's sshd (same port, same host key; its log goes on); returns once it sends its SSH banner. A running host is left alone. */
export async function startSshd(hostName: string, options: SshdControlOptions = {}): Promise<void> {
  await start(target(hostName, options));
}

/** stopSshd then startSshd. */
export async function restartSshd(hostName: string, options: SshdControlOptions = {}): Promise<void> {
  const t = target(hostName, options);
  await stop(t, options);
  await start(t);
}

/**
 * Gives the host a new ed25519 host key and restarts its sshd on the same
 * port; the original key is kept aside for restoreHostKey (and `up`/`down`
 * put it back too). Calling it twice gives a third key; the original stays.
 */
export async function regenerateHostKey(hostName: string, options: SshdControlOptions = {}): Promise<HostKeyChange> {
  const t = target(hostName, options);
  const { hostKey, originalHostKey } = t.paths;
  const oldFingerprint = await fingerprint(hostKey + '.pub');
  const fresh = `${hostKey}.new`;
  rmSync(fresh, { force: true });
  rmSync(fresh + '.pub', { force: true });
  await runOk('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    `shipdeck-lab ${hostName} regenerated host key`,
    '-f',
    fresh,
  ]);
  const newFingerprint = await fingerprint(fresh + '.pub');

  await stop(t, options);
  if (existsSync(originalHostKey) && existsSync(originalHostKey + '.pub')) {
    rmSync(hostKey, { force: true }); // an earlier replacement: the original is already aside
  } else {
    moveKey(hostKey, originalHostKey);
  }
  moveKey(fresh, hostKey);
  await start(t);
  return { oldFingerprint, newFingerprint };
}

/**
 * Puts the host's original key back and restarts its sshd (lab.json's
 * fingerprint follows). Without a regenerated key it changes nothing, so
 * cleanups may call it unconditionally.
 */
export async function restoreHostKey(hostName: string, options: SshdControlOptions = {}): Promise<void> {
  const t = target(hostName, options);
  const { hostKey, originalHostKey } = t.paths;
  if (!existsSync(originalHostKey) || !existsSync(originalHostKey + '.pub')) return;
  await stop(t, options);
  moveKey(originalHostKey, hostKey);
  await start(t);
}

/** The host's sshd log so far (every start since `up`; jump hosts log at DEBUG1). */
export function sshdLog(hostName: string, options: Pick<SshdControlOptions, 'dir'> = {}): string {
  const { paths } = target(hostName, options);
  try {
    return readFileSync(paths.sshdLog, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${hostName}'s sshd log ${paths.sshdLog}: ${(err as Error).message}`);
  }
}
