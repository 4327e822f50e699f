import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import ssh2 from 'ssh2';
import { Slots } from '../../../shared/limit';
import { ProblemError, type Problem } from '../../../shared/problem';
import type { Server } from '../../../shared/server';
import { SshLink } from './ssh-link';
import { hostKeyProblem, type PresentedKey, type SshCredentials } from './ssh-login';

/** What the pool needs from the inventory. */
export interface ServerDirectory {
  get(id: string): Server;
  secretOf(id: string): string | undefined;
}

/** After a failed login, wait this long before the next try: 1 s, 2 s, 4 s ... up to 30 s. */
export function backoffMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(1000 * 2 ** (failures - 1), 30_000);
}

interface Failure {
  readonly problem: Problem;
  readonly count: number;
  readonly at: number;
}

/**
 * The pool of SSH links: at most one per server, opened on first use, reused
 * by every command and Docker call. A link that drops is reopened on the next
 * use; a server that keeps failing is retried with backoff instead of at every
 * call, so a dead host costs the fleet nothing.
 */
export class Connections {
  private readonly links = new Map<string, SshLink>();
  private readonly opening = new Map<string, Promise<SshLink>>();
  private readonly failures = new Map<string, Failure>();
  /** Servers that presented a key other than the trusted one, until a person re-trusts or the trusted key is back. */
  private readonly keyRefusals = new Map<string, Problem>();
  private readonly refusalListeners = new Set<(serverId: string, problem: Problem) => void>();
  /** Logins are the costly, bursty part (key exchange on both ends, sshd's MaxStartups): only so many at once. */
  private readonly dials: Slots;

  constructor(
    private readonly directory: ServerDirectory,
    private readonly env: NodeJS.ProcessEnv = process.env,
    maxDials: () => number = () => 8,
    private readonly now: () => number = Date.now,
  ) {
    this.dials = new Slots(maxDials);
  }

  /** The open link to a server, opening it (and its jump hosts) if needed. Concurrent callers share one login. */
  async linkTo(server: Server, chain: readonly string[] = []): Promise<SshLink> {
    const open = this.links.get(server.id);
    if (open?.isOpen && open.hostKey.fingerprint === server.hostKey?.fingerprint) return open;
    const pending = this.opening.get(server.id);
    if (pending) return pending;
    const failure = this.failures.get(server.id);
    if (failure) {
      const waitMs = failure.at + backoffMs(failure.count) - this.now();
      if (waitMs > 0 && failure.problem.code !== 'host-key-unknown') {
        throw new ProblemError({
          ...failure.problem,
          hint: `${failure.problem.hint ?? ''} Shipdeck tries again in ${Math.ceil(waitMs / 1000)} s.`.trim(),
        });
      }
    }
    const attempt = this.open(server, chain).finally(() => this.opening.delete(server.id));
    this.opening.set(server.id, attempt);
    return attempt;
  }

  /** Read the host key a server presents, without logging in (through its jump host if it has one). */
  async scan(server: Server): Promise<PresentedKey> {
    const via = server.jumpServerId
      ? await this.linkTo(this.directory.get(server.jumpServerId), [server.id])
      : undefined;
    return SshLink.scan({
      name: server.name,
      host: server.host,
      port: server.port,
      user: server.user,
      ...(via ? { via } : {}),
    });
  }

  /**
   * The link a person asked for (Connect, opening a server). An open link was made before any
   * change, so the server's key is checked first on a handshake of its own, and a changed key
   * is refused here as it would be on a new login.
   */
  async checkedLinkTo(server: Server): Promise<SshLink> {
    this.retryNow(server.id);
    if (this.links.get(server.id)?.isOpen) {
      const refusal = await this.hostKeyRefusal(server, true);
      if (refusal) throw new ProblemError(refusal);
    }
    return this.linkTo(server);
  }

  /**
   * Why this server is refused for its host key, if it is: a key other than the trusted one was
   * seen on a handshake, and no handshake since showed the trusted key. `check` (or a standing
   * refusal) reads the key again (one handshake, no login); else the last finding is kept.
   */
  async hostKeyRefusal(server: Server, check = false): Promise<Problem | undefined> {
    if (!server.hostKey || (!check && !this.keyRefusals.has(server.id))) return undefined;
    const presented = await this.scan(server);
    if (presented.fingerprint === server.hostKey.fingerprint) {
      this.keyRefusals.delete(server.id);
      return undefined;
    }
    const problem = hostKeyProblem(
      { name: server.name, host: server.host, port: server.port, expectedFingerprint: server.hostKey.fingerprint },
      presented,
    );
    this.refuseKey(server.id, problem);
    return problem;
  }

  /** Called at once when a server presents a key other than the trusted one (the fleet shows it without waiting for a refresh). */
  onHostKeyRefused(listener: (serverId: string, problem: Problem) => void): () => void {
    this.refusalListeners.add(listener);
    return () => this.refusalListeners.delete(listener);
  }

  /** Let the next use try at once, whatever the backoff says (a person asked to connect). */
  retryNow(serverId: string): void {
    this.failures.delete(serverId);
  }

  /** Forget a server's link and its failures (after an edit, a trust or a removal). */
  forget(serverId: string): void {
    this.links.get(serverId)?.close();
    this.links.delete(serverId);
    this.failures.delete(serverId);
    this.keyRefusals.delete(serverId);
  }

