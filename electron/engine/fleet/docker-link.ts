import { Agent } from 'node:http';
import { inspect } from 'node:util';
import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { dockerHostVariable, dockerSocketExists, dockerSocketWritable } from '../../../shared/commands/docker-engine';
import { ProblemError, type Problem } from '../../../shared/problem';
import { defaultDockerSocket, type Server } from '../../../shared/server';
import type { ContainerSummary } from '../../../shared/docker';
import { demultiplex, FrameReader, type LogFrame } from './docker-frames';
import type { SshLink } from './ssh-link';

/** How API calls reach the host's Docker socket. */
export type DockerTransport = 'streamlocal' | 'dial-stdio';

/**
 * Docker reached through a server's one SSH link: every API call is a channel
 * forwarded to the host's Docker socket, instead of a new SSH login per call.
 */
export class DockerLink {
  private versionRead: Promise<{ version: string; apiVersion: string }> | undefined;

  private constructor(
    readonly docker: Docker,
    readonly socketPath: string,
    readonly transport: DockerTransport,
    private readonly agent: Agent,
    private readonly link: SshLink,
    private readonly serverName: string,
  ) {}

  /**
   * Find the host's Docker socket, check that the user may use it, and return
   * a client over the link: OpenSSH's stream forwarding to the socket, or where
   * the server forbids that, a channel running `docker system dial-stdio`.
   */
  static async open(link: SshLink, server: Server, prefer: DockerTransport = 'streamlocal'): Promise<DockerLink> {
    const socketPath = server.dockerSocket || (await dockerHostOf(link)) || defaultDockerSocket;
    const order: DockerTransport[] = prefer === 'streamlocal' ? ['streamlocal', 'dial-stdio'] : ['dial-stdio'];
    for (const transport of order) {
      const agent = agentOver(link, socketPath, transport);
      const docker = new Docker({ host: 'docker', port: 80, protocol: 'http', agent } as Docker.DockerOptions);
      try {
        await docker.ping();
        link.onClose(() => agent.destroy());
        return new DockerLink(docker, socketPath, transport, agent, link, server.name);
      } catch {
        agent.destroy();
      }
      // Stream forwarding failing on a socket that exists and is ours means sshd forbids it: try dial-stdio.
      const problem = await explainSocketFailure(link, server, socketPath);
      if (problem.code !== 'docker-unavailable' || !problem.details?.socketUsable) throw new ProblemError(problem);
      if (transport === order[order.length - 1]) throw new ProblemError(problem);
    }
    throw new ProblemError({ code: 'internal', message: 'No Docker transport was tried' });
  }

  /** The engine's version, read once per link (an upgrade restarts the daemon, which drops the link). */
  version(): Promise<{ version: string; apiVersion: string }> {
    this.versionRead ??= this.call('read the Docker version', () => this.docker.version()).then((v) => ({
      version: v.Version,
      apiVersion: v.ApiVersion,
    }));
    this.versionRead.catch(() => (this.versionRead = undefined));
    return this.versionRead;
  }

  /** The last lines of a container's output, stdout and stderr in the order written. */
  async logs(containerId: string, tail: number): Promise<{ text: string; truncated: boolean }> {
    const container = this.docker.getContainer(containerId);
    const raw = await this.call(
      `read the logs of ${containerId}`,
      async () =>
        (await container.logs({ stdout: true, stderr: true, follow: false, tail: tail + 1 })) as unknown as Buffer,
    );
    const lines = demultiplex(Buffer.from(raw))
      .map((f) => f.text)
      .join('')
      .split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const truncated = lines.length > tail;
    return { text: lines.slice(-tail).join('\n'), truncated };
  }

