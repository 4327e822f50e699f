import { command, type RemoteCommand } from './command';
import { auditFields, auditScript } from './host-audit';
import { servicePaths, type HostPlanInput, type LockHolder, type Step } from '../deploy-plan';

/**
 * Take the service's deploy lock on a host: mkdir is atomic, so only one holder wins. The holder
 * file is written beside and renamed in, so it is read whole or not at all. A lock already there
 * is this run's own when its holder names this run: two servers that share a home (one machine
 * under two names, an NFS home) share the lock, and the run's second server must not be refused
 * by its first. The winner writes the holder just after its mkdir, so a loser waits for it (5 s at most).
 */
export function lockStep(input: HostPlanInput, service: string, holder: LockHolder): Step {
  const paths = servicePaths(input.home, service);
  const script = [
    'mkdir -p "$1" || exit 1',
    'if mkdir "$2" 2>/dev/null; then printf "%s\\n" "$3" > "$2/holder.json.new" && mv -f "$2/holder.json.new" "$2/holder.json"; exit; fi',
    'i=0; while [ ! -s "$2/holder.json" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done',
    'grep -qF -- "$4" "$2/holder.json"',
  ].join('; ');
  return {
    kind: 'command',
    host: input.host,
    command: command(
      'sh',
      ['-c', script, 'lock', paths.dir, paths.lock, JSON.stringify(holder), `"runId":${JSON.stringify(holder.runId)}`],
      `Take the deploy lock of ${service}`,
    ),
  };
}

/** Release the service's deploy lock on a host (the run that holds it is done there). */
export function unlockStep(input: HostPlanInput, service: string): Step {
  const paths = servicePaths(input.home, service);
  return {
    kind: 'command',
    host: input.host,
    command: command('rm', ['-rf', '--', paths.lock], `Release the deploy lock of ${service}`),
  };
}

/** Read the holder file of the deploy lock at `lockDir` (it prints nothing when the lock is free). */
export function lockHolderCommand(lockDir: string): RemoteCommand {
  return command('cat', [`${lockDir}/holder.json`], 'Read who holds the deploy lock');
}

/** Who forces a lock open, why, and who held it. */
export interface ForcedUnlock {
  readonly who: string;
  readonly service: string;
  readonly reason: string;
  /** The holder in words, when the lock had one. */
  readonly heldBy?: string;
}

/**
 * Force an abandoned deploy lock open: first a line in the service's audit
 * log on the host (the host's own UTC time, as every audit line), then the
 * lock removed, only if the line was written.
 */
export function forceOpenCommand(home: string, unlock: ForcedUnlock): RemoteCommand {
  const paths = servicePaths(home, unlock.service);
  const fields = {
    who: unlock.who,
    action: 'force-unlock',
    service: unlock.service,
    reason: unlock.reason,
    ...(unlock.heldBy ? { heldBy: unlock.heldBy } : {}),
  };
  return command(
    'sh',
    ['-c', `${auditScript} && rm -rf -- "$4"`, 'unlock', paths.dir, paths.audit, auditFields(fields), paths.lock],
    `Force the deploy lock of ${unlock.service} open: ${unlock.reason}`,
  );
}
