import { readFile } from 'node:fs/promises';
import type { Server } from '../../../shared/server';
import { ProblemError } from '../../../shared/problem';
import { SshLink, type PresentedKey } from './ssh-link';

/**
 * The pool of SSH links: at most one per server, opened on first use, reused
 * by every command and Docker call, and dropped when it closes so the next
 * use reconnects.
 */
export class Connections {
  private readonly links = new Map<string, SshLink>();
  private readonly opening = new Map<string, Promise<SshLink>>();

  /** The open link to a server, opening it if needed. Concurrent callers share one login. */
  async linkTo(server: Server): Promise<SshLink> {
    const open = this.links.get(server.id);
    if (open?.isOpen && open.hostKey.fingerprint === server.hostKey?.fingerprint) return open;
    const pending = this.opening.get(server.id);
    if (pending) return pending;
    const attempt = this.open(server).finally(() => this.opening.delete(server.id));
    this.opening.set(server.id, attempt);
    return attempt;
  }

  /** Read the host key a server presents, without logging in. */
  scan(server: Server): Promise<PresentedKey> {
    return SshLink.scan({ name: server.name, host: server.host, port: server.port, user: server.user });
  }

  /** Drop a server's link (after an edit or removal). */
  forget(serverId: string): void {
    this.links.get(serverId)?.close();
    this.links.delete(serverId);
  }

  closeAll(): void {
    for (const link of this.links.values()) link.close();
    this.links.clear();
  }

  private async open(server: Server): Promise<SshLink> {
    this.forget(server.id);
    const link = await SshLink.open({
      name: server.name,
      host: server.host,
      port: server.port,
      user: server.user,
      keyPath: server.auth.keyPath,
      privateKey: await readKey(server.auth.keyPath),
      expectedFingerprint: server.hostKey?.fingerprint,
    });
    this.links.set(server.id, link);
    link.onClose(() => {
      if (this.links.get(server.id) === link) this.links.delete(server.id);
    });
    return link;
  }
}

async function readKey(keyPath: string): Promise<Buffer> {
  try {
    return await readFile(keyPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new ProblemError({
      code: 'key-unreadable',
      message: `Cannot read the key file ${keyPath}: ${why}`,
      where: keyPath,
      hint: 'Choose the private key file you log in with (for example ~/.ssh/id_ed25519).',
    });
  }
}
