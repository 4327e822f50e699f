import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import type { RemoteCommand } from '../../../shared/commands/command';
import { containerPids, containerState } from '../../../shared/commands/container';
import { socketHoldersInContainerCommand } from '../../../shared/commands/port-owner';
import type { SshLink } from '../fleet/ssh-link';

/** What a read printed, and how it ended (null: it could not run). */
export interface ReadResult {
  readonly exitCode: number | null;
  readonly stdout: string;
}

/**
 * The container facts the proof of who answers needs: its host pids, whether it
 * runs and how often it restarted, and a socket search inside it. Through the
 * Docker API over the server's shared link where it is open (no docker CLI
 * started per read), else with the docker CLI over SSH; both print the same text.
 */
export interface ContainerReads {
  /** Like `docker top <c> -o pid`: a header, then one host pid a line. */
  pids(container: string): Promise<ReadResult>;
  /** Like `docker inspect --format '{{.State.Running}} {{.RestartCount}}'`. */
  state(container: string): Promise<ReadResult>;
  /** The socket search of socketHoldersInContainerCommand, run inside the container. */
  holdersInside(container: string, inodes: readonly string[]): Promise<ReadResult>;
}

/** Reads through the docker CLI on the host, over the SSH link. */
export function cliReads(link: SshLink): ContainerReads {
  return {
    pids: (container) => read(link, containerPids(container)),
    state: (container) => read(link, containerState(container)),
    holdersInside: (container, inodes) => read(link, socketHoldersInContainerCommand(container, inodes)),
  };
}

/** Reads through the Docker API over the shared link: the same facts, without a CLI process per read. */
export function apiReads(docker: Docker): ContainerReads {
  const failed: ReadResult = { exitCode: 1, stdout: '' };
  return {
    async pids(container) {
      const top = await docker
        .getContainer(container)
        .top({ ps_args: '-o pid' })
        .catch(() => undefined);
      if (!top) return failed;
      const rows = (top.Processes ?? []).map((row: string[]) => row[0]);
      return { exitCode: 0, stdout: ['PID', ...rows].join('\n') + '\n' };
    },
    async state(container) {
      const info = await docker
        .getContainer(container)
        .inspect()
        .catch(() => undefined);
      return info ? { exitCode: 0, stdout: `${info.State.Running} ${info.RestartCount}\n` } : failed;
    },
    async holdersInside(container, inodes) {
      // The argument vector after `docker exec <container>`: the builder stays the one place the search is written.
      const cmd = socketHoldersInContainerCommand(container, inodes).args.slice(2);
      try {
        const exec = await docker
          .getContainer(container)
          .exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true });
        const stream = await exec.start({ hijack: true, stdin: false });
        const stdout = new PassThrough();
        let text = '';
        stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        docker.modem.demuxStream(stream, stdout, new PassThrough().resume());
        await new Promise<void>((resolve, reject) => {
          stream.on('end', resolve);
          stream.on('close', resolve);
          stream.on('error', reject);
        });
        const { ExitCode } = await exec.inspect();
        return { exitCode: ExitCode ?? null, stdout: text };
      } catch {
        return { exitCode: null, stdout: '' };
      }
    },
  };
}

/** Run one command over the link and keep what it printed. */
export async function read(link: SshLink, cmd: RemoteCommand): Promise<ReadResult> {
  let stdout = '';
  const result = await link.exec(cmd, { onStdout: (t) => (stdout += t) });
  return { exitCode: result.exitCode, stdout };
}
