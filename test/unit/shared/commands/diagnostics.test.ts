import { describe, expect, it } from 'vitest';
import {
  diskFree,
  dockerAndNginxJournal,
  dockerAndNginxStatus,
  dockerVersions,
  everyContainer,
  kernelAndOs,
  memoryFree,
  uptimeAndLoad,
} from '../../../../shared/commands/diagnostics';
import { diagnostics } from '../../../../shared/diagnostics';

const plain = (program: string, args: string[], purpose: string) => ({ program, args, purpose, redact: [] });

describe('diagnostic commands', () => {
  it('are read-only commands with fixed arguments', () => {
    expect(kernelAndOs).toEqual(plain('uname', ['-a'], 'Show the kernel and OS of the host'));
    expect(dockerVersions).toEqual(plain('docker', ['version'], 'Show the Docker client and engine versions'));
    expect(uptimeAndLoad).toEqual(plain('uptime', [], 'Show how long the host has run and its load'));
    expect(diskFree).toEqual(plain('df', ['-h'], 'Show free disk space per filesystem'));
    expect(everyContainer).toEqual(plain('docker', ['ps', '-a'], 'List every container on the host'));
    expect(memoryFree).toEqual(plain('free', ['-m'], 'Show used and free memory'));
    expect(dockerAndNginxStatus).toEqual(
      plain(
        'systemctl',
        ['status', 'docker', 'nginx', '--no-pager', '--lines', '20'],
        'Show the state of Docker and nginx under systemd',
      ),
    );
    expect(dockerAndNginxJournal).toEqual(
      plain(
        'journalctl',
        ['-u', 'docker', '-u', 'nginx', '-n', '100', '--no-pager'],
        'Show the last 100 journal lines of Docker and nginx',
      ),
    );
  });

  it('are the ones the diagnostics catalogue lists under each label', () => {
    expect(Object.fromEntries(Object.entries(diagnostics).map(([id, d]) => [id, [d.label, d.command]]))).toEqual({
      uname: ['System (uname -a)', kernelAndOs],
      'docker-version': ['Docker version', dockerVersions],
      uptime: ['Uptime and load', uptimeAndLoad],
      'disk-free': ['Disk space (df -h)', diskFree],
      'docker-ps': ['Containers (docker ps -a)', everyContainer],
      memory: ['Memory (free -m)', memoryFree],
      'systemctl-status': ['Services (systemctl status docker nginx)', dockerAndNginxStatus],
      journal: ['Journal (journalctl -u docker -u nginx)', dockerAndNginxJournal],
    });
  });
});
