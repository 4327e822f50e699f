import { describe, expect, it } from 'vitest';
import {
  dialStdio,
  dockerHostVariable,
  dockerServerVersion,
  dockerSocketExists,
  dockerSocketWritable,
} from '../../../../shared/commands/docker-engine';

describe('Docker engine commands', () => {
  it('reads where Docker listens, and whether its socket is there and usable', () => {
    expect(dockerHostVariable()).toEqual({
      program: 'printenv',
      args: ['DOCKER_HOST'],
      purpose: 'Find where Docker listens on the host',
      redact: [],
    });
    expect(dockerSocketExists('/var/run/docker.sock')).toEqual({
      program: 'test',
      args: ['-S', '/var/run/docker.sock'],
      purpose: 'Check that the Docker socket exists',
      redact: [],
    });
    expect(dockerSocketWritable('/var/run/docker.sock')).toEqual({
      program: 'test',
      args: ['-w', '/var/run/docker.sock'],
      purpose: 'Check that the user may use the Docker socket',
      redact: [],
    });
  });

  it("reaches the API through the docker CLI, and reads the engine's version", () => {
    expect(dialStdio('/var/run/docker.sock')).toEqual({
      program: 'docker',
      args: ['-H', 'unix:///var/run/docker.sock', 'system', 'dial-stdio'],
      purpose: 'Reach the Docker API through the docker CLI',
      redact: [],
    });
    expect(dockerServerVersion()).toEqual({
      program: 'docker',
      args: ['version', '--format', '{{.Server.Version}}'],
      purpose: 'Check that Docker answers',
      redact: [],
    });
  });
});
