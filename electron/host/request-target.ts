import type { IncomingMessage } from 'node:http';

/** What a request asks for, once it is known to be for this host and well formed. */
export type RequestTarget =
  | { readonly ok: true; readonly path: string; readonly query: URLSearchParams }
  | { readonly ok: false; readonly status: 400 | 403; readonly reason: string };

/**
 * Check the parts of a request that come before any credential: the Host
 * header names this host (no DNS rebinding), a socket's Origin is this
 * host's page (no cross-site socket), and the target is an origin-form path
 * that parses. Never throws, whatever the bytes.
 */
export function requestTarget(request: IncomingMessage, port: number, { socket }: { socket: boolean }): RequestTarget {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowedHosts.includes(request.headers.host ?? ''))
    return { ok: false, status: 403, reason: 'the Host header does not name this host' };
  if (socket) {
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`))
      return { ok: false, status: 403, reason: 'the socket comes from another origin' };
  }
  const raw = request.url ?? '';
  // Only origin-form ("/path?query"): an absolute or authority form is not for a page of this host.
  if (!raw.startsWith('/') || raw.startsWith('//'))
    return { ok: false, status: 400, reason: 'the request target is not a path' };
  try {
    const url = new URL(raw, `http://127.0.0.1:${port}`);
    return { ok: true, path: url.pathname, query: url.searchParams };
  } catch {
    return { ok: false, status: 400, reason: 'the request target does not parse' };
  }
}
