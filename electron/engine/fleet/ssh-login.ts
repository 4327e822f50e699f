import type { ConnectConfig } from 'ssh2';
import { ProblemError, type Problem } from '../../../shared/problem';

/**
 * How a login is proven (a key, the agent, a password) and, when it fails, the
 * Problem that says why in OpenSSH's terms: a refused key, an unknown or changed
 * host key, nothing listening, a name that does not resolve.
 */

/** How to prove who we are: a key (already read and decrypted), the ssh-agent, or a password. */
export type SshCredentials =
  | { readonly kind: 'key'; readonly keyPath: string; readonly privateKey: Buffer; readonly passphrase?: string }
  | { readonly kind: 'agent'; readonly socket: string }
  | { readonly kind: 'password'; readonly password: string };

/** The parts of a target that name it in messages (a jump host by its name). */
export interface Named {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly credentials?: SshCredentials;
  readonly via?: { readonly target: { readonly name: string } };
}

/** A host key as the server presented it. */
export interface PresentedKey {
  readonly fingerprint: string;
  readonly algorithm: string;
}

/** The ssh2 connect options that present these credentials. */
export function credentialOptions(credentials: SshCredentials): Partial<ConnectConfig> {
  switch (credentials.kind) {
    case 'key':
      return {
        privateKey: credentials.privateKey,
        ...(credentials.passphrase !== undefined ? { passphrase: credentials.passphrase } : {}),
      };
    case 'agent':
      return { agent: credentials.socket };
    case 'password':
      return { password: credentials.password };
  }
}

/** The credentials in a sentence, never with the secret itself. */
function describeCredentials(credentials: SshCredentials | undefined): string {
  switch (credentials?.kind) {
    case 'key':
      return `the key ${credentials.keyPath}`;
    case 'agent':
      return `the keys in ssh-agent (${credentials.socket})`;
    case 'password':
      return 'the password';
    default:
      return 'the credentials';
  }
}

/** A key the server presents that is not the trusted one: unknown (never trusted) or CHANGED, with both fingerprints. */
export function hostKeyProblem(
  target: {
    readonly name: string;
    readonly host: string;
    readonly port: number;
    readonly expectedFingerprint?: string;
  },
  presented: PresentedKey,
): Problem {
  const where = `${target.host}:${target.port}`;
  if (target.expectedFingerprint === undefined) {
    return {
      code: 'host-key-unknown',
      message: `${target.name} presents a host key Shipdeck has not seen before`,
      where,
      hint: 'Compare the fingerprint with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the host, then trust it.',
      details: { fingerprint: presented.fingerprint, algorithm: presented.algorithm },
    };
  }
  return {
    code: 'host-key-changed',
    message: `WARNING: the host key of ${target.name} has CHANGED. Nothing was sent. Expected ${target.expectedFingerprint}, got ${presented.fingerprint}`,
    where,
    hint: "Someone may be intercepting the connection, or the host was reinstalled. Check with the host's owner before trusting the new key.",
    details: { trusted: target.expectedFingerprint, presented: presented.fingerprint, algorithm: presented.algorithm },
  };
}

type SshError = Error & { code?: string; level?: string };

/** Turn ssh2's and the socket's errors into what happened, where, and what to do. */
export function problemFromSshError(error: SshError, target: Named, presented: PresentedKey | undefined): Problem {
  const where = `${target.user}@${target.host}:${target.port}${target.via ? ` via ${target.via.target.name}` : ''}`;
  if (error instanceof ProblemError) return error.problem;
  if (error.level === 'client-authentication') {
    const credentials = target.credentials;
    return {
      code: 'auth-failed',
      message: `${target.name} refused ${describeCredentials(credentials)} for user ${target.user}`,
      where,
      hint:
        credentials?.kind === 'password'
          ? 'Check the password, and that the server allows password logins (PasswordAuthentication yes).'
          : credentials?.kind === 'agent'
            ? `Load the right key into the agent (ssh-add), or add its public key to ~${target.user}/.ssh/authorized_keys on the host.`
            : `Add the public key to ~${target.user}/.ssh/authorized_keys on the host, or choose the key that is there.`,
    };
  }
  switch (error.code) {
    case 'ECONNREFUSED':
      return {
        code: 'unreachable',
        message: `Nothing accepts SSH connections on ${target.host}:${target.port}`,
        where,
        hint: 'Check the host and port, and that sshd runs on the server.',
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        code: 'unreachable',
        message: `The host name ${target.host} does not resolve`,
        where,
        hint: 'Check the spelling, or use the IP address.',
      };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return {
        code: 'unreachable',
        message: `No route to ${target.host}`,
        where,
        hint: 'Check the network, VPN or firewall between you and the server.',
      };
    case 'ECONNRESET':
      return {
        code: 'disconnected',
        message: `${target.name} closed the connection`,
        where,
        hint: 'The server may be restarting sshd or limiting connections (MaxStartups); try again.',
      };
  }
  if (error.level === 'client-timeout' || /timed out/i.test(error.message)) {
    return {
      code: 'timeout',
      message: `${target.name} did not complete the SSH handshake in time`,
      where,
      hint: 'The host may be down or a firewall may drop packets; check that the port answers.',
    };
  }
  const sawKey = presented ? ` (host key ${presented.fingerprint})` : '';
  return {
    code: 'unreachable',
    message: `SSH to ${target.name} failed: ${error.message}${sawKey}`,
    where,
    hint: 'Check that the server is up and reachable, then try again.',
  };
}
