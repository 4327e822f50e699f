import { describe, expect, it } from 'vitest';
import { command } from '../../../../shared/commands/command';
import {
  readUpstream,
  reloadProxy,
  reloadSettleMs,
  switchSteps,
  upstreamContent,
} from '../../../../shared/commands/proxy';
import type { HostPlanInput } from '../../../../shared/deploy-plan';

const reload = command('nginx', ['-s', 'reload'], 'Reload nginx');
const input: HostPlanInput = {
  host: 'prod-1',
  home: '/home/deploy',
  standby: [],
  proxy: { upstreamFile: '/etc/nginx/shipdeck/web.conf', reload },
  port: 3001,
};

describe('proxy commands', () => {
  it("writes one upstream server on the host's loopback", () => {
    expect(upstreamContent(3001)).toBe('# written by Shipdeck\nserver 127.0.0.1:3001;\n');
  });

  it('switches by writing the upstream file, reloading, then letting the new workers take over', () => {
    expect(switchSteps(input, 3001, 'Send traffic to v2 (port 3001)')).toEqual([
      {
        kind: 'write-file',
        host: 'prod-1',
        purpose: 'Send traffic to v2 (port 3001)',
        path: '/etc/nginx/shipdeck/web.conf',
        content: '# written by Shipdeck\nserver 127.0.0.1:3001;\n',
      },
      { kind: 'command', host: 'prod-1', command: reload },
      { kind: 'settle', host: 'prod-1', purpose: "Let nginx's new workers take over from the old ones", ms: 300 },
    ]);
    expect(reloadSettleMs).toBe(300);
  });

  it("reloads with the server's own line, through a shell", () => {
    expect(reloadProxy('sudo systemctl reload nginx')).toEqual({
      program: 'sh',
      args: ['-c', 'sudo systemctl reload nginx'],
      purpose: 'Reload nginx (graceful)',
      redact: [],
    });
  });

  it('reads the upstream file', () => {
    expect(readUpstream('/etc/nginx/shipdeck/web.conf')).toEqual({
      program: 'cat',
      args: ['/etc/nginx/shipdeck/web.conf'],
      purpose: 'Read where nginx sends traffic',
      redact: [],
    });
  });
});
