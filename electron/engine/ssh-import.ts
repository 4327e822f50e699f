import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { SshConfigReading, SshImport } from '../../shared/contract';
import { ProblemError } from '../../shared/problem';
import type { Server, ServerDraft } from '../../shared/server';
import { parseJump, parseSshConfig, type SshConfigHost } from '../../shared/ssh-config';
import type { Inventory } from './inventory';
import { parseRequest } from './requests';

/** `~/.ssh/<file>` unless a path is given; `~` expanded. */
export function sshFilePath(path: string | undefined, file: string): string {
  if (!path) return join(homedir(), '.ssh', file);
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProblemError({
      code: 'not-found',
      message: `Cannot read the ${what} ${path}: ${code === 'ENOENT' ? 'there is no such file' : (error as Error).message}`,
      where: path,
      hint: `Give the path of your ${what}.`,
    });
  }
}

async function parse(path: string) {
  return parseSshConfig(await readTextFile(path, 'ssh config file'), {
    home: homedir(),
    localUser: userInfo().username,
  });
}

/** The hosts an ssh config file offers, marked when the inventory has them already. */
export async function readSshConfig(inventory: Inventory, path: string | undefined): Promise<SshConfigReading> {
  const file = sshFilePath(path, 'config');
  const { hosts, warnings } = await parse(file);
  return {
    path: file,
    warnings,
    hosts: hosts.map((h) => ({ ...h, inInventory: existing(inventory, h) !== undefined })),
  };
}

/**
 * Add the chosen hosts, each with its jump host (ProxyJump) added first when
 * the inventory lacks it. A host with no IdentityFile logs in with ssh-agent,
 * as ssh would try; host keys still need confirming (or a known_hosts import).
 */
export async function importSshHosts(
  inventory: Inventory,
  path: string | undefined,
  aliases: readonly string[],
): Promise<SshImport> {
  const file = sshFilePath(path, 'config');
  const { hosts } = await parse(file);
  const added: Server[] = [];
  const skipped: { alias: string; reason: string }[] = [];

  const ensure = (host: SshConfigHost, trail: readonly string[]): Server => {
    const found = existing(inventory, host);
    if (found) return found;
    if (trail.includes(host.alias)) throw new Error(`its ProxyJump chain loops back to ${host.alias}`);
    let jumpServerId: string | undefined;
    if (host.proxyJump) {
      const hops = host.proxyJump.split(',').map((h) => h.trim());
      if (hops.length > 1)
        throw new Error(
          `ProxyJump ${host.proxyJump} has ${hops.length} hops; Shipdeck follows one jump host per server (give the jump host its own ProxyJump instead)`,
        );
      jumpServerId = ensure(jumpHost(hops[0]!, hosts, host), [...trail, host.alias]).id;
    }
    // An ssh config is user input like any other: the same validation as the add form.
    const checked = parseRequest('addServer', draftOf(host, jumpServerId));
    if (!checked.ok) throw new Error(`line ${host.line}: ${checked.problem.message}`);
    const server = inventory.add(checked.value);
    added.push(server);
    return server;
  };

  for (const alias of aliases) {
    const host = hosts.find((h) => h.alias === alias);
    if (!host) {
      skipped.push({ alias, reason: `no Host ${alias} in ${file}` });
      continue;
    }
    if (existing(inventory, host)) {
      skipped.push({ alias, reason: 'already in the inventory' });
      continue;
    }
    try {
      ensure(host, []);
    } catch (error) {
      skipped.push({ alias, reason: error instanceof ProblemError ? error.problem.message : (error as Error).message });
    }
  }
  return { added, skipped };
}

/** A ProxyJump hop: another Host of the file, or `[user@]host[:port]` written out. */
function jumpHost(hop: string, hosts: readonly SshConfigHost[], from: SshConfigHost): SshConfigHost {
  const named = hosts.find((h) => h.alias === hop);
  if (named) return named;
  const parsed = parseJump(hop);
  return {
    alias: parsed.host,
    hostName: parsed.host,
    port: parsed.port ?? 22,
    line: from.line,
    ...((parsed.user ?? from.user) ? { user: parsed.user ?? from.user } : {}),
  };
}

function existing(inventory: Inventory, host: SshConfigHost): Server | undefined {
  return inventory
    .list()
    .find(
      (s) =>
        s.name === serverName(host.alias) ||
        (s.host === host.hostName && s.port === host.port && s.user === (host.user ?? userInfo().username)),
    );
}

function serverName(alias: string): string {
  return alias.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'host';
}

function draftOf(host: SshConfigHost, jumpServerId: string | undefined): ServerDraft {
  return {
    name: serverName(host.alias),
    host: host.hostName,
    port: host.port,
    user: host.user ?? userInfo().username,
    auth: host.identityFile ? { kind: 'key', keyPath: host.identityFile } : { kind: 'agent' },
    environment: 'unassigned',
    labels: ['ssh-config'],
    dockerSocket: '',
    ...(jumpServerId ? { jumpServerId } : {}),
  };
}