  /**
   * Follow a container's output as Docker stamps it (`--timestamps`): the last
   * `tail` lines, or those since a time, then each new one. Resolves once the
   * stream is open, with a function that stops it; `onEnd` is told when it ends
   * by itself (the container stopped, the link dropped).
   */
  async followLogs(
    containerId: string,
    options: { readonly tail?: number; readonly sinceSeconds?: number; readonly afterMs?: number },
    onFrame: (frame: LogFrame) => void,
    onEnd: (problem?: Problem) => void,
  ): Promise<() => void> {
    const container = this.docker.getContainer(containerId);
    const info = await this.call(`inspect ${containerId}`, () => container.inspect());
    // `afterMs` picks up where an earlier follow of the same container stopped (Docker takes seconds with a fraction).
    const since =
      options.afterMs !== undefined
        ? (options.afterMs / 1000).toFixed(6)
        : options.sinceSeconds !== undefined
          ? Math.floor(Date.now() / 1000) - options.sinceSeconds
          : undefined;
    const stream = (await this.call(`follow the logs of ${containerId}`, () =>
      container.logs({
        follow: true,
        stdout: true,
        stderr: true,
        timestamps: true,
        tail: options.afterMs !== undefined ? 'all' : (options.tail ?? 'all'),
        ...(since !== undefined ? { since } : {}),
      } as Docker.ContainerLogsOptions & { follow: true }),
    )) as unknown as NodeJS.ReadableStream & { destroy(): void };
    const reader = new FrameReader(!info.Config.Tty);
    let stopped = false;
    stream.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) onFrame(frame);
    });
    const ended = (error?: Error) => {
      if (stopped) return;
      stopped = true;
      if (!error && this.link.isOpen) return onEnd();
      onEnd({
        code: 'disconnected',
        message: this.link.isOpen
          ? `The log stream of ${containerId} on ${this.serverName} broke: ${error?.message}`
          : `The SSH connection to ${this.serverName} dropped while following ${containerId}`,
        where: `${this.serverName}: ${containerId}`,
        hint: 'Shipdeck follows it again once the host answers.',
      });
    };
    stream.on('end', () => ended());
    stream.on('close', () => ended());
    stream.on('error', (error: Error) => ended(error));
    return () => {
      stopped = true;
      stream.destroy();
    };
  }

  async restart(containerId: string): Promise<void> {
    await this.call(`restart ${containerId}`, () => this.docker.getContainer(containerId).restart({ t: 10 }));
  }

  /** The host's containers: all, or only running ones, or those with a label (`key=value`). */
  async containers(options: { readonly running?: boolean; readonly label?: string } = {}): Promise<ContainerSummary[]> {
    const list = await this.call('list the containers', () =>
      this.docker.listContainers({
        all: !options.running,
        ...(options.label ? { filters: { label: [options.label] } } : {}),
      }),
    );
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
      image: c.Image,
      state: c.State,
      status: c.Status,
      createdAt: new Date(c.Created * 1000).toISOString(),
      ports: c.Ports.map((p) =>
        p.PublicPort ? `${p.IP ?? ''}:${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`,
      ),
      labels: c.Labels ?? {},
    }));
  }

  close(): void {
    this.agent.destroy();
  }

  /** Run one API call; its failure says what was tried, on which server, and why. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const where = `${this.serverName}:${this.socketPath}`;
      if (!this.link.isOpen) {
        throw new ProblemError({
          code: 'disconnected',
          message: `The SSH connection to ${this.serverName} dropped while trying to ${what}`,
          where,
          hint: 'Shipdeck reconnects on the next refresh; try again then.',
        });
      }
      const status = (error as { statusCode?: number }).statusCode;
      const reason = (error as { json?: { message?: string } }).json?.message ?? (error as Error).message;
      if (status === 404)
        throw new ProblemError({
          code: 'not-found',
          message: `Docker on ${this.serverName} could not ${what}: ${reason}`,
          where,
          hint: 'The container may have been removed; refresh the list.',
        });
      throw new ProblemError({
        code: 'command-failed',
        message: `Docker on ${this.serverName} could not ${what}: ${reason}`,
        where,
        hint: 'Check the Docker daemon on the host (`systemctl status docker`).',
      });
    }
  }
}

/** An http.Agent whose every connection is a channel over the SSH link. */
function agentOver(link: SshLink, socketPath: string, transport: DockerTransport): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  // docker-modem inspects each request's options (agent included, every depth) even with debug off; keep that cheap.
  Object.defineProperty(agent, inspect.custom, { value: () => `DockerAgent(${transport} ${socketPath})` });
  const dial =
    transport === 'streamlocal' ? () => link.forwardStreamLocal(socketPath) : () => link.dialStdio(socketPath);
  // http.Agent accepts a callback-style createConnection; the SSH channel stands in for a socket.
  (agent as unknown as { createConnection: unknown }).createConnection = (
    _options: unknown,
    callback: (error: Error | null, socket?: Duplex) => void,
  ) => {
    dial().then(
      (channel) => callback(null, asSocket(channel)),
      (error: Error) => callback(error),
    );
    return undefined;
  };
  return agent;
}

/** DOCKER_HOST as an SSH session on the host sees it, when it names a Unix socket. */
async function dockerHostOf(link: SshLink): Promise<string | undefined> {
  let out = '';
  const result = await link.exec(dockerHostVariable(), { onStdout: (text) => (out += text) });
  const value = out.trim();
  if (result.exitCode !== 0 || !value.startsWith('unix://')) return undefined;
  return value.slice('unix://'.length);
}

/** After a failed ping: is the socket missing, or may this user not use it? */
async function explainSocketFailure(link: SshLink, server: Server, socketPath: string): Promise<Problem> {
  const where = `${server.name}:${socketPath}`;
  const exists = await link.exec(dockerSocketExists(socketPath));
  if (exists.exitCode !== 0) {
    return {
      code: 'docker-unavailable',
      message: `Docker is not running on ${server.name}: there is no Docker socket at ${socketPath}`,
      where,
      hint: "Install and start Docker on the host (apt-get install docker.io; systemctl start docker), or set the server's Docker socket path if it lives elsewhere.",
    };
  }
  const writable = await link.exec(dockerSocketWritable(socketPath));
  if (writable.exitCode !== 0) {
    return {
      code: 'docker-permission',
      message: `User ${server.user} may not use Docker on ${server.name} (no write permission on ${socketPath})`,
      where,
      hint: `Add the user to the docker group on the host (usermod -aG docker ${server.user}), then reconnect.`,
    };
  }
  return {
    code: 'docker-unavailable',
    message: `Docker on ${server.name} does not answer on ${socketPath}`,
    where,
    hint: 'The daemon may be starting or hung: check `systemctl status docker` on the host.',
    details: { socketUsable: 'yes' },
  };
}

/** http.Agent with keepAlive calls these socket methods; an SSH channel needs them as no-ops. */
function asSocket(channel: Duplex): Duplex {
  const socket = channel as Duplex & Record<string, unknown>;
  for (const method of ['setKeepAlive', 'setNoDelay', 'setTimeout', 'ref', 'unref']) {
    if (typeof socket[method] !== 'function') socket[method] = () => socket;
  }
  return socket;
}