  closeAll(): void {
    for (const link of this.links.values()) link.close();
    this.links.clear();
  }

  private async open(server: Server, chain: readonly string[]): Promise<SshLink> {
    if (chain.includes(server.id))
      throw new ProblemError({
        code: 'bad-request',
        message: `The jump hosts of ${server.name} form a loop`,
        hint: 'Edit the servers so that their jump hosts do not lead back.',
      });
    this.links.get(server.id)?.close();
    this.links.delete(server.id);
    try {
      const via = server.jumpServerId
        ? await this.linkTo(this.directory.get(server.jumpServerId), [...chain, server.id])
        : undefined;
      const credentials = await this.credentialsOf(server);
      const link = await this.dials.run(() =>
        SshLink.open({
          name: server.name,
          host: server.host,
          port: server.port,
          user: server.user,
          credentials,
          expectedFingerprint: server.hostKey?.fingerprint,
          ...(via ? { via } : {}),
        }),
      );
      this.failures.delete(server.id);
      this.keyRefusals.delete(server.id);
      this.links.set(server.id, link);
      link.onClose(() => {
        if (this.links.get(server.id) === link) this.links.delete(server.id);
      });
      return link;
    } catch (error) {
      if (error instanceof ProblemError && error.problem.code === 'host-key-changed')
        this.refuseKey(server.id, error.problem);
      if (error instanceof ProblemError && retryable(error.problem)) {
        const count = (this.failures.get(server.id)?.count ?? 0) + 1;
        this.failures.set(server.id, { problem: error.problem, count, at: this.now() });
      }
      throw error;
    }
  }

  /**
   * A changed key, seen on any handshake: whoever watches hears of it now. A link still open was
   * made with the trusted key, before the change, so it stays (a run on it can finish or roll
   * back); no new login is made until a person re-trusts or the trusted key is back.
   */
  private refuseKey(serverId: string, problem: Problem): void {
    this.keyRefusals.set(serverId, problem);
    for (const listener of this.refusalListeners) listener(serverId, problem);
  }

  private async credentialsOf(server: Server): Promise<SshCredentials> {
    const auth = server.auth;
    switch (auth.kind) {
      case 'agent': {
        const socket = this.env.SSH_AUTH_SOCK;
        if (!socket) {
          throw new ProblemError({
            code: 'auth-failed',
            message: `${server.name} logs in with ssh-agent, but no agent is running for Shipdeck (SSH_AUTH_SOCK is not set)`,
            where: server.name,
            hint: 'Start ssh-agent and ssh-add your key before starting Shipdeck, or choose a key file.',
          });
        }
        return { kind: 'agent', socket };
      }
      case 'password': {
        const password = this.directory.secretOf(server.id);
        if (!password)
          throw new ProblemError({
            code: 'auth-failed',
            message: `No password is stored for ${server.name}`,
            where: server.name,
            hint: 'Edit the server and type its password.',
          });
        return { kind: 'password', password };
      }
      case 'key': {
        const keyPath = expandHome(auth.keyPath);
        const privateKey = await readKey(keyPath);
        const passphrase = auth.hasSecret ? this.directory.secretOf(server.id) : undefined;
        checkKey(privateKey, passphrase, keyPath, server.name);
        return { kind: 'key', keyPath, privateKey, ...(passphrase !== undefined ? { passphrase } : {}) };
      }
    }
  }
}

/** Problems worth retrying later; a refused key or host key will not fix itself. */
function retryable(problem: Problem): boolean {
  return problem.code === 'unreachable' || problem.code === 'timeout' || problem.code === 'disconnected';
}

function expandHome(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/** Read the key now, so a wrong passphrase or a .pub file is named before any connection. */
function checkKey(privateKey: Buffer, passphrase: string | undefined, keyPath: string, serverName: string): void {
  const parsed = ssh2.utils.parseKey(privateKey, passphrase);
  if (!(parsed instanceof Error)) return;
  const where = keyPath;
  if (/no passphrase given/i.test(parsed.message)) {
    throw new ProblemError({
      code: 'key-unreadable',
      message: `The key ${keyPath} is protected by a passphrase, and none is stored for ${serverName}`,
      where,
      hint: "Edit the server and type the key's passphrase; it is stored encrypted.",
    });
  }
  if (/bad passphrase|integrity check|decrypt/i.test(parsed.message)) {
    throw new ProblemError({
      code: 'key-unreadable',
      message: `The stored passphrase does not open the key ${keyPath}`,
      where,
      hint: "Edit the server and type the key's passphrase again.",
    });
  }
  throw new ProblemError({
    code: 'key-unreadable',
    message: `${keyPath} is not a private key Shipdeck can read (${parsed.message})`,
    where,
    hint: 'Choose an OpenSSH or PEM private key file (not the .pub file).',
  });
}

async function readKey(keyPath: string): Promise<Buffer> {
  try {
    return await readFile(keyPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : (error as Error).message;
    throw new ProblemError({
      code: 'key-unreadable',
      message: `Cannot read the key file ${keyPath}: ${why}`,
      where: keyPath,
      hint: 'Choose the private key file you log in with (for example ~/.ssh/id_ed25519).',
    });
  }
}
