/** A server in the inventory: where it is, how to log in, and the host key we trust. */
export interface Server {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly auth: ServerAuth;
  readonly environment: string;
  readonly labels: readonly string[];
  /** Path of the Docker socket on the host; empty means "ask the host" (DOCKER_HOST, then the default). */
  readonly dockerSocket: string;
  /** The host key confirmed by the user (trust on first use); absent until confirmed. */
  readonly hostKey?: TrustedHostKey;
  readonly createdAt: string;
}

export type ServerAuth = { readonly kind: 'key'; readonly keyPath: string };

export interface TrustedHostKey {
  /** SHA256 fingerprint as OpenSSH prints it: `SHA256:` and unpadded base64. */
  readonly fingerprint: string;
  readonly algorithm: string;
  readonly trustedAt: string;
}

/** What the user types to add a server. */
export interface ServerDraft {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly keyPath: string;
  readonly environment: string;
  readonly labels: readonly string[];
  readonly dockerSocket: string;
}

export const defaultDockerSocket = '/var/run/docker.sock';

/** `user@host:port`, the way people name a login. */
export function loginOf(server: Pick<Server, 'user' | 'host' | 'port'>): string {
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  return `${server.user}@${host}:${server.port}`;
}
