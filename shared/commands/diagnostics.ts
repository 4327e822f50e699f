import { command, type RemoteCommand } from './command';

/** Read-only diagnostics a person may run on any server at any time (their labels are in shared/diagnostics.ts). */

/** `uname -a`. */
export const kernelAndOs: RemoteCommand = command('uname', ['-a'], 'Show the kernel and OS of the host');

/** `docker version`: client and engine. */
export const dockerVersions: RemoteCommand = command(
  'docker',
  ['version'],
  'Show the Docker client and engine versions',
);

/** `uptime`. */
export const uptimeAndLoad: RemoteCommand = command('uptime', [], 'Show how long the host has run and its load');

/** `df -h`. */
export const diskFree: RemoteCommand = command('df', ['-h'], 'Show free disk space per filesystem');

/** `docker ps -a`: stopped containers too. */
export const everyContainer: RemoteCommand = command('docker', ['ps', '-a'], 'List every container on the host');

/** `free -m`. */
export const memoryFree: RemoteCommand = command('free', ['-m'], 'Show used and free memory');

/** `systemctl status docker nginx`, without a pager. */
export const dockerAndNginxStatus: RemoteCommand = command(
  'systemctl',
  ['status', 'docker', 'nginx', '--no-pager', '--lines', '20'],
  'Show the state of Docker and nginx under systemd',
);

/** The journal's last 100 lines of Docker and nginx. */
export const dockerAndNginxJournal: RemoteCommand = command(
  'journalctl',
  ['-u', 'docker', '-u', 'nginx', '-n', '100', '--no-pager'],
  'Show the last 100 journal lines of Docker and nginx',
);
