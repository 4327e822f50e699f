import { randomUUID } from 'node:crypto';
import { ProblemError } from '../../shared/problem';
import {
  defaultProxySettings,
  type Server,
  type ServerAuth,
  type ServerDraft,
  type TrustedHostKey,
} from '../../shared/server';
import type { SettingsStore } from './settings-store';
import type { Vault } from './vault';

/** The servers the user added, kept in the settings store; their secrets kept in the vault. */
export class Inventory {
  constructor(
    private readonly store: SettingsStore,
    private readonly vault: Vault,
  ) {}

  list(): readonly Server[] {
    return this.store.get('servers');
  }

  get(id: string): Server {
    const server = this.list().find((s) => s.id === id);
    if (!server)
      throw new ProblemError({
        code: 'not-found',
        message: `No server with id ${id}`,
        hint: 'It may have been removed; reload the fleet.',
      });
    return server;
  }

  findByName(name: string): Server | undefined {
    return this.list().find((s) => s.name === name);
  }

  /** The stored passphrase or password of a server, if any. */
  secretOf(id: string): string | undefined {
    return this.vault.get(id);
  }

  add(draft: ServerDraft, now = new Date()): Server {
    const id = randomUUID();
    const server = this.fromDraft(id, draft, undefined, now.toISOString());
    this.withSecret(id, draft, () => this.store.set('servers', [...this.list(), server]));
    return server;
  }

  /** Change a server; a host or port change drops the trusted key, since it may be another machine. */
  update(id: string, draft: ServerDraft): Server {
    const before = this.get(id);
    const sameMachine = before.host === draft.host.trim() && before.port === draft.port;
    const server = this.fromDraft(id, draft, before, before.createdAt, sameMachine ? before.hostKey : undefined);
    this.withSecret(id, draft, () =>
      this.store.set(
        'servers',
        this.list().map((s) => (s.id === id ? server : s)),
      ),
    );
    return server;
  }

  remove(id: string): void {
    this.get(id);
    const dependents = this.list().filter((s) => s.jumpServerId === id);
    if (dependents.length > 0) {
      throw new ProblemError({
        code: 'conflict',
        message: `Other servers reach their host through this one: ${dependents.map((s) => s.name).join(', ')}`,
        hint: 'Change their jump host first, then remove this server.',
      });
    }
    this.store.set(
      'servers',
      this.list().filter((s) => s.id !== id),
    );
    this.vault.delete(id);
  }

  trustHostKey(id: string, hostKey: TrustedHostKey): Server {
    const server = { ...this.get(id), hostKey };
    this.store.set(
      'servers',
      this.list().map((s) => (s.id === id ? server : s)),
    );
    return server;
  }

  private fromDraft(
    id: string,
    draft: ServerDraft,
    before: Server | undefined,
    createdAt: string,
    hostKey?: TrustedHostKey,
  ): Server {
    const name = draft.name.trim();
    if (this.list().some((s) => s.name === name && s.id !== id)) {
      throw new ProblemError({
        code: 'conflict',
        message: `A server named ${name} already exists`,
        where: 'name',
        hint: 'Choose another name, or edit the existing server.',
      });
    }
    if (draft.jumpServerId !== undefined) this.checkJump(id, draft.jumpServerId);
    return {
      id,
      name,
      host: draft.host.trim(),
      port: draft.port,
      user: draft.user.trim(),
      auth: this.authFrom(id, draft, before),
      environment: draft.environment.trim() || 'staging',
      labels: [...new Set(draft.labels.map((l) => l.trim()).filter(Boolean))],
      dockerSocket: draft.dockerSocket.trim(),
      ...(draft.jumpServerId ? { jumpServerId: draft.jumpServerId } : {}),
      ...(draft.proxy && (draft.proxy.upstreamFile.trim() || draft.proxy.reload.trim())
        ? {
            proxy: {
              upstreamFile: draft.proxy.upstreamFile.trim() || defaultProxySettings.upstreamFile,
              reload: draft.proxy.reload.trim() || defaultProxySettings.reload,
            },
          }
        : {}),
      ...(hostKey ? { hostKey } : {}),
      createdAt,
    };
  }

  private authFrom(id: string, draft: ServerDraft, before: Server | undefined): ServerAuth {
    const auth = draft.auth;
    const keptSecret =
      before?.auth.kind === auth.kind &&
      'hasSecret' in before.auth &&
      before.auth.hasSecret &&
      this.vault.get(id) !== undefined;
    switch (auth.kind) {
      case 'agent':
        return { kind: 'agent' };
      case 'key':
        return {
          kind: 'key',
          keyPath: auth.keyPath.trim(),
          hasSecret: auth.secret !== undefined ? auth.secret.length > 0 : keptSecret,
        };
      case 'password': {
        const hasSecret = auth.secret !== undefined ? auth.secret.length > 0 : keptSecret;
        if (!hasSecret)
          throw new ProblemError({
            code: 'bad-request',
            message: 'Password login needs a password',
            where: 'auth.secret',
            hint: 'Type the password, or choose a key file or ssh-agent.',
          });
        return { kind: 'password', hasSecret };
      }
    }
  }

  /**
   * A secret given in the draft replaces the stored one; an empty one clears
   * it; none keeps it. Both or neither: if the settings cannot be written (a
   * full disk), the secret goes back to what it was.
   */
  private withSecret(id: string, draft: ServerDraft, saveSettings: () => void): void {
    const auth = draft.auth;
    const undo =
      auth.kind === 'agent'
        ? this.vault.change(id, undefined)
        : auth.secret !== undefined
          ? this.vault.change(id, auth.secret || undefined)
          : undefined;
    try {
      saveSettings();
    } catch (error) {
      try {
        undo?.();
      } catch {
        // The secret could not be put back either: the settings error says which folder to free.
      }
      throw error;
    }
  }

  private checkJump(id: string, jumpId: string): void {
    const seen = new Set([id]);
    let hop: string | undefined = jumpId;
    while (hop !== undefined) {
      if (seen.has(hop))
        throw new ProblemError({
          code: 'bad-request',
          message: 'The jump hosts form a loop',
          where: 'jumpServerId',
          hint: 'Choose a jump host that does not lead back to this server.',
        });
      seen.add(hop);
      const next = this.list().find((s) => s.id === hop);
      if (!next)
        throw new ProblemError({
          code: 'bad-request',
          message: `The jump host ${hop} is not in the inventory`,
          where: 'jumpServerId',
          hint: 'Add the jump host first, or choose none.',
        });
      hop = next.jumpServerId;
    }
  }
}
