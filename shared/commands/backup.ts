import { command } from './command';
import type { Step } from '../deploy-plan';
import type { Server } from '../server';
import type { ServiceSpec } from '../service-spec';

/** Where a backup artifact check reads: the host and the file. */
export interface ArtifactCheck {
  readonly host: string;
  readonly path: string;
}

/**
 * BACKUP on one host: each command of the spec, `{{release}}` replaced, then
 * its artifact read with `stat` (size and time), which the backup checklist
 * item is ticked from, or not. Each artifact check is noted in `artifacts`.
 */
export function backupSteps(
  spec: ServiceSpec,
  version: string,
  server: Server,
  artifacts: Map<Step, ArtifactCheck>,
): Step[] {
  return spec.backup.flatMap((backup): Step[] => {
    const run: Step = {
      kind: 'command',
      host: server.name,
      command: command(
        'sh',
        ['-c', backup.command.replaceAll('{{release}}', version)],
        'Run a backup command of the spec',
      ),
    };
    if (!backup.artifact) return [run];
    const path = backup.artifact.replaceAll('{{release}}', version);
    const check: Step = {
      kind: 'command',
      host: server.name,
      command: command('stat', ['-c', '%s %Y', '--', path], `Check that the backup ${path} exists and is not empty`),
      allowFailure: true,
    };
    artifacts.set(check, { host: server.name, path });
    return [run, check];
  });
}
