import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLine } from '../../../../shared/commands/command';
import { forceOpenCommand, lockHolderCommand, lockStep, unlockStep } from '../../../../shared/commands/lock';
import type { HostPlanInput } from '../../../../shared/deploy-plan';
import { command } from '../../../../shared/commands/command';

const input: HostPlanInput = {
  host: 'prod-1',
  home: '/home/deploy',
  standby: [],
  proxy: { upstreamFile: '/etc/nginx/shipdeck/web.conf', reload: command('nginx', ['-s', 'reload'], 'Reload nginx') },
  port: 3001,
};

describe('the deploy lock commands', () => {
  it('takes the lock with one sh script, every value an argument', () => {
    const step = lockStep(input, 'web', { who: 'ana', since: '2026-11-22T10:00:00Z', release: 'v2', runId: 'r1' });
    if (step.kind !== 'command') throw new Error('expected a command');
    expect(step.host).toBe('prod-1');
    expect(step.command.program).toBe('sh');
    expect(step.command.args).toEqual([
      '-c',
      'mkdir -p "$1" || exit 1; if mkdir "$2" 2>/dev/null; then printf "%s\\n" "$3" > "$2/holder.json.new" && mv -f "$2/holder.json.new" "$2/holder.json"; exit; fi; i=0; while [ ! -s "$2/holder.json" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; grep -qF -- "$4" "$2/holder.json"',
      'lock',
      '/home/deploy/.shipdeck/web',
      '/home/deploy/.shipdeck/web/lock',
      '{"who":"ana","since":"2026-11-22T10:00:00Z","release":"v2","runId":"r1"}',
      '"runId":"r1"',
    ]);
    expect(step.command.purpose).toBe('Take the deploy lock of web');
  });

  it('releases the lock by removing its folder', () => {
    const step = unlockStep(input, 'web');
    if (step.kind !== 'command') throw new Error('expected a command');
    expect([step.host, step.command.program, ...step.command.args]).toEqual([
      'prod-1',
      'rm',
      '-rf',
      '--',
      '/home/deploy/.shipdeck/web/lock',
    ]);
    expect(step.allowFailure).toBeUndefined();
  });

  it('reads the holder file', () => {
    const read = lockHolderCommand('/home/deploy/.shipdeck/web/lock');
    expect([read.program, ...read.args]).toEqual(['cat', '/home/deploy/.shipdeck/web/lock/holder.json']);
    expect(read.purpose).toBe('Read who holds the deploy lock');
  });

  it('forces the lock open after an audit line stamped by the host, its fields one argument', () => {
    const open = forceOpenCommand('/home/deploy', {
      who: 'ben@desk',
      service: 'web',
      reason: 'laptop died',
      heldBy: 'ana since x for v2',
    });
    expect(open.program).toBe('sh');
    expect(open.args).toEqual([
      '-c',
      'mkdir -p "$1" && printf \'{"at":"%s",%s}\\n\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$3" >> "$2" && rm -rf -- "$4"',
      'unlock',
      '/home/deploy/.shipdeck/web',
      '/home/deploy/.shipdeck/web/audit.log',
      '"who":"ben@desk","action":"force-unlock","service":"web","reason":"laptop died","heldBy":"ana since x for v2"',
      '/home/deploy/.shipdeck/web/lock',
    ]);
    expect(open.purpose).toBe('Force the deploy lock of web open: laptop died');
    // A lock with no holder file: no heldBy field.
    expect(forceOpenCommand('/home/deploy', { who: 'ben', service: 'web', reason: 'r' }).args[5]).toBe(
      '"who":"ben","action":"force-unlock","service":"web","reason":"r"',
    );
  });

  it('writes one line in the format of every other audit line, then removes the lock', () => {
    const home = mkdtempSync(join(tmpdir(), 'shipdeck-force-open-'));
    const lock = join(home, '.shipdeck', 'web', 'lock');
    mkdirSync(lock, { recursive: true });
    writeFileSync(join(lock, 'holder.json'), '{}');
    execFileSync('sh', [
      '-c',
      commandLine(forceOpenCommand(home, { who: 'ben', service: 'web', reason: `it's "stuck" $HOME %s` })),
    ]);
    expect(existsSync(lock)).toBe(false);
    const lines = readFileSync(join(home, '.shipdeck', 'web', 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      {
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        who: 'ben',
        action: 'force-unlock',
        service: 'web',
        reason: `it's "stuck" $HOME %s`,
      },
    ]);
  });
});
