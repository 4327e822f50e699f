import { describe, expect, it } from 'vitest';
import { command, commandLine, shownLine } from '../../../shared/commands/command';
import { describeStep } from '../../../electron/engine/release/step-runner';
import { execFileSync } from 'node:child_process';
import { switchSteps, upstreamContent } from '../../../shared/commands/proxy';
import {
  blueGreenDeploySteps,
  retainSteps,
  stepsTowards,
  warmStandbySteps,
} from '../../../shared/commands/release-steps';
import { choosePort, listeningPorts, type HostPlanInput } from '../../../shared/deploy-plan';
import { hostAuditStep } from '../../../shared/commands/host-audit';
import { lockStep } from '../../../shared/commands/lock';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceSpec } from '../../../shared/service-spec';

const spec: ServiceSpec = {
  service: 'web',
  image: 'shop/web',
  port: 3000,
  servers: { production: ['prod-1'] },
  proxy: 'nginx',
  healthcheck: { path: '/up', status: 200, intervalMs: 1000, timeoutMs: 5000, retries: 30 },
  strategy: { kind: 'blue-green' },
  retain: 3,
  backup: [],
  hooks: { preDeploy: [], postDeploy: [] },
  env: { RAILS_ENV: 'production', GREETING: "it's live" },
  secrets: [],
  staging: 'optional',
};

const input: HostPlanInput = {
  host: 'prod-1',
  home: '/home/deploy',
  live: { release: 'v1', container: 'web-v1-3000', port: 3000 },
  standby: [],
  proxy: { upstreamFile: '/etc/nginx/shipdeck/web.conf', reload: command('nginx', ['-s', 'reload'], 'Reload nginx') },
  port: 3001,
};

const lines = (steps: ReturnType<typeof blueGreenDeploySteps>['steps']) =>
  steps.map((s) =>
    s.kind === 'command'
      ? commandLine(s.command)
      : s.kind === 'health'
        ? `health ${s.port}${s.check.path}`
        : s.kind === 'settle'
          ? 'settle'
          : s.kind === 'answered-by'
            ? `answered-by ${s.container}:${s.port}${s.fresh ? ' fresh' : ''}`
            : `write ${s.path} ${s.content.trim().split('\n').pop()}`,
  );

describe('going back to a kept standby', () => {
  it('starts the kept container again, checks it, then switches: no new container', () => {
    const kept = { release: 'v0', container: 'web-v0-2999', port: 2999 };
    const { steps, next } = warmStandbySteps(spec, kept, { ...input, standby: [kept] });
    expect(next).toBe(kept);
    expect(lines(steps)).toEqual([
      'docker start web-v0-2999',
      'health 2999/up',
      'answered-by web-v0-2999:2999',
      'write /etc/nginx/shipdeck/web.conf server 127.0.0.1:2999;',
      'nginx -s reload',
      'settle',
    ]);
  });
});

describe('resuming a host', () => {
  it('runs a new release anew, and starts a standby the plan reused warm again', () => {
    const fresh = blueGreenDeploySteps(spec, 'v2', input);
    expect(stepsTowards(spec, fresh.next, input)).toEqual(fresh.steps);
    const kept = { release: 'v0', container: 'web-v0-2999', port: 2999 };
    expect(lines(stepsTowards(spec, kept, { ...input, standby: [kept] }))[0]).toBe('docker start web-v0-2999');
  });
});

describe('the releases a host keeps', () => {
  it('keeps the first `retain` of the ranked containers besides the live one, each once, and removes the rest', () => {
    const r = (release: string, port: number) => ({ release, container: `web-${release}-${port}`, port });
    const live = r('v4', 3004);
    const { kept, steps } = retainSteps(
      'prod-1',
      [r('v3', 3003), undefined, live, r('v3', 3003), r('v2', 3002), r('v1', 3001)],
      live,
      1,
    );
    expect(kept).toEqual([r('v3', 3003)]);
    expect(lines(steps)).toEqual(['docker rm --force web-v2-3002', 'docker rm --force web-v1-3001']);
    expect(
      steps.every(
        (s) => s.kind === 'command' && s.allowFailure && s.command.purpose.includes('beyond the 1 releases kept'),
      ),
    ).toBe(true);
  });
});

