import { describe, expect, it } from 'vitest';
import { command } from '../../../../shared/commands/command';
import { auditPhrase, hostAuditCommand, hostAuditPaths, hostAuditStep } from '../../../../shared/commands/host-audit';
import type { HostPlanInput } from '../../../../shared/deploy-plan';

const input: HostPlanInput = {
  host: 'prod-1',
  home: '/home/deploy',
  standby: [],
  proxy: { upstreamFile: '/etc/nginx/shipdeck/web.conf', reload: command('nginx', ['-s', 'reload'], 'Reload nginx') },
  port: 3001,
};
const script = 'mkdir -p "$1" && printf \'{"at":"%s",%s}\\n\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$3" >> "$2"';

describe('the host audit commands', () => {
  it("appends a line with the host's UTC time, the fields one argument without their braces", () => {
    const line = hostAuditCommand(
      '/home/deploy/.shipdeck',
      '/home/deploy/.shipdeck/audit.log',
      { who: 'ana', action: 'restart' },
      'Note it',
    );
    expect([line.program, ...line.args]).toEqual([
      'sh',
      '-c',
      script,
      'audit',
      '/home/deploy/.shipdeck',
      '/home/deploy/.shipdeck/audit.log',
      '"who":"ana","action":"restart"',
    ]);
    expect(line.purpose).toBe('Note it');
  });

  it("notes a run's action in the service's audit log, allowed to fail", () => {
    const step = hostAuditStep(input, 'web', {
      who: 'ana',
      action: 'rollback',
      release: 'v1',
      runId: 'r1',
      detail: 'traffic back from v2',
    });
    if (step.kind !== 'command') throw new Error('expected a command');
    expect(step.allowFailure).toBe(true);
    expect(step.command.args).toEqual([
      '-c',
      script,
      'audit',
      '/home/deploy/.shipdeck/web',
      '/home/deploy/.shipdeck/web/audit.log',
      '"who":"ana","action":"rollback","service":"web","release":"v1","run":"r1","detail":"traffic back from v2"',
    ]);
    expect(step.command.purpose).toBe("Note in the host's audit log: back on v1");
  });

  it("says each action in words, and keeps the host's own log apart", () => {
    expect(['deploy', 'confirm', 'rollback', 'other'].map((a) => auditPhrase(a, 'v2'))).toEqual([
      'v2 deployed',
      'v2 confirmed',
      'back on v2',
      'v2 other',
    ]);
    expect(hostAuditPaths('/home/deploy')).toEqual({
      dir: '/home/deploy/.shipdeck',
      audit: '/home/deploy/.shipdeck/audit.log',
    });
  });
});
