/**
 * How a page of the browser host signs in and talks to it. The printed link
 * carries a one-time token; the host trades it once for a session credential
 * that the page keeps in its tab (sessionStorage, which is per origin, port
 * included) and presents only inside its own WebSocket handshake. No cookie:
 * a cookie for 127.0.0.1 would go to every server on that address, whatever
 * its port.
 */

/** The WebSocket subprotocol of the contract; the host answers with it or refuses. */
export const socketProtocol = 'shipdeck.v1';

/** The second subprotocol a page offers carries its credential: `shipdeck.session.<credential>`. */
export const sessionProtocolPrefix = 'shipdeck.session.';

/** The fragment key the host's redirect hands the credential over in (a fragment never reaches a server). */
export const sessionFragmentKey = 'session';

/** Where a tab keeps its credential. */
export const sessionStorageKey = 'shipdeck.session';

/** The largest WebSocket message either side accepts. */
export const maxSocketMessageBytes = 1024 * 1024;

/** A credential has the shape the host gives out (base64url); anything else is not offered at all. */
export function isCredentialShaped(value: string): boolean {
  return /^[A-Za-z0-9_-]{16,128}$/.test(value);
}

/** Bytes as a person reads a limit: "1 MiB", "256 KiB", "1.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
