import { command, type RemoteCommand } from './command';

/** Read-only diagnostics a person may run on any server at any time. */
export const diagnostics = {
  uname: { label: 'System (uname -a)', command: command('uname', ['-a'], 'Show the kernel and OS of the host') },
  'docker-version': { label: 'Docker version', command: command('docker', ['version'], 'Show the Docker client and engine versions') },
  uptime: { label: 'Uptime and load', command: command('uptime', [], 'Show how long the host has run and its load') },
  'disk-free': { label: 'Disk space (df -h)', command: command('df', ['-h'], 'Show free disk space per filesystem') },
  'docker-ps': { label: 'Containers (docker ps -a)', command: command('docker', ['ps', '-a'], 'List every container on the host') },
} as const satisfies Record<string, { label: string; command: RemoteCommand }>;

export type DiagnosticId = keyof typeof diagnostics;

export const diagnosticIds = Object.keys(diagnostics) as DiagnosticId[];
