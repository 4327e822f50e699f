import { afterAll, describe, expect, it } from 'vitest';
import { ProblemError } from '../../shared/problem';
import { Fleet } from '../../electron/engine/fleet/fleet';
import { directoryOf, lab, serverFor } from '../support/lab-servers';

const fleet = new Fleet(directoryOf([...lab().hosts, lab().noDocker].map((h) => serverFor(h))));
afterAll(() => fleet.close());

describe('Docker over the SSH link', () => {
  it("lists the host's containers through its own engine", async () => {
    const [host] = lab().hosts;
    const docker = await fleet.docker(serverFor(host!));
    expect(docker.socketPath).toBe(host!.dockerSocket);
    const containers = await docker.containers();
    const app = containers.find((c) => c.name === 'lab-app-v1');
    expect(app).toMatchObject({ image: 'shipdeck-lab/app:v1', state: 'running' });
    expect(app?.labels['shipdeck.release']).toBe('v1');
  });

  it("sees each host's own engine, not a shared one", async () => {
    const ids = await Promise.all(
      lab().hosts.map(async (h) => (await (await fleet.docker(serverFor(h))).docker.info()).ID as string),
    );
    expect(new Set(ids).size).toBe(lab().hosts.length);
  });

  it('reuses one SSH connection for many API calls', async () => {
    const [host] = lab().hosts;
    const server = serverFor(host!);
    const link = await fleet.link(server);
    const docker = await fleet.docker(server);
    await Promise.all(Array.from({ length: 20 }, () => docker.docker.ping()));
    expect(await fleet.link(server)).toBe(link);
  });

  it('says Docker is not running on a host without it, naming the socket', async () => {
    const { noDocker } = lab();
    const error = await fleet.docker(serverFor(noDocker)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    const problem = (error as ProblemError).problem;
    expect(problem.code).toBe('docker-unavailable');
    expect(problem.message).toContain('no Docker socket');
    expect(problem.where).toContain(noDocker.name);
  });
});
