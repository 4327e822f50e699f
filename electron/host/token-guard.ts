import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh random token for one run of the browser host (like Jupyter's). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export type Verdict = { ok: true; via: 'query' | 'cookie' } | { ok: false; status: 401 | 403; reason: string };

/**
 * Decide whether a request may reach the host: right Host header (no DNS
 * rebinding), right Origin for sockets (no cross-site socket), right token.
 */
export class TokenGuard {
  constructor(
    private readonly token: string,
    private readonly port: number,
  ) {}

  get cookieName(): string {
    return `shipdeck-token-${this.port}`;
  }

  /** The Set-Cookie header that lets the page's later requests through without the token in the URL. */
  cookie(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }

  check(request: IncomingMessage, { socket }: { socket: boolean }): Verdict {
    const allowedHosts = [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
    if (!allowedHosts.includes(request.headers.host ?? '')) return { ok: false, status: 403, reason: 'unexpected Host header' };
    if (socket) {
      const origin = request.headers.origin;
      if (origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(origin)) return { ok: false, status: 403, reason: 'cross-origin socket' };
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const fromQuery = url.searchParams.get('token');
    if (fromQuery !== null) return this.matches(fromQuery) ? { ok: true, via: 'query' } : { ok: false, status: 401, reason: 'wrong token' };
    const fromCookie = cookieValue(request.headers.cookie, this.cookieName);
    if (fromCookie !== undefined) return this.matches(fromCookie) ? { ok: true, via: 'cookie' } : { ok: false, status: 401, reason: 'wrong token' };
    return { ok: false, status: 401, reason: 'no token' };
  }

  private matches(candidate: string): boolean {
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
