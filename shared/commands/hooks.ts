import { command } from './command';
import type { Step } from '../deploy-plan';
import type { Server } from '../server';

/** The spec's pre- or post-deploy commands on one host, `{{release}}` replaced. */
export function hookSteps(
  commands: readonly string[],
  version: string,
  server: Server,
  hook: 'pre-deploy' | 'post-deploy',
): Step[] {
  return commands.map((line) => ({
    kind: 'command',
    host: server.name,
    command: command('sh', ['-c', line.replaceAll('{{release}}', version)], `Run the ${hook} hook`),
  }));
}
