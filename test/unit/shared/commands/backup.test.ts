import { describe, expect, it } from 'vitest';
import { backupSteps, type ArtifactCheck } from '../../../../shared/commands/backup';
import type { Step } from '../../../../shared/deploy-plan';
import type { Server } from '../../../../shared/server';
import type { ServiceSpec } from '../../../../shared/service-spec';

const server = { id: 'id-1', name: 'prod-1' } as Server;
const spec = {
  backup: [
    { command: 'pg_dump -f /backups/{{release}}.sql', artifact: '/backups/{{release}}.sql' },
    { command: 'sync' },
  ],
} as unknown as ServiceSpec;

describe('the backup commands', () => {
  it('runs each backup command, then reads its artifact with stat, noting which step reads what', () => {
    const artifacts = new Map<Step, ArtifactCheck>();
    const steps = backupSteps(spec, 'v2', server, artifacts);
    expect(
      steps.map((s) =>
        s.kind === 'command' ? [s.host, s.command.program, ...s.command.args, s.allowFailure ?? false] : s.kind,
      ),
    ).toEqual([
      ['prod-1', 'sh', '-c', 'pg_dump -f /backups/v2.sql', false],
      ['prod-1', 'stat', '-c', '%s %Y', '--', '/backups/v2.sql', true],
      ['prod-1', 'sh', '-c', 'sync', false],
    ]);
    expect(steps.map((s) => (s.kind === 'command' ? s.command.purpose : ''))).toEqual([
      'Run a backup command of the spec',
      'Check that the backup /backups/v2.sql exists and is not empty',
      'Run a backup command of the spec',
    ]);
    expect([...artifacts.entries()]).toEqual([[steps[1], { host: 'prod-1', path: '/backups/v2.sql' }]]);
  });

  it('plans nothing for a spec without backups', () => {
    expect(backupSteps({ ...spec, backup: [] }, 'v2', server, new Map())).toEqual([]);
  });
});
