import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { desktopCipher } from '../../../electron/secret-cipher';
import { keyFileCipher, Vault } from '../../../electron/engine/vault';

/** A stand-in for Electron's safeStorage that marks what it sealed. */
function safeStorage(available: boolean, backend: string) {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend as 'basic_text',
    encryptString: (plain: string) => Buffer.from(`keychain:${plain}`),
    decryptString: (sealed: Buffer) => sealed.toString().replace(/^keychain:/, ''),
  };
}

describe('secret ciphers', () => {
  it('uses the OS keychain when Electron has one', () => {
    const cipher = desktopCipher(safeStorage(true, 'gnome_libsecret'), mkdtempSync(join(tmpdir(), 'sd-')), 'linux');
    expect(cipher.kind).toContain('safeStorage');
    expect(cipher.decrypt(cipher.encrypt('pw'))).toBe('pw');
  });

  it('falls back to the key file on Linux without a keyring, or without encryption', () => {
    for (const storage of [safeStorage(true, 'basic_text'), safeStorage(false, 'unknown')]) {
      const cipher = desktopCipher(storage, mkdtempSync(join(tmpdir(), 'sd-')), 'linux');
      expect(cipher.kind).toContain('AES-256-GCM');
    }
  });

  it('keeps the key file private and never writes the secret in clear', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sd-'));
    const vault = new Vault(dataDir, keyFileCipher(dataDir));
    vault.set('server-1', 'correct horse battery staple');
    expect(statSync(join(dataDir, 'vault.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).not.toContain('correct horse');
    expect(new Vault(dataDir, keyFileCipher(dataDir)).get('server-1')).toBe('correct horse battery staple');
  });

  it('refuses a tampered secret with a clear problem', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sd-'));
    const vault = new Vault(dataDir, keyFileCipher(dataDir));
    vault.set('s', 'secret');
    const file = join(dataDir, 'secrets.json');
    const sealed = JSON.parse(readFileSync(file, 'utf8'));
    const bytes = Buffer.from(sealed.s, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    sealed.s = bytes.toString('base64');
    writeFileSync(file, JSON.stringify(sealed));
    expect(() => vault.get('s')).toThrow(/could not be decrypted/);
  });
});
