import { redactionOf } from '../../shared/redaction';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../shared/commands/command';
import { ProblemError } from '../../shared/problem';
import type { Server } from '../../shared/server';
import type { ServiceSpec } from '../../shared/service-spec';
import { Fleet } from '../../electron/engine/fleet/fleet';
import { FleetMonitor } from '../../electron/engine/fleet/fleet-monitor';
import { SshLink } from '../../electron/engine/fleet/ssh-link';
import { Deployer } from '../../electron/engine/release/deployer';
import { restoreLabHosts, serving } from '../support/lab-cleanup';
import { directoryOf, lab, serverFor, targetFor } from '../support/lab-servers';
import { freePortPair } from '../support/ports';
import { startSftpLessSshd } from '../support/sftp-less-sshd';

// lab-1 served by a second sshd that has no `Subsystem sftp`: same host key, home and Docker.
const host = lab().hosts[0]!;
let sshd: Awaited<ReturnType<typeof startSftpLessSshd>>;
let server: Server;
let fleet: Fleet;

beforeAll(async () => {
  sshd = await startSftpLessSshd(host);
  server = { ...serverFor(host), id: 'lab-nosftp', name: 'lab-nosftp', port: sshd.port };
  fleet = new Fleet(directoryOf([server]));
});

afterAll(async () => {
  fleet?.close();
  await restoreLabHosts([host]);
  await sshd?.stop();
});

describe('a server whose sshd has no SFTP subsystem', () => {
  it('refuses SFTP with what to change on the server, and the link reads and writes files over exec instead', async () => {
    const link = await SshLink.open(targetFor(host, { name: server.name, port: sshd.port }));
    try {
      const refused = await link.sftp().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ProblemError);
      expect((refused as ProblemError).problem).toMatchObject({
        code: 'sftp-unavailable',
        message: expect.stringContaining('Unable to start subsystem: sftp'),
        hint: expect.stringContaining('Subsystem sftp internal-sftp'),
      });
      const path = `${host.dir}/home/shipdeck it's $(id) a b.txt`;
      const content = 'line 1\n\'quoted\' "double" $(id) `id` \\ ; rm -rf /\nünïcødé\n'.repeat(2000);
      await link.writeFile(path, content);
      expect(await link.readFile(path)).toBe(content);
      await link.exec(command('rm', ['-f', '--', path], 'test'));
      const missing = await link.writeFile(`${host.dir}/home/no-such-folder/file`, 'x').catch((e: unknown) => e);
      expect((missing as ProblemError).problem).toMatchObject({
        code: 'command-failed',
        where: `lab-nosftp:${host.dir}/home/no-such-folder/file`,
      });
    } finally {
      link.close();
    }
  });

  it('shows in the fleet as working, with a warning that says what to change on the server', async () => {
    const monitor = new FleetMonitor(
      fleet,
      () => [server],
      () => ({ refreshMs: 0, parallelism: 8 }),
      { serverStatus: () => {}, fleetRefresh: () => {} },
    );
    const status = await monitor.probe(server);
    expect(status.state, JSON.stringify(status.problem)).toBe('ok');
    expect(status.facts?.kernel).toBeTruthy();
    expect(status.warnings).toEqual([
      expect.objectContaining({
        code: 'sftp-unavailable',
        hint: expect.stringContaining('Subsystem sftp internal-sftp'),
      }),
    ]);
  });

  it("previews and deploys a release, writing nginx's upstream and the state over exec", async () => {
    const spec: ServiceSpec = {
      service: 'web',
      image: 'shipdeck-lab/app',
      port: await freePortPair(),
      servers: { staging: [server.name] },
      proxy: 'nginx',
      healthcheck: { path: '/up', status: 200, intervalMs: 200, timeoutMs: 1000, retries: 50 },
      strategy: { kind: 'blue-green' },
      retain: 3,
      backup: [],
      hooks: { preDeploy: [], postDeploy: [] },
      env: {},
      secrets: [],
      staging: 'required',
    };
    const proxyOf = () => ({
      upstreamFile: host.nginx!.upstream,
      reload: command(
        'nginx',
        ['-p', host.nginx!.prefix, '-e', `${host.nginx!.prefix}error.log`, '-c', host.nginx!.conf, '-s', 'reload'],
        'Reload nginx (graceful)',
      ),
    });
    const deployer = new Deployer({ fleet, proxyOf, redaction: redactionOf([]) });
    const plan = await deployer.plan(spec, 'v2', [server], {
      who: 'ana@laptop',
      since: new Date().toISOString(),
      release: 'v2',
      runId: `run-nosftp-${Date.now()}`,
    });
    expect(plan.hosts[0]!.input.live?.release).toBe('v1');
    try {
      await deployer.deploy(plan);
      expect(await serving(host.publicPort!)).toContain('v2');
    } finally {
      await deployer.rollback(plan);
    }
    expect(await serving(host.publicPort!)).toContain('v1');
  }, 60_000);
});
