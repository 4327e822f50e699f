import { hostAuditCommand, hostAuditPaths } from '../../../shared/commands/host-audit';
import type { Server } from '../../../shared/server';
import { homeOf } from '../release/host-state';
import type { Fleet } from './fleet';

/**
 * A line in the host's own audit log (`~/.shipdeck/audit.log` of the login
 * user) for a change made by hand that belongs to no one service's release,
 * such as a restart. A line that cannot be written is reported, not fatal:
 * the change itself already happened.
 */
export async function noteOnHost(
  fleet: Fleet,
  server: Server,
  fields: Readonly<Record<string, string>>,
  purpose: string,
): Promise<{ written: boolean }> {
  try {
    const link = await fleet.link(server);
    const paths = hostAuditPaths(await homeOf(link));
    const result = await link.exec(hostAuditCommand(paths.dir, paths.audit, fields, purpose));
    return { written: result.exitCode === 0 };
  } catch {
    return { written: false };
  }
}
