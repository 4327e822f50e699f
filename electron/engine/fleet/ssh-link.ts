import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import type { Duplex } from 'node:stream';
import { commandLine, type RemoteCommand } from '../../../shared/commands/command';
import { dialStdio } from '../../../shared/commands/docker-engine';
import { ProblemError, type Problem } from '../../../shared/problem';
import { collectOutput, type ExecHandlers, type ExecResult } from './exec-channel';
import { algorithmOf, fingerprintOf } from './host-key';
import { RemoteFiles } from './remote-files';
import {
  credentialOptions,
  hostKeyProblem,
  problemFromSshError,
  type PresentedKey,
  type SshCredentials,
} from './ssh-login';

/** Where and as whom to log in, and which host key to accept. */
export interface SshTarget {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly credentials: SshCredentials;
  /** The trusted fingerprint; when absent, the link only scans the key and refuses to log in. */
  readonly expectedFingerprint?: string;
  /** A jump host to reach this one through (ssh's ProxyJump). */
  readonly via?: SshLink;
  readonly readyTimeoutMs?: number;
  readonly keepaliveIntervalMs?: number;
}

/**
 * One long-lived SSH connection to one host. Commands run as channels over it,
 * and Docker's socket is reached through it, so a host costs one login.
 */
export class SshLink {
  private closed = false;
  private readonly files: RemoteFiles;
  private readonly closeListeners = new Set<(reason: Problem | null) => void>();

  private constructor(
    private readonly client: Client,
    readonly target: SshTarget,
    readonly hostKey: PresentedKey,
    readonly connectMs: number,
  ) {
    client.on('close', () => this.markClosed(null));
    client.on('error', (error) => this.markClosed(problemFromSshError(error, target, hostKey)));
    this.files = new RemoteFiles({
      target,
      isOpen: () => !this.closed,
      openSftp: (callback) => client.sftp(callback),
      exec: (cmd, handlers) => this.exec(cmd, handlers),
      disconnected: () => this.disconnectedProblem(),
    });
  }

  /** Log in, refusing any host key but the expected one. Rejects with a ProblemError a person can act on. */
  static async open(target: SshTarget): Promise<SshLink> {
    const started = performance.now();
    const sock = target.via ? await target.via.tunnelTo(target) : undefined;
    return new Promise((resolve, reject) => {
      const client = new Client();
      let presented: PresentedKey | undefined;
      let settled = false;
      const fail = (problem: Problem) => {
        if (settled) return;
        settled = true;
        client.end();
        reject(new ProblemError(problem));
      };
      client.once('ready', () => {
        if (settled || !presented) return;
        settled = true;
        resolve(new SshLink(client, target, presented, Math.round(performance.now() - started)));
      });
      client.on('error', (error) => {
        if (presented && presented.fingerprint !== target.expectedFingerprint) {
          fail(hostKeyProblem(target, presented));
        } else {
          fail(problemFromSshError(error, target, presented));
        }
      });
      client.on('close', () =>
        fail(problemFromSshError(new Error('connection closed during login'), target, presented)),
      );
      // Small requests and replies are all we send: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms to each.
      client.on('connect', () => client.setNoDelay(true));
      const config: ConnectConfig = {
        ...(sock ? { sock } : { host: target.host, port: target.port }),
        username: target.user,
        ...credentialOptions(target.credentials),
        readyTimeout: target.readyTimeoutMs ?? 10_000,
        keepaliveInterval: target.keepaliveIntervalMs ?? 15_000,
        keepaliveCountMax: 3,
        // Nothing is sent (no user name, no key) before this says yes.
        hostVerifier: (key: Buffer) => {
          presented = { fingerprint: fingerprintOf(key), algorithm: algorithmOf(key) };
          return target.expectedFingerprint !== undefined && presented.fingerprint === target.expectedFingerprint;
        },
      };
      try {
        client.connect(config);
      } catch (error) {
        fail(problemFromSshError(error as Error, target, presented));
      }
    });
  }

  /** Read the host key a server presents, then hang up before logging in. */
  static async scan(target: Omit<SshTarget, 'expectedFingerprint' | 'credentials'>): Promise<PresentedKey> {
    const sock = target.via ? await target.via.tunnelTo(target) : undefined;
    return new Promise((resolve, reject) => {
      const client = new Client();
      let presented: PresentedKey | undefined;
      const done = () => {
        client.end();
        if (presented) resolve(presented);
        else
          reject(new ProblemError(problemFromSshError(lastError ?? new Error('connection closed'), target, undefined)));
      };
      let lastError: Error | undefined;
      client.on('error', (error) => {
        lastError = error;
        done();
      });
      client.on('close', done);
      client.connect({
        ...(sock ? { sock } : { host: target.host, port: target.port }),
        username: target.user,
        readyTimeout: target.readyTimeoutMs ?? 10_000,
        hostVerifier: (key: Buffer) => {
          presented = { fingerprint: fingerprintOf(key), algorithm: algorithmOf(key) };
          return false;
        },
      });
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Called once when the link drops; the reason is null for an orderly close. */
  onClose(listener: (reason: Problem | null) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Run a command exactly as its value says, streaming its output as it comes. */
  exec(cmd: RemoteCommand, handlers: ExecHandlers = {}): Promise<ExecResult> {
    return this.start(cmd, handlers).then((running) => running.done);
  }

  /** Start a command and return once its channel is open, with a promise of its end. */
  start(
    cmd: RemoteCommand,
    handlers: ExecHandlers = {},
  ): Promise<{ readonly done: Promise<ExecResult>; stop(): void }> {
    const line = commandLine(cmd);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new ProblemError(this.disconnectedProblem()));
        return;
      }
      this.client.exec(line, (error, channel) => {
        if (error) {
          reject(
            new ProblemError({
              ...this.disconnectedProblem(),
              message: `Could not start \`${cmd.program}\` on ${this.target.name}: ${error.message}`,
            }),
          );
          return;
        }
        const done = collectOutput(channel, cmd, handlers, started);
        if (handlers.stdin !== undefined) channel.end(handlers.stdin);
        resolve({
          done,
          // A follower (tail -F) never ends by itself: ask sshd to signal it, then close the channel.
          stop: () => {
            try {
              channel.signal('TERM');
            } catch {
              // The channel is already closing.
            }
            channel.close();
          },
        });
      });
    });
  }

