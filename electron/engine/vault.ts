import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProblemError } from '../../shared/problem';
import { storageError, writeWhole } from './data-file';

/** Turns a secret into bytes only this machine's user can turn back. */
export interface SecretCipher {
  /** How the secret is protected, for the settings page and the log. */
  readonly kind: string;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

/**
 * AES-256-GCM with a random key kept in `<dataDir>/vault.key`, mode 0600: the
 * browser host's protection (and Electron's where the OS has no keyring).
 */
export function keyFileCipher(dataDir: string): SecretCipher {
  const keyPath = join(dataDir, 'vault.key');
  if (!existsSync(keyPath)) {
    try {
      writeFileSync(keyPath, randomBytes(32), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw storageError(error, keyPath);
    }
  }
  if ((statSync(keyPath).mode & 0o077) !== 0) chmodSync(keyPath, 0o600);
  const key = readFileSync(keyPath);
  if (key.length !== 32) {
    throw new ProblemError({
      code: 'internal',
      message: `The vault key ${keyPath} is damaged (${key.length} bytes, expected 32)`,
      where: keyPath,
      hint: 'Restore it from a backup; without it the stored passwords and passphrases cannot be read and must be entered again.',
    });
  }
  return {
    kind: `AES-256-GCM, key file ${keyPath} (0600)`,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * Passwords and passphrases, sealed by a cipher, in `<dataDir>/secrets.json`
 * (mode 0600). Nothing else in the data folder ever holds a secret.
 */
export class Vault {
  private readonly path: string;
  /** Goes up with every change, so what is made from the secrets (the redaction) knows to be made again. */
  private changes = 0;

  constructor(
    dataDir: string,
    private readonly cipher: SecretCipher,
  ) {
    this.path = join(dataDir, 'secrets.json');
  }

  get protection(): string {
    return this.cipher.kind;
  }

  get(id: string): string | undefined {
    const sealed = this.read()[id];
    if (sealed === undefined) return undefined;
    try {
      return this.cipher.decrypt(Buffer.from(sealed, 'base64'));
    } catch {
      throw new ProblemError({
        code: 'internal',
        message: 'A stored secret could not be decrypted',
        where: this.path,
        hint: 'The vault key may have changed; edit the server and enter its password or passphrase again.',
      });
    }
  }

  /** How many changes this vault has seen since it was opened. */
  get version(): number {
    return this.changes;
  }

  /** Every secret it holds (servers' passwords and passphrases, services' secrets), to keep out of everything written or sent. */
  values(): string[] {
    return Object.keys(this.read()).flatMap((id) => {
      try {
        return this.get(id) ?? [];
      } catch {
        // One that cannot be decrypted cannot be used either, so it cannot leak.
        return [];
      }
    });
  }

  set(id: string, secret: string): void {
    this.write({ ...this.read(), [id]: this.cipher.encrypt(secret).toString('base64') });
  }

  delete(id: string): void {
    const all = this.read();
    if (!(id in all)) return;
    delete all[id];
    this.write(all);
  }

  /**
   * Change a secret and give back how to undo it, for a change that must go
   * with another write (the server's settings): if that one fails, the
   * secret as it was (sealed, never decrypted) goes back.
   */
  change(id: string, secret: string | undefined): () => void {
    const before = this.read()[id];
    if (secret) this.set(id, secret);
    else this.delete(id);
    return () => {
      const all = this.read();
      if (before === undefined) delete all[id];
      else all[id] = before;
      this.write(all);
    };
  }

  private read(): Record<string, string> {
    if (!existsSync(this.path)) return {};
    return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
  }

  /** Write beside and rename, so a crash or a full disk leaves the old file or the new one, never half of one. */
  private write(all: Record<string, string>): void {
    writeWhole(this.path, JSON.stringify(all, null, 2));
    this.changes++;
  }
}
