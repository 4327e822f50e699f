import { describe, expect, it } from 'vitest';
import { parseHostFacts } from '../../shared/host-facts';

const sample = ['os=Debian GNU/Linux 12 (bookworm)', 'kernel=Linux 6.1.0', 'uptime=93784.52', 'load=0.50 0.25 0.10', 'cpus=4', 'memtotal=8000000', 'memavailable=6000000', 'disk=100000000 25000000 /', ''].join('\n');

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
