import { command, type RemoteCommand } from './commands/command';

/** Read-only diagnostics a person may run on any server at any time. */
export const diagnostics = {
  uname: { label: 'System (uname -a)', command: command('uname', ['-a'], 'Show the kernel and OS of the host') },
  'docker-version': { label: 'Docker version', command: command('docker', ['version'], 'Show the Docker client and engine versions') },
  uptime: { label: 'Uptime and load', command: command('uptime', [], 'Show how long the host has run and its load') },
  'disk-free': { label: 'Disk space (df -h)', command: command('df', ['-h'], 'Show free disk space per filesystem') },
  'docker-ps': { label: 'Containers (docker ps -a)', command: command('docker', ['ps', '-a'], 'List every container on the host') },
  memory: { label: 'Memory (free -m)', command: command('free', ['-m'], 'Show used and free memory') },
  'systemctl-status': { label: 'Services (systemctl status docker nginx)', command: command('systemctl', ['status', 'docker', 'nginx', '--no-pager', '--lines', '20'], 'Show the state of Docker and nginx under systemd') },
  journal: { label: 'Journal (journalctl -u docker -u nginx)', command: command('journalctl', ['-u', 'docker', '-u', 'nginx', '-n', '100', '--no-pager'], 'Show the last 100 journal lines of Docker and nginx') },
} as const satisfies Record<string, { label: string; command: RemoteCommand }>;

export type DiagnosticId = keyof typeof diagnostics;

export const diagnosticIds = Object.keys(diagnostics) as DiagnosticId[];
