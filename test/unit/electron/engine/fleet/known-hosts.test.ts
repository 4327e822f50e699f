import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownFingerprints, knownHostsName, parseKnownHosts } from '../../../../../electron/engine/fleet/known-hosts';

function keyPair(dir: string, name: string): { line: string; fingerprint: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  const [type, key] = readFileSync(`${file}.pub`, 'utf8').split(' ');
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  return { line: `${type} ${key}`, fingerprint };
}

describe('known_hosts', () => {
  it('names hosts as ssh does', () => {
    expect(knownHostsName('web.example.com', 22)).toBe('web.example.com');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('finds plain, listed, wildcard and hashed entries, and skips revoked ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-kh-'));
    const a = keyPair(dir, 'a');
    const b = keyPair(dir, 'b');
    const c = keyPair(dir, 'c');
    const d = keyPair(dir, 'd');
    const file = join(dir, 'known_hosts');
    writeFileSync(
      file,
      [
        `# comment`,
        `web.example.com,198.51.100.7 ${a.line}`,
        `[127.0.0.1]:2222 ${b.line}`,
        `*.fleet.example.com ${c.line}`,
        `@revoked web.example.com ${d.line}`,
        '',
      ].join('\n'),
    );
    // ssh-keygen -H hashes the file in place, as HashKnownHosts does.
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    const hashed = readFileSync(file, 'utf8');
    expect(hashed).toContain('|1|');
    const entries = parseKnownHosts(hashed);
    expect(knownFingerprints(entries, 'web.example.com', 22)).toEqual([a.fingerprint]);
    expect(knownFingerprints(entries, '198.51.100.7', 22)).toEqual([a.fingerprint]);
    expect(knownFingerprints(entries, '127.0.0.1', 2222)).toEqual([b.fingerprint]);
    expect(knownFingerprints(entries, '127.0.0.1', 22)).toEqual([]);
    expect(knownFingerprints(entries, 'x.fleet.example.com', 22)).toEqual([c.fingerprint]);
    expect(knownFingerprints(entries, 'other.example.com', 22)).toEqual([]);
  });

  it('passes over lines it cannot read', () => {
    expect(parseKnownHosts('garbage\nhost-only\nhost ssh-ed25519\n\n')).toEqual([]);
  });
});
