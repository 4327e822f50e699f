// ssh2 for what OpenSSH's client cannot do unattended here: password logins (no sshpass).
import { createHash } from 'node:crypto';
import { Client } from 'ssh2';
import { LOOPBACK } from './net.js';

/** 'SHA256:...' of a raw host key, as `ssh-keygen -lf` prints it. */
export const keyFingerprint = (key: Buffer): string =>
  'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');

/**
 * Logs in with a password (checking the host key against `fingerprint`), runs
 * `command` and returns its stdout; rejects when the login or the command fails.
 */
export function passwordLogin(
  port: number,
  username: string,
  password: string,
  fingerprint: string,
  command: string,
  timeoutMs = 10_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let presented = '';
    const fail = (err: Error) => {
      clearTimeout(timer);
      client.end();
      reject(err);
    };
    const timer = setTimeout(
      () => fail(new Error(`${username}@127.0.0.1:${port}: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    client.on('error', (err) =>
      fail(
        new Error(
          `${username}@127.0.0.1:${port}: ${err.message}${presented && presented !== fingerprint ? ` (host key ${presented}, expected ${fingerprint})` : ''}`,
        ),
      ),
    );
    client.on('ready', () => {
      client.exec(command, (err, stream) => {
        if (err) return fail(err);
        let out = '';
        let errOut = '';
        stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
        stream.stderr.on('data', (chunk: Buffer) => (errOut += chunk.toString()));
        stream.on('close', (code: number | null) => {
          clearTimeout(timer);
          client.end();
          if (code === 0) resolve(out);
          else reject(new Error(`${username}@127.0.0.1:${port} ${command} exited ${code}: ${errOut.trim()}`));
        });
      });
    });
    client.connect({
      host: LOOPBACK,
      port,
      username,
      password,
      tryKeyboard: false,
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        presented = keyFingerprint(key);
        return presented === fingerprint;
      },
    });
  });
}