  /** Open a stream to a Unix socket on the host (OpenSSH's streamlocal forwarding). */
  forwardStreamLocal(socketPath: string): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new ProblemError(this.disconnectedProblem()));
        return;
      }
      this.client.openssh_forwardOutStreamLocal(socketPath, (error, channel) => {
        if (error) reject(error);
        else resolve(channel);
      });
    });
  }

  /**
   * The link's SFTP session (a subsystem channel, no shell), opened once and shared. A server
   * whose sshd has no `Subsystem sftp` refuses it with a ProblemError that says so (and the
   * link remembers, see `sftpRefused`); `readFile` and `writeFile` then work over exec.
   */
  sftp(): Promise<SFTPWrapper> {
    return this.files.sftp();
  }

  /** Why this server's files go over exec rather than SFTP; undefined while SFTP works (or was not needed yet). */
  get sftpRefused(): Problem | undefined {
    return this.files.refusal;
  }

  /** A file's text, over SFTP, or over exec (`cat`) where the server has no SFTP subsystem. */
  readFile(path: string): Promise<string> {
    return this.files.read(path);
  }

  /** Write a file whole (beside it, then renamed over it), over SFTP or over exec. */
  writeFile(path: string, content: string): Promise<void> {
    return this.files.write(path, content);
  }

  /** Docker's API as the stdin/stdout of `docker system dial-stdio`, for servers that forbid stream forwarding. */
  dialStdio(socketPath: string): Promise<Duplex> {
    const line = commandLine(dialStdio(socketPath));
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new ProblemError(this.disconnectedProblem()));
        return;
      }
      this.client.exec(line, (error, channel) => (error ? reject(error) : resolve(channel)));
    });
  }

  /** A TCP stream from this host to another (for a server behind this one). */
  async tunnelTo(target: Pick<SshTarget, 'name' | 'host' | 'port'>): Promise<Duplex> {
    try {
      return await this.forwardOut(target.host, target.port);
    } catch (error) {
      if (error instanceof ProblemError) throw error;
      const reason = channelFailure(error);
      throw new ProblemError({
        code: 'unreachable',
        message: `The jump host ${this.target.name} could not reach ${target.host}:${target.port} for ${target.name}: ${reason}`,
        where: `${this.target.name} → ${target.host}:${target.port}`,
        hint: /prohibited/i.test(reason)
          ? `Allow forwarding on ${this.target.name} (AllowTcpForwarding yes, and PermitOpen ${target.host}:${target.port} if it is restricted).`
          : `Check that ${target.host}:${target.port} answers from ${this.target.name}.`,
      });
    }
  }

  /** A TCP stream to a port on this host's own loopback (a release's health check or probe), through the link. */
  async connectLocal(port: number): Promise<Duplex> {
    try {
      return await this.forwardOut('127.0.0.1', port);
    } catch (error) {
      if (error instanceof ProblemError) throw error;
      const reason = channelFailure(error);
      const name = this.target.name;
      throw new ProblemError({
        code: 'unreachable',
        message: `Could not connect to 127.0.0.1:${port} on ${name} through its SSH connection: ${reason}`,
        where: `${name}: 127.0.0.1:${port}`,
        hint: /prohibited/i.test(reason)
          ? `sshd on ${name} forbids forwarding: allow it (AllowTcpForwarding yes, and PermitOpen 127.0.0.1:${port} if it is restricted).`
          : `Nothing accepts connections on 127.0.0.1:${port} on ${name}: check that the release listens on that port (its log says why not).`,
      });
    }
  }

  private forwardOut(host: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new ProblemError(this.disconnectedProblem()));
        return;
      }
      this.client.forwardOut('127.0.0.1', 0, host, port, (error, channel) =>
        error ? reject(error) : resolve(channel),
      );
    });
  }

  /**
   * One SSH protocol round trip, without starting a process on the host: a
   * request to cancel a forward that does not exist, which sshd refuses at once.
   */
  roundTrip(): Promise<number> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new ProblemError(this.disconnectedProblem()));
        return;
      }
      this.client.unforwardIn('127.0.0.1', 1, () => resolve(performance.now() - started));
    });
  }

  close(): void {
    this.client.end();
    this.markClosed(null);
  }

  private markClosed(reason: Problem | null): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener(reason);
    this.closeListeners.clear();
  }

  private disconnectedProblem(): Problem {
    return {
      code: 'disconnected',
      message: `The SSH connection to ${this.target.name} was lost`,
      where: `${this.target.user}@${this.target.host}:${this.target.port}`,
      hint: 'Shipdeck reconnects on the next action; if it keeps failing, check the host and its sshd.',
    };
  }
}

/** Why sshd refused a forwarding channel, without ssh2's "(SSH) " prefix. */
function channelFailure(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/^\(SSH\) /, '');
}
