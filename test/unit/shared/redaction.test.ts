import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepRedactedLines, redactionOf, redactValue, StreamRedaction } from '../../../shared/redaction';
import { vaultRedaction } from '../../../electron/engine/redaction';
import { keyFileCipher, Vault } from '../../../electron/engine/vault';

describe('StreamRedaction', () => {
  const secret = 'S3cr3t-pa55phrase';

  it('catches a secret split across chunks at every cut, and lets everything else out unchanged', () => {
    const text = `before ${secret} middle ${secret}\nafter the end`;
    for (let cut = 1; cut < text.length; cut++) {
      for (const second of [cut + 1, Math.min(text.length, cut + 5)]) {
        const stream = new StreamRedaction(redactionOf([secret, 'other']));
        const out =
          [text.slice(0, cut), text.slice(cut, second), text.slice(second)]
            .map((chunk) => stream.push(chunk))
            .join('') + stream.end();
        expect(out).toBe('before *** middle ***\nafter the end');
      }
    }
  });

  it('keeps output live: only the last (longest − 1) characters wait for the next chunk', () => {
    const stream = new StreamRedaction(redactionOf(['abcd']));
    expect(stream.push('0123456789')).toBe('0123456');
    expect(stream.push('ab')).toBe('78');
    expect(stream.push('cd!')).toBe('9*');
    expect(stream.end()).toBe('**!');
    expect(new StreamRedaction(redactionOf([])).push('as it is')).toBe('as it is');
  });
});

describe('redactValue', () => {
  it('redacts every string inside objects and arrays, leaves numbers, bytes and a PDF’s base64 alone', () => {
    const bytes = new Uint8Array([1, 2]);
    const value = {
      a: 'x pw y',
      list: ['pw', 3, { deep: 'pwpw' }],
      n: 4,
      bytes,
      base64: 'cHc=pw',
      ok: true,
      none: null,
    };
    expect(redactValue(value, redactionOf(['pw']).text)).toEqual({
      a: 'x *** y',
      list: ['***', 3, { deep: '******' }],
      n: 4,
      bytes,
      base64: 'cHc=pw',
      ok: true,
      none: null,
    });
    expect(value.a).toBe('x pw y');
  });
});

describe('vaultRedaction', () => {
  it('knows every secret in the vault, ones set after it was made too, and keeps a cleared one', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-redaction-'));
    const vault = new Vault(dataDir, keyFileCipher(dataDir));
    vault.set('server-1', 'server-password');
    const redaction = vaultRedaction(vault);
    expect(redaction.text('server-password and key-passphrase')).toBe('*** and key-passphrase');
    vault.set('server-2', 'key-passphrase');
    vault.set('service:web:DB_PASSWORD', 'db-secret-value');
    expect(redaction.text('server-password, key-passphrase, db-secret-value')).toBe('***, ***, ***');
    vault.delete('service:web:DB_PASSWORD');
    expect(redaction.text('db-secret-value')).toBe('***');
    expect(redaction.longest()).toBe('server-password'.length);
  });
});

describe('keepRedactedLines', () => {
  const redact = redactionOf(['hunter2']).text;
  const saved = ['service: web', 'hooks:', '  pre-deploy:', '    - "login -p hunter2"', 'retain: 2'].join('\n');

  it('gives a line sent back as it was shown its secret again, and takes every other line as edited', () => {
    const edited = ['service: web', 'hooks:', '  pre-deploy:', '    - "login -p ***"', 'retain: 3'].join('\n');
    expect(keepRedactedLines(edited, saved, redact)).toBe(saved.replace('retain: 2', 'retain: 3'));
    expect(keepRedactedLines('    - "login -p *** --verbose"', saved, redact)).toBe('    - "login -p *** --verbose"');
    expect(keepRedactedLines('anything', undefined, redact)).toBe('anything');
  });
});
