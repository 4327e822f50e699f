import { createHash } from 'node:crypto';
import { ProblemError } from '../../../shared/problem';
import type { Server } from '../../../shared/server';

/** SHA256 fingerprint of a raw SSH host key blob, exactly as `ssh-keygen -lf` prints it. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key's algorithm name, read from the blob's first string (`ssh-ed25519`, `rsa-sha2-512`, ...). */
export function algorithmOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  if (length <= 0 || length > 64 || keyBlob.length < 4 + length) return 'unknown';
  return keyBlob.subarray(4, 4 + length).toString('ascii');
}

/**
 * Re-trusting a changed key replaces what protects every login to the server, so the request must
 * name the key it replaces (the one the person was shown) and carry the server's name as typed.
 */
export function checkRetrust(
  server: Pick<Server, 'name'>,
  trusted: string,
  confirm: { readonly replacing?: string | undefined; readonly confirmName?: string | undefined },
): void {
  if (confirm.replacing !== trusted) {
    throw new ProblemError({
      code: 'conflict',
      message: `The host key of ${server.name} changed; trusting the new key must name the one it replaces (${trusted})`,
      where: server.name,
      hint: confirm.replacing
        ? 'The trusted key changed meanwhile: scan the host key again and compare both fingerprints.'
        : 'Open the server, compare the trusted and the presented fingerprints, and re-trust from there.',
    });
  }
  if (confirm.confirmName !== server.name) {
    throw new ProblemError({
      code: 'bad-request',
      message: `Type the server's name, ${server.name}, to trust its new host key`,
      where: 'confirmName',
      hint: "Check the new fingerprint with the server's owner first.",
    });
  }
}
