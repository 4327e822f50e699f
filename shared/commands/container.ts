import { command, type RemoteCommand } from './command';
import type { ServiceSpec } from '../service-spec';

/**
 * A release's container, through the docker CLI on the host. Each builder fixes the
 * program and its arguments; `purpose` is the caller's reason, in the user's words.
 */

/** The container name of a release on a port: `<service>-<release>-<port>`, the release made safe for Docker. */
export function containerName(service: string, release: string, port: number): string {
  return `${service}-${release.replace(/[^A-Za-z0-9_.-]/g, '_')}-${port}`;
}

/**
 * Start a release in a new container on the host's network, listening on `port`, labelled for
 * the service. Secret values go in the command (the container needs them) and in its redact
 * list, so they show as *** wherever it is shown.
 */
export function runRelease(
  spec: ServiceSpec,
  release: string,
  port: number,
  secrets: Readonly<Record<string, string>> = {},
): RemoteCommand {
  const name = containerName(spec.service, release, port);
  const env = Object.entries({ ...spec.env, ...secrets, PORT: String(port) }).flatMap(([k, v]) => [
    '--env',
    `${k}=${v}`,
  ]);
  return command(
    'docker',
    [
      'run',
      '--detach',
      '--name',
      name,
      '--network',
      'host',
      '--init',
      '--restart',
      'unless-stopped',
      ...env,
      '--label',
      `shipdeck.service=${spec.service}`,
      '--label',
      `shipdeck.release=${release}`,
      '--label',
      `shipdeck.port=${port}`,
      `${spec.image}:${release}`,
    ],
    `Start ${spec.service} ${release} on port ${port}, beside the live release`,
    Object.values(secrets),
  );
}

/** Remove a container, running or not. */
export function removeContainer(container: string, purpose: string): RemoteCommand {
  return command('docker', ['rm', '--force', container], purpose);
}

/** Start a container that exists (a no-op when it runs). */
export function startContainer(container: string, purpose: string): RemoteCommand {
  return command('docker', ['start', container], purpose);
}

/** Stop a container, killing it after 5 s: it stays, for diagnosis or a later start. */
export function stopContainer(container: string, purpose: string): RemoteCommand {
  return command('docker', ['stop', '--time', '5', container], purpose);
}

/** The last `lines` lines a container wrote, stdout and stderr. */
export function containerLogs(container: string, lines: number, purpose: string): RemoteCommand {
  return command('docker', ['logs', '--tail', String(lines), container], purpose);
}

/** Whether the container runs, how often it restarted, in one line: `true 0`. */
export function containerState(container: string): RemoteCommand {
  return command(
    'docker',
    ['inspect', '--format', '{{.State.Running}} {{.RestartCount}}', container],
    `Read whether ${container} runs and how often it restarted`,
  );
}

/** The host's process ids of the container's processes (its init and the app), one a line after a header. */
export function containerPids(container: string): RemoteCommand {
  return command('docker', ['top', container, '-o', 'pid'], `List the processes of ${container}`);
}
