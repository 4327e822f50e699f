import { command, type RemoteCommand } from './command';
import { servicePaths, type HostPlanInput, type Step } from '../deploy-plan';

/**
 * The shell that appends one audit line, the host's own UTC time first:
 * `$1` the folder (made if missing), `$2` the file, `$3` the fields as JSON
 * without their braces. The fields travel as an argument, never in the script.
 */
export const auditScript =
  'mkdir -p "$1" && printf \'{"at":"%s",%s}\\n\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$3" >> "$2"';

/** The fields of an audit line as `auditScript` takes them (`$3`): their JSON, braces off. */
export function auditFields(fields: Readonly<Record<string, string>>): string {
  return JSON.stringify(fields).slice(1, -1);
}

/**
 * Append one JSON line to an audit file on a host, the host's UTC time
 * first: `{"at":"…",<fields>}`.
 */
export function hostAuditCommand(
  dir: string,
  file: string,
  fields: Readonly<Record<string, string>>,
  purpose: string,
): RemoteCommand {
  return command('sh', ['-c', auditScript, 'audit', dir, file, auditFields(fields)], purpose);
}

/** How an audit line's action reads in a step's purpose (in words, so no step reads as a second Rollback button). */
export function auditPhrase(action: string, release: string): string {
  if (action === 'rollback') return `back on ${release}`;
  return `${release} ${action === 'deploy' ? 'deployed' : action === 'confirm' ? 'confirmed' : action}`;
}

/**
 * One line appended to the service's audit log on the host (under the deploy
 * user's home), as operators expect to find there: the host's own UTC time,
 * then who did what to which release in which run.
 */
export function hostAuditStep(
  input: HostPlanInput,
  service: string,
  entry: {
    readonly who: string;
    readonly action: string;
    readonly release: string;
    readonly runId: string;
    readonly detail?: string;
  },
): Step {
  const paths = servicePaths(input.home, service);
  const fields = {
    who: entry.who,
    action: entry.action,
    service,
    release: entry.release,
    run: entry.runId,
    ...(entry.detail ? { detail: entry.detail } : {}),
  };
  return {
    kind: 'command',
    host: input.host,
    command: hostAuditCommand(
      paths.dir,
      paths.audit,
      fields,
      `Note in the host's audit log: ${auditPhrase(entry.action, entry.release)}`,
    ),
    allowFailure: true,
  };
}

/** The host's own audit log of what is not one service's (a container restarted by hand): `~/.shipdeck/audit.log`. */
export function hostAuditPaths(home: string): { dir: string; audit: string } {
  return { dir: `${home}/.shipdeck`, audit: `${home}/.shipdeck/audit.log` };
}
