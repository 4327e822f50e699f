import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { algorithmOf, checkRetrust, fingerprintOf } from '../../../../../electron/engine/fleet/host-key';
import type { ProblemError } from '../../../../../shared/problem';

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

describe('re-trusting a changed host key', () => {
  const trusted = 'SHA256:' + 'A'.repeat(43);
  const problemOf = (confirm: Parameters<typeof checkRetrust>[2]) => {
    try {
      checkRetrust({ name: 'web-1' }, trusted, confirm);
      return undefined;
    } catch (error) {
      return (error as ProblemError).problem;
    }
  };

  it("needs the key it replaces and the server's name as typed", () => {
    expect(problemOf({ replacing: trusted, confirmName: 'web-1' })).toBeUndefined();
    expect(problemOf({})).toMatchObject({ code: 'conflict', message: expect.stringContaining(trusted) });
    expect(problemOf({ replacing: 'SHA256:' + 'B'.repeat(43), confirmName: 'web-1' })).toMatchObject({
      code: 'conflict',
      hint: expect.stringContaining('scan the host key again'),
    });
    expect(problemOf({ replacing: trusted, confirmName: 'web-1 ' })).toMatchObject({
      code: 'bad-request',
      where: 'confirmName',
    });
    expect(problemOf({ replacing: trusted })).toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('web-1'),
    });
  });
});
