import { command, type RemoteCommand } from './command';
import type { HostPlanInput, Step } from '../deploy-plan';

/** nginx's reload is a signal: the master starts new workers and retires the old ones shortly after it returns. */
export const reloadSettleMs = 300;

/** The upstream file's content: nginx sends every request to one port on this host. */
export function upstreamContent(port: number): string {
  return `# written by Shipdeck\nserver 127.0.0.1:${port};\n`;
}

/** Point nginx at a port and reload it (graceful: in-flight requests finish on the old upstream). */
export function switchSteps(input: HostPlanInput, port: number, purpose: string): Step[] {
  return [
    { kind: 'write-file', host: input.host, purpose, path: input.proxy.upstreamFile, content: upstreamContent(port) },
    { kind: 'command', host: input.host, command: input.proxy.reload },
    {
      kind: 'settle',
      host: input.host,
      purpose: "Let nginx's new workers take over from the old ones",
      ms: reloadSettleMs,
    },
  ];
}

/** The server's reload line (its proxy settings), run by a shell as the operator wrote it. */
export function reloadProxy(line: string): RemoteCommand {
  return command('sh', ['-c', line], 'Reload nginx (graceful)');
}

/** The upstream file as the host has it: which port nginx sends traffic to now. */
export function readUpstream(upstreamFile: string): RemoteCommand {
  return command('cat', [upstreamFile], 'Read where nginx sends traffic');
}
