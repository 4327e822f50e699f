/** A server in the inventory: where it is, how to log in, and the host key we trust. */
export interface Server {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly auth: ServerAuth;
  /** staging, production, or a name the user chose. */
  readonly environment: string;
  readonly labels: readonly string[];
  /** Path of the Docker socket on the host; empty means "ask the host" (DOCKER_HOST, then the default). */
  readonly dockerSocket: string;
  /** Another server of the inventory to reach this one through (ssh's ProxyJump). */
  readonly jumpServerId?: string;
  /** Where this host's nginx keeps a service's upstream, and how it reloads; defaults when absent. */
  readonly proxy?: ProxySettings;
  /** The host key confirmed by the user (trust on first use); absent until confirmed. */
  readonly hostKey?: TrustedHostKey;
  readonly createdAt: string;
}

/**
 * How to log in. Secrets (passphrase, password) are never part of this: they
 * live encrypted in the vault, and `hasSecret` only says one is stored.
 */
export type ServerAuth =
  | { readonly kind: 'key'; readonly keyPath: string; readonly hasSecret: boolean }
  | { readonly kind: 'agent' }
  | { readonly kind: 'password'; readonly hasSecret: boolean };

export type AuthKind = ServerAuth['kind'];

export interface TrustedHostKey {
  /** SHA256 fingerprint as OpenSSH prints it: `SHA256:` and unpadded base64. */
  readonly fingerprint: string;
  readonly algorithm: string;
  readonly trustedAt: string;
  /** Where the trust came from: the user's confirmation, or an imported known_hosts file. */
  readonly source?: 'confirmed' | 'known_hosts';
}

/**
 * What the user types to add or edit a server. `secret` is the key's
 * passphrase or the password; on an edit, leaving it out keeps the stored one.
 */
export interface ServerDraft {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly auth: AuthDraft;
  readonly environment: string;
  readonly labels: readonly string[];
  readonly dockerSocket: string;
  readonly jumpServerId?: string;
  readonly proxy?: ProxySettings;
}

/**
 * A server's nginx: the file included in the service's `upstream` block
 * (`{service}` is replaced by the service name) and the command that reloads it.
 */
export interface ProxySettings {
  readonly upstreamFile: string;
  readonly reload: string;
}

export const defaultProxySettings: ProxySettings = {
  upstreamFile: '/etc/nginx/shipdeck/{service}.conf',
  reload: 'nginx -s reload',
};

export type AuthDraft =
  | { readonly kind: 'key'; readonly keyPath: string; readonly secret?: string }
  | { readonly kind: 'agent' }
  | { readonly kind: 'password'; readonly secret?: string };

export const defaultDockerSocket = '/var/run/docker.sock';

/** `user@host:port`, the way people name a login. */
export function loginOf(server: Pick<Server, 'user' | 'host' | 'port'>): string {
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  return `${server.user}@${host}:${server.port}`;
}

/** Environments offered first; users may name others. */
export const knownEnvironments = ['staging', 'production'] as const;
