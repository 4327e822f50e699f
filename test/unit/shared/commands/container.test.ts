import { describe, expect, it } from 'vitest';
import {
  containerLogs,
  containerName,
  containerPids,
  containerState,
  removeContainer,
  runRelease,
  startContainer,
  stopContainer,
} from '../../../../shared/commands/container';
import type { ServiceSpec } from '../../../../shared/service-spec';

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
  secrets: ['DB_PASSWORD'],
  staging: 'optional',
};

describe('container commands', () => {
  it('names a release by service, release (made safe for Docker) and port', () => {
    expect(containerName('web', 'v2', 3001)).toBe('web-v2-3001');
    expect(containerName('web', 'feature/x y:1', 3001)).toBe('web-feature_x_y_1-3001');
  });

  it('runs a release on the host network with its env, its secrets (redacted), PORT last, and the service labels', () => {
    expect(runRelease(spec, 'v2', 3001, { DB_PASSWORD: 's3cret' })).toEqual({
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
        "GREETING=it's live",
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
    });
    expect(runRelease(spec, 'v2', 3001).redact).toEqual([]);
  });

  it("removes, starts and stops a container with the caller's purpose", () => {
    expect(removeContainer('web-v1-3000', 'Remove v1')).toEqual({
      program: 'docker',
      args: ['rm', '--force', 'web-v1-3000'],
      purpose: 'Remove v1',
      redact: [],
    });
    expect(startContainer('web-v1-3000', 'Start v1')).toEqual({
      program: 'docker',
      args: ['start', 'web-v1-3000'],
      purpose: 'Start v1',
      redact: [],
    });
    expect(stopContainer('web-1', 'Stop web-1')).toEqual({
      program: 'docker',
      args: ['stop', '--time', '5', 'web-1'],
      purpose: 'Stop web-1',
      redact: [],
    });
  });

  it('reads the last lines a container wrote', () => {
    expect(containerLogs('web-v2-3001', 20, 'Read the last lines v2 wrote')).toEqual({
      program: 'docker',
      args: ['logs', '--tail', '20', 'web-v2-3001'],
      purpose: 'Read the last lines v2 wrote',
      redact: [],
    });
  });

  it('reads whether a container runs, its restarts and its processes', () => {
    expect(containerState('web-v2-3001')).toEqual({
      program: 'docker',
      args: ['inspect', '--format', '{{.State.Running}} {{.RestartCount}}', 'web-v2-3001'],
      purpose: 'Read whether web-v2-3001 runs and how often it restarted',
      redact: [],
    });
    expect(containerPids('web-v2-3001')).toEqual({
      program: 'docker',
      args: ['top', 'web-v2-3001', '-o', 'pid'],
      purpose: 'List the processes of web-v2-3001',
      redact: [],
    });
  });
});
