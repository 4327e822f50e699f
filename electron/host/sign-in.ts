import { createHash, randomBytes } from 'node:crypto';
import { isCredentialShaped, sessionProtocolPrefix, socketProtocol } from '../../shared/browser-session';

/** A fresh random value for a link or a session (192 bits, base64url). */
function fresh(): string {
  return randomBytes(24).toString('base64url');
}

/** Held by hash, so a lookup leaks nothing of the secret through its timing. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/**
 * Who may use the browser host: one-time sign-in links (the token in the
 * printed URL, good for one exchange), and the sessions they were traded
 * for. Both live in memory only, for this run of the host.
 */
export class SignIn {
  private readonly links = new Set<string>();
  private readonly sessions = new Set<string>();

  /** A new one-time token for a sign-in link. */
  newLink(): string {
    const token = fresh();
    this.links.add(digest(token));
    return token;
  }

  /** Trade a link's token for a session credential; a used, wrong or malformed token gets nothing. */
  redeem(token: string): string | undefined {
    if (!isCredentialShaped(token)) return undefined;
    const key = digest(token);
    if (!this.links.delete(key)) return undefined;
    const session = fresh();
    this.sessions.add(digest(session));
    return session;
  }

  isSession(credential: string | undefined): boolean {
    return credential !== undefined && isCredentialShaped(credential) && this.sessions.has(digest(credential));
  }

  /** The credential a WebSocket handshake offers beside the contract's subprotocol, if it offers both. */
  static fromProtocols(header: string | string[] | undefined): string | undefined {
    const offered = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((p) => p.trim());
    if (!offered.includes(socketProtocol)) return undefined;
    return offered.find((p) => p.startsWith(sessionProtocolPrefix))?.slice(sessionProtocolPrefix.length);
  }

  /** The credential of `Authorization: Bearer <credential>`. */
  static fromAuthorization(header: string | undefined): string | undefined {
    const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(header ?? '');
    return match?.[1];
  }
}
