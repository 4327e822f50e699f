import { command, type RemoteCommand } from './command';

/** The Docker engine on a host: where it listens, whether this user may use it, whether it answers. */

/** DOCKER_HOST as an SSH session on the host sees it. */
export function dockerHostVariable(): RemoteCommand {
  return command('printenv', ['DOCKER_HOST'], 'Find where Docker listens on the host');
}

/** Exits 0 when a socket is at the path. */
export function dockerSocketExists(socketPath: string): RemoteCommand {
  return command('test', ['-S', socketPath], 'Check that the Docker socket exists');
}

/** Exits 0 when the login user may write to the socket (use Docker). */
export function dockerSocketWritable(socketPath: string): RemoteCommand {
  return command('test', ['-w', socketPath], 'Check that the user may use the Docker socket');
}

/** Docker's API as the stdin/stdout of the docker CLI, for servers that forbid stream forwarding. */
export function dialStdio(socketPath: string): RemoteCommand {
  return command(
    'docker',
    ['-H', `unix://${socketPath}`, 'system', 'dial-stdio'],
    'Reach the Docker API through the docker CLI',
  );
}

/** The engine's version, one line: proof that the engine answers. */
export function dockerServerVersion(): RemoteCommand {
  return command('docker', ['version', '--format', '{{.Server.Version}}'], 'Check that Docker answers');
}
