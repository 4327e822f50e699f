import type Docker from 'dockerode';
import { homeDirectory, readServiceState } from '../../../shared/commands/host';
import type { HostRelease } from '../../../shared/deploy-plan';
import { servicePaths } from '../../../shared/deploy-plan';
import type { SshLink } from '../fleet/ssh-link';

/** The shared truth about a service on one host, kept in `~/.shipdeck/<service>/state.json`. */
export interface HostServiceState {
  readonly service: string;
  readonly live?: HostRelease;
  /** Releases kept for rollback, newest first (the first is warm). */
  readonly standby: readonly HostRelease[];
  readonly history: readonly {
    readonly at: string;
    readonly by: string;
    readonly action: string;
    readonly release: string;
  }[];
}

/** The deploy user's home on the host. */
export async function homeOf(link: SshLink): Promise<string> {
  let out = '';
  const result = await link.exec(homeDirectory(), { onStdout: (t) => (out += t) });
  const home = out.trim();
  if (result.exitCode !== 0 || !home.startsWith('/')) throw new Error(`could not read $HOME on ${link.target.name}`);
  return home;
}

/**
 * Read what runs for the service on the host: the state file when there is
 * one, checked against the containers that really exist; otherwise the
 * containers labelled for the service (the live one marked shipdeck.role=live).
 */
export async function readHostState(
  link: SshLink,
  docker: Docker,
  home: string,
  service: string,
): Promise<HostServiceState> {
  const paths = servicePaths(home, service);
  let text = '';
  const cat = await link.exec(readServiceState(paths.state), { onStdout: (t) => (text += t) });
  const saved = cat.exitCode === 0 ? (JSON.parse(text) as HostServiceState) : undefined;
  const containers = await docker.listContainers({ all: true, filters: { label: [`shipdeck.service=${service}`] } });
  const running = new Set(containers.filter((c) => c.State === 'running').map((c) => c.Names[0]?.replace(/^\//, '')));
  const existing = new Set(containers.map((c) => c.Names[0]?.replace(/^\//, '')));
  const releases: (HostRelease & { created: number; live: boolean })[] = [];
  for (const c of containers) {
    const name = c.Names[0]?.replace(/^\//, '') ?? c.Id;
    const port = Number(c.Labels['shipdeck.port'] ?? (await portFromEnv(docker, c.Id)));
    if (!Number.isInteger(port) || port <= 0) continue;
    releases.push({
      release: c.Labels['shipdeck.release'] ?? c.Image,
      container: name,
      port,
      created: c.Created,
      live: c.Labels['shipdeck.role'] === 'live' && c.State === 'running',
    });
  }
  releases.sort((a, b) => b.created - a.created);
  const strip = ({ release, container, port }: HostRelease) => ({ release, container, port });
  if (saved) {
    // The file says which release is live and keeps the history; the containers say where each listens
    // (one recreated outside Shipdeck may listen elsewhere now), and those the file does not know still hold ports.
    const actual = new Map(releases.map((r) => [r.container, strip(r)]));
    const live =
      saved.live && running.has(saved.live.container) ? (actual.get(saved.live.container) ?? saved.live) : undefined;
    const known = new Set([live?.container, ...saved.standby.map((s) => s.container)]);
    const unknown = releases.filter((r) => !known.has(r.container)).map(strip);
    const standby = saved.standby.filter((s) => existing.has(s.container)).map((s) => actual.get(s.container) ?? s);
    return { ...saved, live, standby: [...standby, ...unknown] };
  }
  const live = releases.find((r) => r.live);
  return {
    service,
    ...(live ? { live: strip(live) } : {}),
    standby: releases.filter((r) => r !== live).map(strip),
    history: [],
  };
}

async function portFromEnv(docker: Docker, id: string): Promise<number | undefined> {
  const info = await docker.getContainer(id).inspect();
  const entry = (info.Config.Env ?? []).find((e) => e.startsWith('PORT='));
  return entry ? Number(entry.slice(5)) : undefined;
}
