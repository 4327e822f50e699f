import { randomUUID } from 'node:crypto';
import { ProblemError } from '../../shared/problem';
import type { Server, ServerDraft } from '../../shared/server';
import type { SettingsStore } from './settings-store';

/** The servers the user added, kept in the settings store. */
export class Inventory {
  constructor(private readonly store: SettingsStore) {}

  list(): readonly Server[] {
    return this.store.get('servers');
  }

  get(id: string): Server {
    const server = this.list().find((s) => s.id === id);
    if (!server) throw new ProblemError({ code: 'not-found', message: `No server with id ${id}`, hint: 'It may have been removed; reload the fleet.' });
    return server;
  }

  add(draft: ServerDraft, now = new Date()): Server {
    const name = draft.name.trim();
    if (this.list().some((s) => s.name === name)) {
      throw new ProblemError({ code: 'conflict', message: `A server named ${name} already exists`, where: 'name', hint: 'Choose another name, or edit the existing server.' });
    }
    const server: Server = {
      id: randomUUID(),
      name,
      host: draft.host.trim(),
      port: draft.port,
      user: draft.user.trim(),
      auth: { kind: 'key', keyPath: draft.keyPath.trim() },
      environment: draft.environment.trim() || 'staging',
      labels: [...new Set(draft.labels.map((l) => l.trim()).filter(Boolean))],
      dockerSocket: draft.dockerSocket.trim(),
      createdAt: now.toISOString(),
    };
    this.store.set('servers', [...this.list(), server]);
    return server;
  }

  remove(id: string): void {
    this.get(id);
    this.store.set('servers', this.list().filter((s) => s.id !== id));
  }

  trustHostKey(id: string, fingerprint: string, algorithm: string, now = new Date()): Server {
    const server = { ...this.get(id), hostKey: { fingerprint, algorithm, trustedAt: now.toISOString() } };
    this.store.set('servers', this.list().map((s) => (s.id === id ? server : s)));
    return server;
  }
}
