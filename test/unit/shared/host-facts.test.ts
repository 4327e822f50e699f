import { describe, expect, it } from 'vitest';
import { factsFromProc, parseHostFacts } from '../../../shared/host-facts';

const sample = [
  'os=Debian GNU/Linux 12 (bookworm)',
  'kernel=Linux 6.1.0',
  'uptime=93784.52',
  'load=0.50 0.25 0.10',
  'cpus=4',
  'memtotal=8000000',
  'memavailable=6000000',
  'disk=100000000 25000000 /',
  '',
].join('\n');

describe('host facts', () => {
  it('reads what the probe prints', () => {
    expect(parseHostFacts(sample)).toEqual({
      os: 'Debian GNU/Linux 12 (bookworm)',
      kernel: 'Linux 6.1.0',
      uptimeSeconds: 93785,
      load: [0.5, 0.25, 0.1],
      cpus: 4,
      memory: { totalBytes: 8_192_000_000, availableBytes: 6_144_000_000 },
      disk: { path: '/', totalBytes: 102_400_000_000, usedBytes: 25_600_000_000 },
    });
  });

  it('names the first missing fact instead of inventing one', () => {
    expect(parseHostFacts(sample.replace(/memavailable=.*\n/, ''))).toEqual({ missing: 'memAvailable' });
    expect(parseHostFacts(sample.replace('load=0.50 0.25 0.10', 'load=?'))).toEqual({ missing: 'load' });
    expect(parseHostFacts('')).toEqual({ missing: 'uptime' });
  });
});

describe('host facts from /proc', () => {
  it('computes what df and uptime report', () => {
    expect(
      factsFromProc({
        osRelease: 'NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
        ostype: 'Linux\n',
        osrelease: '6.1.0-18-amd64\n',
        cpuinfo: 'processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\nmodel name\t: x\n',
        uptime: '93784.52 180000.10\n',
        loadavg: '0.50 0.25 0.10 1/200 3000\n',
        meminfo: 'MemTotal:        8000000 kB\nMemFree:  100 kB\nMemAvailable:    6000000 kB\n',
        rootFs: { blockSize: 4096, blocks: 25_000_000, freeBlocks: 18_750_000 },
      }),
    ).toEqual({
      os: 'Debian GNU/Linux 12 (bookworm)',
      kernel: 'Linux 6.1.0-18-amd64',
      uptimeSeconds: 93785,
      load: [0.5, 0.25, 0.1],
      cpus: 2,
      memory: { totalBytes: 8_192_000_000, availableBytes: 6_144_000_000 },
      disk: { path: '/', totalBytes: 102_400_000_000, usedBytes: 25_600_000_000 },
    });
  });

  it('says which fact is missing when a file is empty', () => {
    expect(
      factsFromProc({
        osRelease: '',
        ostype: 'Linux',
        osrelease: '6',
        cpuinfo: '',
        uptime: '1 1',
        loadavg: '0 0 0',
        meminfo: '',
        rootFs: { blockSize: 1, blocks: 1, freeBlocks: 1 },
      }),
    ).toEqual({ missing: 'memTotal' });
  });
});
