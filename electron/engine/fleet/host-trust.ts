import type { HostKeyScan, KnownHostsImport } from '../../../shared/contract';
import { ProblemError } from '../../../shared/problem';
import type { Server } from '../../../shared/server';
import { toProblem } from '../engine-problem';
import type { Inventory } from '../inventory';
import { readTextFile, sshFilePath } from '../ssh-import';
import type { Fleet } from './fleet';
import { checkRetrust } from './host-key';
import { knownFingerprints, parseKnownHosts } from './known-hosts';
import type { PresentedKey } from './ssh-login';

/**
 * Trusting servers' host keys: on first use, the key a person saw scanned
 * and confirmed; a changed key only when the request names the key it
 * replaces; or the keys a known_hosts file lists, each checked against the
 * key the server presents now.
 */
export class HostTrust {
  /** The key each server presented at its last scan: the only one a confirmation may trust. */
  private readonly scans = new Map<string, PresentedKey>();

  constructor(
    private readonly inventory: Inventory,
    private readonly fleet: Fleet,
  ) {}

  /** Read the key the server presents, without logging in, and keep it for the confirmation. */
  async scan(id: string): Promise<HostKeyScan> {
    const server = this.inventory.get(id);
    const presented = await this.fleet.connections.scan(server);
    this.scans.set(id, presented);
    return {
      serverId: id,
      fingerprint: presented.fingerprint,
      algorithm: presented.algorithm,
      ...(server.hostKey ? { trusted: server.hostKey.fingerprint } : {}),
    };
  }

  /** Trust the fingerprint a person confirmed; `replaced` is the key it took the place of, if it changed. */
  trust(
    id: string,
    fingerprint: string,
    confirm: { readonly replacing?: string | undefined; readonly confirmName?: string | undefined },
  ): { server: Server; replaced?: string } {
    const scanned = this.scans.get(id);
    if (!scanned || scanned.fingerprint !== fingerprint) {
      throw new ProblemError({
        code: 'conflict',
        message: 'That fingerprint is not the one the server presented',
        where: fingerprint,
        hint: 'Scan the host key again and confirm what it shows.',
      });
    }
    const before = this.inventory.get(id).hostKey;
    const changed = before && before.fingerprint !== fingerprint ? before.fingerprint : undefined;
    if (changed) checkRetrust(this.inventory.get(id), changed, confirm);
    this.fleet.forget(id);
    const server = this.inventory.trustHostKey(id, {
      fingerprint,
      algorithm: scanned.algorithm,
      trustedAt: new Date().toISOString(),
      source: 'confirmed',
    });
    return { server, ...(changed ? { replaced: changed } : {}) };
  }

  /** Trust what a known_hosts file (`~/.ssh/known_hosts` unless named) lists for each server not yet trusted. */
  async importKnownHosts(path: string | undefined): Promise<KnownHostsImport> {
    const file = sshFilePath(path, 'known_hosts');
    const entries = parseKnownHosts(await readTextFile(file, 'known_hosts file'));
    const trusted: { serverId: string; name: string; fingerprint: string }[] = [];
    const notListed: { serverId: string; name: string; reason: string }[] = [];
    // The server's own key decides: it is trusted only if the file lists exactly that key for this host.
    for (const server of this.inventory.list().filter((s) => !s.hostKey)) {
      const known = knownFingerprints(entries, server.host, server.port);
      if (known.length === 0) {
        notListed.push({ serverId: server.id, name: server.name, reason: 'not listed' });
        continue;
      }
      try {
        const presented = await this.fleet.connections.scan(server);
        if (!known.includes(presented.fingerprint)) {
          notListed.push({
            serverId: server.id,
            name: server.name,
            reason: `presents ${presented.fingerprint}, which the file does not list for it`,
          });
          continue;
        }
        this.inventory.trustHostKey(server.id, {
          fingerprint: presented.fingerprint,
          algorithm: presented.algorithm,
          trustedAt: new Date().toISOString(),
          source: 'known_hosts',
        });
        this.fleet.forget(server.id);
        trusted.push({ serverId: server.id, name: server.name, fingerprint: presented.fingerprint });
      } catch (error) {
        notListed.push({ serverId: server.id, name: server.name, reason: toProblem(error).message });
      }
    }
    return { path: file, trusted, notListed };
  }
}
