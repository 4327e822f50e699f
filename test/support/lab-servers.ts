import { readFileSync } from 'node:fs';
import type { Server } from '../../shared/server';
import type { SshTarget } from '../../electron/engine/fleet/ssh-link';
import { readLabState, type LabHost, type LabState } from '../lab/lab-state';

/** The running lab; a test file fails at once with the lab's own message when it is down. */
export function lab(): LabState {
  return readLabState();
}

/** A lab host as an inventory entry, trusted or not. */
export function serverFor(host: LabHost, options: { trusted?: boolean; keyPath?: string } = {}): Server {
  const state = lab();
  return {
    id: `lab-${host.name}`,
    name: host.name,
    host: host.host,
    port: host.sshPort,
    user: host.user,
    auth: { kind: 'key', keyPath: options.keyPath ?? state.clientKey, hasSecret: false },
    environment: 'staging',
    labels: ['lab'],
    dockerSocket: '',
    ...(options.trusted === false
      ? {}
      : {
          hostKey: {
            fingerprint: host.hostKeyFingerprint,
            algorithm: 'ssh-ed25519',
            trustedAt: new Date().toISOString(),
          },
        }),
    createdAt: new Date().toISOString(),
  };
}

/** A lab host as an SSH target for SshLink. */
export function targetFor(host: LabHost, overrides: Partial<SshTarget> = {}): SshTarget {
  const state = lab();
  return {
    name: host.name,
    host: host.host,
    port: host.sshPort,
    user: host.user,
    credentials: { kind: 'key', keyPath: state.clientKey, privateKey: readFileSync(state.clientKey) },
    expectedFingerprint: host.hostKeyFingerprint,
    ...overrides,
  };
}

/** An inventory of lab servers, for code that looks servers up by id (jump hosts, secrets). */
export function directoryOf(servers: readonly Server[], secrets: Readonly<Record<string, string>> = {}) {
  return {
    get(id: string): Server {
      const server = servers.find((s) => s.id === id);
      if (!server) throw new Error(`no server ${id}`);
      return server;
    },
    secretOf: (id: string) => secrets[id],
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
