import type { SafeStorage } from 'electron';
import { keyFileCipher, type SecretCipher } from './engine/vault';

/**
 * Electron's safeStorage where it is backed by the OS keychain; otherwise
 * (no keyring on Linux gives the "basic_text" backend, a hard-coded key) the
 * browser host's AES key file, which at least keeps secrets off the disk in clear.
 */
export function desktopCipher(
  safeStorage: Pick<
    SafeStorage,
    'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'
  >,
  dataDir: string,
  platform: NodeJS.Platform,
): SecretCipher {
  const weakLinuxBackend = platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || weakLinuxBackend) return keyFileCipher(dataDir);
  return {
    kind: 'Electron safeStorage (the operating system keychain)',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  };
}
