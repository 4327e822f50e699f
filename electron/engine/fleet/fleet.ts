import type { Server } from '../../../shared/server';
import { Connections, type ServerDirectory } from './connections';
import { DockerLink } from './docker-link';
import { HostProbe } from './host-probe';
import type { SshLink } from './ssh-link';

/** The servers' live links: one SSH connection each, and Docker through it. */
export class Fleet {
  readonly connections: Connections;
  private readonly dockerLinks = new Map<string, Promise<DockerLink>>();
  private readonly probes = new WeakMap<SshLink, HostProbe>();

  /** `maxDials`: how many hosts may be logging in at once (the fleet's parallelism setting). */
  constructor(directory: ServerDirectory, env: NodeJS.ProcessEnv = process.env, maxDials: () => number = () => 8) {
    this.connections = new Connections(directory, env, maxDials);
  }

  link(server: Server): Promise<SshLink> {
    return this.connections.linkTo(server);
  }

  /** Docker on a server, over its SSH link; reopened when that link was replaced. */
  async docker(server: Server): Promise<DockerLink> {
    const link = await this.link(server);
    let pending = this.dockerLinks.get(server.id);
    if (!pending) {
      pending = DockerLink.open(link, server);
      this.dockerLinks.set(server.id, pending);
      const opened = pending;
      opened.catch(() => {
        if (this.dockerLinks.get(server.id) === opened) this.dockerLinks.delete(server.id);
      });
      link.onClose(() => {
        if (this.dockerLinks.get(server.id) === opened) this.dockerLinks.delete(server.id);
      });
    }
    return pending;
  }

  /** The vital-signs reader of a server's current link. */
  probe(server: Server, link: SshLink): HostProbe {
    let probe = this.probes.get(link);
    if (!probe) {
      probe = new HostProbe(link, server.name);
      this.probes.set(link, probe);
    }
    return probe;
  }

  forget(serverId: string): void {
    void this.dockerLinks.get(serverId)?.then(
      (d) => d.close(),
      () => {},
    );
    this.dockerLinks.delete(serverId);
    this.connections.forget(serverId);
  }

  close(): void {
    for (const pending of this.dockerLinks.values())
      void pending.then(
        (d) => d.close(),
        () => {},
      );
    this.dockerLinks.clear();
    this.connections.closeAll();
  }
}
