import { redactionOf } from '../../shared/redaction';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../shared/commands/command';
import type { Server } from '../../shared/server';
import type { ServiceSpec } from '../../shared/service-spec';
import { Fleet } from '../../electron/engine/fleet/fleet';
import { Deployer } from '../../electron/engine/release/deployer';
import { directoryOf, lab, serverFor } from '../support/lab-servers';
import { restoreLabHosts, serving } from '../support/lab-cleanup';
import { freePortPair } from '../support/ports';

// One machine under two names (as two servers sharing an NFS home would be): one home, so one deploy lock.
const host = lab().hosts[0]!;
const servers: Server[] = [
  serverFor(host),
  { ...serverFor(host), id: `lab-${host.name}-again`, name: `${host.name}-again` },
];
const fleet = new Fleet(directoryOf(servers));
const proxyOf = () => ({
  upstreamFile: host.nginx!.upstream,
  reload: command(
    'nginx',
    ['-p', host.nginx!.prefix, '-e', `${host.nginx!.prefix}error.log`, '-c', host.nginx!.conf, '-s', 'reload'],
    'Reload nginx (graceful)',
  ),
});
const deployer = new Deployer({ fleet, proxyOf, redaction: redactionOf([]) });

afterAll(async () => {
  await restoreLabHosts([host]);
  fleet.close();
});

describe('two servers sharing one home', () => {
  it('take the deploy lock for one run on both: the run knows its own lock and the release goes through', async () => {
    const spec: ServiceSpec = {
      service: 'web',
      image: 'shipdeck-lab/app',
      port: await freePortPair(),
      servers: { staging: servers.map((s) => s.name) },
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
    const holder = {
      who: 'ana@laptop',
      since: new Date().toISOString(),
      release: 'v2',
      runId: `run-shared-${Date.now()}`,
    };
    const plan = await deployer.plan(spec, 'v2', servers, holder);
    expect(plan.hosts.map((h) => h.input.home)).toEqual([plan.hosts[0]!.input.home, plan.hosts[0]!.input.home]);
    try {
      await deployer.deploy(plan);
      expect(await serving(host.publicPort!)).toContain('v2');
    } finally {
      await deployer.rollback(plan);
    }
    expect(await serving(host.publicPort!)).toContain('v1');
    expect(existsSync(join(plan.hosts[0]!.input.home, '.shipdeck', 'web', 'lock'))).toBe(false);

    // Another run still finds the lock taken on both names while it is held, and is refused.
    const first = await deployer.plan(spec, 'v2', servers, { ...holder, runId: `${holder.runId}-first` });
    await deployer.deploy(first);
    try {
      const other = await deployer.plan(spec, 'v2', servers, {
        ...holder,
        who: 'bo@desk',
        runId: `${holder.runId}-other`,
      });
      const refused = await deployer.deploy(other).catch((e: unknown) => e);
      expect(refused).toMatchObject({
        problem: { code: 'conflict', message: expect.stringMatching(/web on lab-\d(-again)? is locked by ana@laptop/) },
      });
    } finally {
      await deployer.rollback(first);
    }
  }, 90_000);
});
