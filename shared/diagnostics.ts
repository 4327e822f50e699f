import type { RemoteCommand } from './commands/command';
import {
  diskFree,
  dockerAndNginxJournal,
  dockerAndNginxStatus,
  dockerVersions,
  everyContainer,
  kernelAndOs,
  memoryFree,
  uptimeAndLoad,
} from './commands/diagnostics';

/** Read-only diagnostics a person may run on any server at any time. */
export const diagnostics = {
  uname: { label: 'System (uname -a)', command: kernelAndOs },
  'docker-version': { label: 'Docker version', command: dockerVersions },
  uptime: { label: 'Uptime and load', command: uptimeAndLoad },
  'disk-free': { label: 'Disk space (df -h)', command: diskFree },
  'docker-ps': { label: 'Containers (docker ps -a)', command: everyContainer },
  memory: { label: 'Memory (free -m)', command: memoryFree },
  'systemctl-status': { label: 'Services (systemctl status docker nginx)', command: dockerAndNginxStatus },
  journal: { label: 'Journal (journalctl -u docker -u nginx)', command: dockerAndNginxJournal },
} as const satisfies Record<string, { label: string; command: RemoteCommand }>;

export type DiagnosticId = keyof typeof diagnostics;

export const diagnosticIds = Object.keys(diagnostics) as DiagnosticId[];
