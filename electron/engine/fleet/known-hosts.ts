import { createHmac } from 'node:crypto';
import { fingerprintOf } from './host-key';

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  readonly patterns: readonly string[];
  readonly algorithm: string;
  readonly fingerprint: string;
  readonly line: number;
}

/** Read a known_hosts file; revoked keys and certificate authorities are left out. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('@')) return;
    const [hosts, algorithm, key] = line.split(/\s+/);
    if (!hosts || !algorithm || !key) return;
    const blob = Buffer.from(key, 'base64');
    if (blob.length === 0) return;
    entries.push({ patterns: hosts.split(','), algorithm, fingerprint: fingerprintOf(blob), line: index + 1 });
  });
  return entries;
}

/** The name known_hosts uses for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Does one pattern of a line name this host? Handles hashed (`|1|salt|hash`) and wildcard entries. */
export function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return regex.test(name);
}

/** The fingerprints known_hosts lists for a host and port. */
export function knownFingerprints(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  return entries
    .filter(
      (e) =>
        !e.patterns.some((p) => p.startsWith('!') && patternMatches(p.slice(1), name)) &&
        e.patterns.some((p) => !p.startsWith('!') && patternMatches(p, name)),
    )
    .map((e) => e.fingerprint);
}