describe('the host audit line', () => {
  it("appends one JSON line with the host's UTC time, whatever the text holds", () => {
    const home = mkdtempSync(join(tmpdir(), 'shipdeck-audit-line-'));
    const step = hostAuditStep({ ...input, home }, 'web', {
      who: 'ana@laptop',
      action: 'deploy',
      release: 'v2',
      runId: 'r1',
      detail: `it's "quoted" $HOME %s \\n`,
    });
    if (step.kind !== 'command') throw new Error('expected a command');
    for (let i = 0; i < 2; i++) execFileSync('sh', ['-c', commandLine(step.command)]);
    const lines = readFileSync(join(home, '.shipdeck', 'web', 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      who: 'ana@laptop',
      action: 'deploy',
      service: 'web',
      release: 'v2',
      run: 'r1',
      detail: `it's "quoted" $HOME %s \\n`,
    });
  });
});

describe('a blue-green plan on one host', () => {
  it('starts the release beside the live one, waits for health, checks it is ours, then switches nginx', () => {
    const { steps, next } = blueGreenDeploySteps(spec, 'v2', input);
    expect(next).toEqual({ release: 'v2', container: 'web-v2-3001', port: 3001 });
    expect(lines(steps)).toEqual([
      'docker rm --force web-v2-3001',
      "docker run --detach --name web-v2-3001 --network host --init --restart unless-stopped --env RAILS_ENV=production --env 'GREETING=it'\\''s live' --env PORT=3001 --label shipdeck.service=web --label shipdeck.release=v2 --label shipdeck.port=3001 shop/web:v2",
      'health 3001/up',
      'answered-by web-v2-3001:3001 fresh',
      'write /etc/nginx/shipdeck/web.conf server 127.0.0.1:3001;',
      'nginx -s reload',
      'settle',
    ]);
  });

  it('gives the container its secrets, which every shown line carries as ***', () => {
    const { steps } = blueGreenDeploySteps({ ...spec, secrets: ['DB_PASSWORD'] }, 'v2', input, {
      DB_PASSWORD: "s3cr'et",
    });
    const run = steps.find((s) => s.kind === 'command' && s.command.args[0] === 'run');
    if (run?.kind !== 'command') throw new Error('no docker run step');
    expect(commandLine(run.command)).toContain("--env 'DB_PASSWORD=s3cr'\\''et'");
    expect(run.command.redact).toEqual(["s3cr'et"]);
    expect(shownLine(run.command)).toContain("--env 'DB_PASSWORD=***'");
    expect(shownLine(run.command)).not.toContain('s3cr');
    expect(describeStep(run)).not.toContain('s3cr');
  });

  it('switches back to a port with the same two steps', () => {
    expect(switchSteps(input, 3000, 'back').map((s) => s.kind)).toEqual(['write-file', 'command', 'settle']);
    expect(upstreamContent(3000)).toContain('server 127.0.0.1:3000;');
  });

  it('takes the lock with an atomic mkdir, passing values as arguments rather than in the script', () => {
    const step = lockStep(input, 'web', {
      who: "ana o'neil",
      since: '2026-11-22T10:00:00Z',
      release: 'v2',
      runId: 'r1',
    });
    expect(step.kind).toBe('command');
    if (step.kind !== 'command') return;
    expect(step.command.args[1]).toContain(
      'if mkdir "$2" 2>/dev/null; then printf "%s\\n" "$3" > "$2/holder.json.new" && mv -f "$2/holder.json.new" "$2/holder.json"; exit; fi',
    );
    expect(step.command.args.slice(3, 5)).toEqual(['/home/deploy/.shipdeck/web', '/home/deploy/.shipdeck/web/lock']);
    expect(JSON.parse(step.command.args[5]!)).toMatchObject({ who: "ana o'neil", release: 'v2' });
    // A lock already there is this run's own when its holder names this run (servers sharing a home).
    expect(step.command.args[1]).toContain('grep -qF -- "$4" "$2/holder.json"');
    expect(step.command.args[6]).toBe('"runId":"r1"');
    expect(step.command.args[5]).toContain(step.command.args[6]);
  });
});

describe('choosing a port', () => {
  it('takes the first port from the base that nothing listens on or holds', () => {
    expect(choosePort(3000, new Set([3000, 3001]), new Set([3002]))).toBe(3003);
    expect(choosePort(3000, new Set(), new Set())).toBe(3000);
  });

  it('reads listening ports from /proc/net/tcp', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0',
      '   1: 0100007F:0BB9 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1',
      '   2: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 3',
    ].join('\n');
    expect([...listeningPorts(text)].sort()).toEqual([3000, 8080]);
  });
});
