// The lab's own controls (test/lab/control.ts) on the running lab: each leaves
// the host as it found it. Uses lab-nodocker and the jump hosts, which other
// tests only read.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Client } from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { regenerateHostKey, restartSshd, restoreHostKey, sshdLog, startSshd, stopSshd } from '../lab/control';
import { knownHostsFile, readLabState, sshConfigFile, type LabHost } from '../lab/lab-state';
import { keyFingerprint } from '../lab/ssh-client';

const lab = () => readLabState();
const host = (): LabHost => lab().noDocker;

afterAll(async () => {
  await startSshd(host().name);
  await restoreHostKey(host().name);
});

/** The fingerprint the host presents right now (no login). */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let seen = '';
    client.on('error', (err) => (seen ? resolve(seen) : reject(err)));
    client.connect({
      host: '127.0.0.1',
      port,
      username: 'root',
      readyTimeout: 5_000,
      hostVerifier: (key: Buffer) => {
        seen = keyFingerprint(key);
        return false; // stop here: we only wanted the key
      },
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** A logged-in ssh2 connection as sdlab with the client key. */
function login(h: LabHost): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('ready', () => resolve(client)).on('error', reject);
    client.connect({
      host: '127.0.0.1',
      port: h.sshPort,
      username: lab().sdlab.user,
      privateKey: readFileSync(lab().clientKey),
      readyTimeout: 5_000,
    });
  });
}

function run(client: Client, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let out = '';
      stream.on('data', (d: Buffer) => (out += d.toString()));
      stream.on('close', () => resolve(out));
    });
  });
}

const closed = (client: Client): Promise<void> => new Promise((resolve) => client.once('close', () => resolve()));

const openssh = (h: LabHost, command: string) =>
  spawnSync('ssh', ['-F', sshConfigFile(), '-p', String(h.sshPort), `${lab().sdlab.user}@127.0.0.1`, command], {
    encoding: 'utf8',
    timeout: 15_000,
  });

describe('lab controls', () => {
  it('stops sshd (cutting connections), and starts it on the same port with the same key', async () => {
    const h = host();
    const client = await login(h);
    const gone = closed(client);
    await stopSshd(h.name);
    expect(await accepts(h.sshPort)).toBe(false);
    await gone; // the open connection was cut too
    await stopSshd(h.name); // stopping a stopped host is fine
    await startSshd(h.name);
    expect(await servedFingerprint(h.sshPort)).toBe(h.hostKeyFingerprint);
    await startSshd(h.name); // so is starting a running one
    expect(openssh(h, 'id -un').stdout.trim()).toBe('sdlab');
  });

  it('keeps open connections on request, like systemctl stop ssh', async () => {
    const h = host();
    const client = await login(h);
    await stopSshd(h.name, { keepConnections: true });
    expect(await accepts(h.sshPort)).toBe(false);
    expect((await run(client, 'echo still here')).trim()).toBe('still here');
    client.end();
    await startSshd(h.name);
    expect(await accepts(h.sshPort)).toBe(true);
  });

  it('restarts sshd; its log goes on', async () => {
    const h = host();
    const before = sshdLog(h.name);
    await restartSshd(h.name);
    const after = sshdLog(h.name);
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toContain(`Server listening on 127.0.0.1 port ${h.sshPort}`);
    expect(await servedFingerprint(h.sshPort)).toBe(h.hostKeyFingerprint);
  });

  it('regenerates the host key and restores the original; lab.json follows, known_hosts keeps the original', async () => {
    const h = host();
    const { oldFingerprint, newFingerprint } = await regenerateHostKey(h.name);
    expect(oldFingerprint).toBe(h.hostKeyFingerprint);
    expect(newFingerprint).not.toBe(oldFingerprint);
    expect(await servedFingerprint(h.sshPort)).toBe(newFingerprint);
    expect(lab().noDocker.hostKeyFingerprint).toBe(newFingerprint);
    expect(lab().noDocker.sshPort).toBe(h.sshPort);
    const refused = openssh(h, 'true');
    expect(refused.status).toBe(255);
    expect(refused.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
    expect(readFileSync(knownHostsFile(), 'utf8')).toContain(`[127.0.0.1]:${h.sshPort} `);

    const third = await regenerateHostKey(h.name);
    expect(third.oldFingerprint).toBe(newFingerprint);

    await restoreHostKey(h.name);
    expect(await servedFingerprint(h.sshPort)).toBe(oldFingerprint);
    expect(lab().noDocker.hostKeyFingerprint).toBe(oldFingerprint);
    expect(openssh(h, 'id -un').stdout.trim()).toBe('sdlab');
    await restoreHostKey(h.name); // nothing to restore: no restart, no error
    expect(await servedFingerprint(h.sshPort)).toBe(oldFingerprint);
  });

  it("shows the jump host's direct-tcpip forwards and the refusing host's refusals", () => {
    const { jump, noJump, hosts } = lab();
    const target = hosts[0]!;
    const through = (j: LabHost) =>
      spawnSync(
        'ssh',
        [
          '-F',
          sshConfigFile(),
          '-J',
          `root@127.0.0.1:${j.sshPort}`,
          '-p',
          String(target.sshPort),
          'sdlab@127.0.0.1',
          'true',
        ],
        { encoding: 'utf8', timeout: 15_000 },
      );
    expect(through(jump).status).toBe(0);
    expect(sshdLog(jump.name)).toContain(
      `server_request_direct_tcpip: originator 127.0.0.1 port 65535, target 127.0.0.1 port ${target.sshPort}`,
    );
    expect(through(noJump).status).toBe(255);
    expect(sshdLog(noJump.name)).toContain(
      `refused local port forward: originator 127.0.0.1 port 65535, target 127.0.0.1 port ${target.sshPort}`,
    );
  });

  it('names the lab hosts when asked for one that does not exist', async () => {
    await expect(stopSshd('lab-9')).rejects.toThrow(
      /no lab host named "lab-9"; the lab has lab-1, lab-2, lab-3, lab-nodocker, lab-jump, lab-nojump/,
    );
    expect(() => sshdLog('nope')).toThrow(/no lab host named "nope"/);
  });
});
