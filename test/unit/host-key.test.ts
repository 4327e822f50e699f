import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { algorithmOf, fingerprintOf } from '../../electron/engine/fleet/host-key';

describe('host key fingerprints', () => {
  for (const type of ['ed25519', 'ecdsa', 'rsa']) {
    it(`match what ssh-keygen -lf prints for an ${type} key`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'shipdeck-hostkey-'));
      const file = join(dir, 'key');
      execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
      const expected = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1];
      const blob = Buffer.from(readFileSync(`${file}.pub`, 'utf8').split(' ')[1]!, 'base64');
      expect(fingerprintOf(blob)).toBe(expected);
      expect(algorithmOf(blob)).toBe(readFileSync(`${file}.pub`, 'utf8').split(' ')[0]);
    });
  }

  it('names an unreadable blob unknown instead of throwing', () => {
    expect(algorithmOf(Buffer.from([0, 0]))).toBe('unknown');
    expect(algorithmOf(Buffer.from([0xff, 0xff, 0xff, 0xff, 1]))).toBe('unknown');
  });
});
