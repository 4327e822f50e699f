import { Agent } from 'node:http';
import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { command } from '../../../shared/command';
import { ProblemError, type Problem } from '../../../shared/problem';
import { defaultDockerSocket, type Server } from '../../../shared/server';
import type { ContainerSummary } from '../../../shared/docker';
import type { SshLink } from './ssh-link';

/**
 * Docker reached through a server's one SSH link: every API call is a channel
 * forwarded to the host's Docker socket, instead of a new SSH login per call.
 */
export class DockerLink {
  private constructor(
    readonly docker: Docker,
    readonly socketPath: string,
    private readonly agent: Agent,
  ) {}

  /** Find the host's Docker socket, check that the user may use it, and return a client over the link. */
  static async open(link: SshLink, server: Server): Promise<DockerLink> {
    const socketPath = server.dockerSocket || (await dockerHostOf(link)) || defaultDockerSocket;
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    // http.Agent accepts a callback-style createConnection; the SSH channel stands in for a socket.
    (agent as unknown as { createConnection: unknown }).createConnection = (_options: unknown, callback: (error: Error | null, socket?: Duplex) => void) => {
      link.forwardStreamLocal(socketPath).then(
        (channel) => callback(null, asSocket(channel)),
        (error: Error) => callback(error),
      );
      return undefined;
    };
    const docker = new Docker({ host: 'docker', port: 80, protocol: 'http', agent } as Docker.DockerOptions);
    const dockerLink = new DockerLink(docker, socketPath, agent);
    try {
      await docker.ping();
    } catch {
      agent.destroy();
      throw new ProblemError(await explainSocketFailure(link, server, socketPath));
    }
    link.onClose(() => agent.destroy());
    return dockerLink;
  }

  async containers(): Promise<ContainerSummary[]> {
    const list = await this.docker.listContainers({ all: true });
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
      image: c.Image,
      state: c.State,
      status: c.Status,
      createdAt: new Date(c.Created * 1000).toISOString(),
      ports: c.Ports.map((p) => (p.PublicPort ? `${p.IP ?? ''}:${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`)),
      labels: c.Labels ?? {},
    }));
  }

  close(): void {
    this.agent.destroy();
  }
}

/** DOCKER_HOST as an SSH session on the host sees it, when it names a Unix socket. */
async function dockerHostOf(link: SshLink): Promise<string | undefined> {
  let out = '';
  const result = await link.exec(command('printenv', ['DOCKER_HOST'], 'Find where Docker listens on the host'), { onStdout: (text) => (out += text) });
  const value = out.trim();
  if (result.exitCode !== 0 || !value.startsWith('unix://')) return undefined;
  return value.slice('unix://'.length);
}

/** After a failed ping: is the socket missing, or may this user not use it? */
async function explainSocketFailure(link: SshLink, server: Server, socketPath: string): Promise<Problem> {
  const where = `${server.name}:${socketPath}`;
  const exists = await link.exec(command('test', ['-S', socketPath], 'Check that the Docker socket exists'));
  if (exists.exitCode !== 0) {
    return {
      code: 'docker-unavailable',
      message: `Docker is not running on ${server.name}: there is no Docker socket at ${socketPath}`,
      where,
      hint: 'Install and start Docker on the host (apt-get install docker.io; systemctl start docker), or set the server\'s Docker socket path if it lives elsewhere.',
    };
  }
  const writable = await link.exec(command('test', ['-w', socketPath], 'Check that the user may use the Docker socket'));
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
    hint: 'The daemon may be starting or hung: check `systemctl status docker` on the host. The SSH server must also allow stream forwarding (AllowStreamLocalForwarding yes).',
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
