import { describe, expect, it } from 'vitest';
import { command } from '../../../../shared/commands/command';
import {
  answeredByStep,
  blueGreenDeploySteps,
  retainSteps,
  stepsTowards,
  warmStandbySteps,
} from '../../../../shared/commands/release-steps';
import type { HostPlanInput } from '../../../../shared/deploy-plan';
import type { ServiceSpec } from '../../../../shared/service-spec';

const healthcheck = { path: '/up', status: 200, intervalMs: 1000, timeoutMs: 5000, retries: 30 };
const spec: ServiceSpec = {
  service: 'web',
  image: 'shop/web',
  port: 3000,
  servers: { production: ['prod-1'] },
  proxy: 'nginx',
  healthcheck,
  strategy: { kind: 'blue-green' },
  retain: 3,
  backup: [],
  hooks: { preDeploy: [], postDeploy: [] },
  env: { RAILS_ENV: 'production' },
  secrets: ['DB_PASSWORD'],
  staging: 'optional',
};
const reload = command('nginx', ['-s', 'reload'], 'Reload nginx');
const live = { release: 'v1', container: 'web-v1-3000', port: 3000 };
const input: HostPlanInput = {
  host: 'prod-1',
  home: '/home/deploy',
  live,
  standby: [],
  proxy: { upstreamFile: '/etc/nginx/shipdeck/web.conf', reload },
  port: 3001,
};
const switchTo = (port: number, purpose: string) => [
  {
    kind: 'write-file',
    host: 'prod-1',
    purpose,
    path: '/etc/nginx/shipdeck/web.conf',
    content: `# written by Shipdeck\nserver 127.0.0.1:${port};\n`,
  },
  { kind: 'command', host: 'prod-1', command: reload },
  { kind: 'settle', host: 'prod-1', purpose: "Let nginx's new workers take over from the old ones", ms: 300 },
];

describe('release steps', () => {
  it('blue-green: clears the name, runs the release beside the live one, checks its health and its port, then switches', () => {
    const { steps, next } = blueGreenDeploySteps(spec, 'v2', input, { DB_PASSWORD: 's3cret' });
    expect(next).toEqual({ release: 'v2', container: 'web-v2-3001', port: 3001 });
    expect(steps).toEqual([
      {
        kind: 'command',
        host: 'prod-1',
        command: {
          program: 'docker',
          args: ['rm', '--force', 'web-v2-3001'],
          purpose: 'Remove any earlier container named web-v2-3001',
          redact: [],
        },
        allowFailure: true,
      },
      {
        kind: 'command',
        host: 'prod-1',
        command: {
          program: 'docker',
          args: [
            'run',
            '--detach',
            '--name',
            'web-v2-3001',
            '--network',
            'host',
            '--init',
            '--restart',
            'unless-stopped',
            '--env',
            'RAILS_ENV=production',
            '--env',
            'DB_PASSWORD=s3cret',
            '--env',
            'PORT=3001',
            '--label',
            'shipdeck.service=web',
            '--label',
            'shipdeck.release=v2',
            '--label',
            'shipdeck.port=3001',
            'shop/web:v2',
          ],
          purpose: 'Start web v2 on port 3001, beside the live release',
          redact: ['s3cret'],
        },
      },
      { kind: 'health', host: 'prod-1', purpose: 'Wait until v2 answers /up with 200', port: 3001, check: healthcheck },
      {
        kind: 'answered-by',
        host: 'prod-1',
        purpose: 'Check that v2 is the process that answered (web-v2-3001 holds port 3001, never restarted)',
        container: 'web-v2-3001',
        port: 3001,
        fresh: true,
      },
      ...switchTo(3001, 'Send traffic to v2 (port 3001)'),
    ]);
  });

  it('warm standby: starts the kept container, checks it, then switches, with no new container', () => {
    const kept = { release: 'v0', container: 'web-v0-2999', port: 2999 };
    const { steps, next } = warmStandbySteps(spec, kept, { ...input, standby: [kept] });
    expect(next).toBe(kept);
    expect(steps).toEqual([
      {
        kind: 'command',
        host: 'prod-1',
        command: {
          program: 'docker',
          args: ['start', 'web-v0-2999'],
          purpose: 'Make sure v0, kept as a standby, runs (started if it was stopped)',
          redact: [],
        },
      },
      { kind: 'health', host: 'prod-1', purpose: 'Wait until v0 answers /up with 200', port: 2999, check: healthcheck },
      {
        kind: 'answered-by',
        host: 'prod-1',
        purpose: 'Check that v0 is the process that answered (web-v0-2999 holds port 2999)',
        container: 'web-v0-2999',
        port: 2999,
        fresh: false,
      },
      ...switchTo(2999, 'Send traffic to v0 (port 2999)'),
    ]);
  });

  it('towards a release: runs anew the one the plan named for its port, starts any other warm', () => {
    expect(stepsTowards(spec, { release: 'v2', container: 'web-v2-3001', port: 3001 }, input)).toEqual(
      blueGreenDeploySteps(spec, 'v2', input).steps,
    );
    const kept = { release: 'v0', container: 'web-v0-2999', port: 2999 };
    expect(stepsTowards(spec, kept, input)).toEqual(warmStandbySteps(spec, kept, input).steps);
  });

  it('answered-by names the container and the port, and says never restarted only for a fresh one', () => {
    expect(answeredByStep('prod-1', live, false)).toEqual({
      kind: 'answered-by',
      host: 'prod-1',
      purpose: 'Check that v1 is the process that answered (web-v1-3000 holds port 3000)',
      container: 'web-v1-3000',
      port: 3000,
      fresh: false,
    });
  });

  it('retain: keeps the first ranked containers besides the live one, each once, and removes the others', () => {
    const r = (release: string, port: number) => ({ release, container: `web-${release}-${port}`, port });
    const { kept, steps } = retainSteps(
      'prod-1',
      [r('v3', 3003), live, undefined, r('v3', 3003), r('v2', 3002), r('v0', 2999)],
      live,
      1,
    );
    expect(kept).toEqual([r('v3', 3003)]);
    expect(steps).toEqual([
      {
        kind: 'command',
        host: 'prod-1',
        command: {
          program: 'docker',
          args: ['rm', '--force', 'web-v2-3002'],
          purpose: 'Remove v2 (web-v2-3002), beyond the 1 releases kept',
          redact: [],
        },
        allowFailure: true,
      },
      {
        kind: 'command',
        host: 'prod-1',
        command: {
          program: 'docker',
          args: ['rm', '--force', 'web-v0-2999'],
          purpose: 'Remove v0 (web-v0-2999), beyond the 1 releases kept',
          redact: [],
        },
        allowFailure: true,
      },
    ]);
  });
});
