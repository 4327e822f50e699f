import type { ServiceSpec } from '../../../shared/service-spec';
import { forceOpenCommand, lockHolderCommand } from '../../../shared/commands/lock';
import { servicePaths, type LockHolder } from '../../../shared/deploy-plan';
import { ProblemError } from '../../../shared/problem';
import type { Server } from '../../../shared/server';
import type { Fleet } from '../fleet/fleet';
import type { SshLink } from '../fleet/ssh-link';
import { homeOf } from './host-state';

/** Who holds a service's deploy lock on a host, as its holder file says: parsed when it is JSON, and in words. */
export interface LockReading {
  /** The holder as the lock step wrote it; absent when the file is missing or not JSON. */
  readonly holder?: Partial<LockHolder>;
  /** "ana@laptop since … for v2", or the file's first 200 characters; absent when there is no holder file. */
  readonly heldBy?: string;
}

/** Read who holds the deploy lock at `lockDir` on a host (nothing when the lock is free). */
export async function readLockHolder(link: SshLink, lockDir: string): Promise<LockReading> {
  let text = '';
  await link.exec(lockHolderCommand(lockDir), { onStdout: (t) => (text += t) });
  return lockReadingOf(text);
}

/** A holder file's text, parsed once: the holder, and the holder in words. */
export function lockReadingOf(text: string): LockReading {
  if (!text.trim()) return {};
  try {
    const holder = JSON.parse(text) as Partial<LockHolder> | null;
    if (!holder || typeof holder !== 'object') throw new Error('not a holder');
    return { holder, heldBy: `${holder.who ?? 'someone'} since ${holder.since ?? '?'} for ${holder.release ?? '?'}` };
  } catch {
    return { heldBy: text.trim().slice(0, 200) };
  }
}

/** A forced unlock: of which service, on which servers of which environment, why, and by whom. */
export interface ForceUnlockRequest {
  readonly spec: Pick<ServiceSpec, 'service' | 'servers'>;
  readonly environment: string;
  readonly reason: string;
  readonly who: string;
  /** A run of this Shipdeck still working on the service: its lock is not abandoned. */
  readonly busyRun?: string;
}

/**
 * Free an abandoned deploy lock on every host of an environment. The reason
 * goes into each host's audit file with who held the lock.
 */
export async function forceUnlock(
  fleet: Fleet,
  findServer: (name: string) => Server | undefined,
  request: ForceUnlockRequest,
): Promise<{ hosts: { server: string; heldBy?: string }[] }> {
  const { spec, environment, reason, who } = request;
  const service = spec.service;
  const names = spec.servers[environment];
  if (!names)
    throw new ProblemError({
      code: 'bad-request',
      message: `${service} has no environment ${environment}`,
      hint: `Choose one of: ${Object.keys(spec.servers).join(', ')}.`,
    });
  if (request.busyRun)
    throw new ProblemError({
      code: 'conflict',
      message: `Run ${request.busyRun} of this Shipdeck is still working on ${service}`,
      hint: 'Wait for it, or roll it back; its lock is not abandoned.',
    });
  const hosts = await Promise.all(
    names.map(async (name) => {
      const server = findServer(name);
      if (!server)
        throw new ProblemError({
          code: 'not-found',
          message: `${name} is not in the inventory`,
          where: `servers.${environment}`,
        });
      const link = await fleet.link(server);
      const home = await homeOf(link);
      const paths = servicePaths(home, service);
      const { heldBy } = await readLockHolder(link, paths.lock);
      const result = await link.exec(forceOpenCommand(home, { who, service, reason, ...(heldBy ? { heldBy } : {}) }));
      if (result.exitCode !== 0)
        throw new ProblemError({
          code: 'command-failed',
          message: `Could not free the lock of ${service} on ${name} (exit ${result.exitCode})`,
          where: `${name}:${paths.lock}`,
        });
      return { server: name, ...(heldBy ? { heldBy } : {}) };
    }),
  );
  return { hosts };
}
