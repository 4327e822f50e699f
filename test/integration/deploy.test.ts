import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../shared/commands/command';
import type { LockHolder } from '../../shared/deploy-plan';
import { ProblemError } from '../../shared/problem';
import { redactionOf } from '../../shared/redaction';
import type { Server } from '../../shared/server';
import type { ServiceSpec } from '../../shared/service-spec';
import { Fleet } from '../../electron/engine/fleet/fleet';
import { Deployer } from '../../electron/engine/release/deployer';
import type { StepEvent } from '../../electron/engine/release/step-runner';
import type { LabHost } from '../lab/lab-state';
import { directoryOf, lab, serverFor } from '../support/lab-servers';
import { restoreLabHosts } from '../support/lab-cleanup';
import { httpLoad } from '../support/load';
import { freePortPair } from '../support/ports';

/** This file's services have no secrets. */
const noSecrets = redactionOf([]);

const hosts = lab().hosts.slice(0, 2);
const servers = hosts.map((h) => serverFor(h));
const fleet = new Fleet(directoryOf(servers));
const events: StepEvent[] = [];
let spec: ServiceSpec;

function proxyOf(server: Server) {
  const host = hosts.find((h) => h.name === server.name) as LabHost;
  return {
    upstreamFile: host.nginx!.upstream,
    reload: command(
      'nginx',
      ['-p', host.nginx!.prefix, '-e', `${host.nginx!.prefix}error.log`, '-c', host.nginx!.conf, '-s', 'reload'],
      'Reload nginx (graceful)',
    ),
  };
}

const deployer = new Deployer({ fleet, proxyOf, onEvent: (e) => events.push(e), redaction: noSecrets });
const holder = (release: string, who = 'test@shipdeck'): LockHolder => ({
  who,
  since: new Date().toISOString(),
  release,
  runId: `run-${release}-${Date.now()}`,
});

/** What a host's public port answers now. */
async function serving(host: LabHost): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${host.publicPort}/`, { headers: { Connection: 'close' } });
  return (await res.text()).split('\n')[0]!.trim();
}

/** nginx's reload is a signal: new workers take over shortly after. Wait for 10 answers in a row from `release`. */
async function servingSoon(host: LabHost, release: string, withinMs = 5000): Promise<number> {
  const started = performance.now();
  let streak = 0;
  while (performance.now() - started < withinMs) {
    streak = (await serving(host)).includes(release) ? streak + 1 : 0;
    if (streak === 10) return performance.now() - started;
  }
  throw new Error(`${host.name} did not serve ${release} within ${withinMs} ms (answers ${await serving(host)})`);
}

async function waitFor(condition: () => Promise<boolean>, withinMs = 5000): Promise<void> {
  const started = performance.now();
  while (!(await condition())) if (performance.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
}

beforeAll(async () => {
  spec = {
    service: 'web',
    image: 'shipdeck-lab/app',
    port: await freePortPair(),
    servers: { staging: servers.map((s) => s.name) },
    proxy: 'nginx',
    // A healthy release gets 10 s to start (a busy CI machine is slow); the broken v3 case uses fewer tries.
    healthcheck: { path: '/up', status: 200, intervalMs: 200, timeoutMs: 1000, retries: 50 },
    strategy: { kind: 'blue-green' },
    retain: 3,
    backup: [],
    hooks: { preDeploy: [], postDeploy: [] },
    env: {},
    secrets: [],
    staging: 'required',
  };
});

afterAll(async () => {
  await restoreLabHosts(hosts);
  fleet.close();
});

describe('a blue-green release on two lab hosts', () => {
  it('moves every host from v1 to v2 and back under load without failing a request', async () => {
    for (const host of hosts) expect(await serving(host)).toContain('v1');
    // At least 20 clients per host for at least 10 s, and for the whole deploy and rollback; stopped by hand, bounded at 60 s.
    const loadStarted = performance.now();
    const loads = hosts.map((h) => httpLoad(h.publicPort!, 20, 60_000));
    await new Promise((r) => setTimeout(r, 2000));

    const plan = await deployer.plan(spec, 'v2', servers, holder('v2'));
    expect(plan.hosts.map((h) => h.input.live?.release)).toEqual(['v1', 'v1']);
    try {
      await deployer.deploy(plan);
      for (const host of hosts) await servingSoon(host, 'v2');
      await new Promise((r) => setTimeout(r, 3000));
    } finally {
      const rollbackStarted = performance.now();
      await deployer.rollback(plan);
      for (const host of hosts) await servingSoon(host, 'v1');
      expect(performance.now() - rollbackStarted).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, Math.max(1000, 10_000 - (performance.now() - loadStarted))));
      loads.forEach((l) => l.stop());
    }

    const results = await Promise.all(loads.map((l) => l.done));
    for (const result of results) {
      expect(result.total).toBeGreaterThan(500);
      expect(result.failed, JSON.stringify(result.failures)).toBe(0);
      expect(
        Object.keys(result.bodies).some((b) => b.includes('v2')),
        JSON.stringify(result.bodies),
      ).toBe(true);
      expect(result.changes.map((c) => c.body.match(/v\d/)?.[0])).toEqual(expect.arrayContaining(['v1', 'v2']));
      expect(
        result.last.every((b) => b.includes('v1')),
        JSON.stringify(result.last),
      ).toBe(true);
    }
    // Every step was reported, with the command lines a person would read.
    expect(events.some((e) => e.type === 'start' && e.line.startsWith('docker run --detach --name web-v2-'))).toBe(
      true,
    );
  }, 60_000);

  it('never sends traffic to a release whose health check fails, and says why', async () => {
    const plan = await deployer.plan(
      { ...spec, healthcheck: { ...spec.healthcheck, retries: 10 } },
      'v3',
      servers,
      holder('v3'),
    );
    const error = await deployer.deploy(plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    const problem = (error as ProblemError).problem;
    expect(problem.message).toContain('never answered /up with 200 (10 tries)');
    expect(problem.hint).toContain('No traffic was moved');
    expect(problem.details?.answers).toContain('404');
    expect(problem.details?.containerLog).toBeDefined();
    // Every step that started ended: the failed health checks too.
    const healthEnds = events.filter(
      (e) => e.type === 'end' && e.step.kind === 'health' && e.step.purpose.includes('v3'),
    );
    expect(healthEnds.map((e) => e.type === 'end' && e.ok)).toEqual([false, false]);
    // The failed release is kept for diagnosis, stopped so that it frees its port.
    const docker = new Docker({ socketPath: hosts[0]!.dockerSocket! });
    const failed = (await docker.listContainers({ all: true, filters: { label: ['shipdeck.release=v3'] } }))[0];
    expect(failed?.State).toBe('exited');
    for (const host of hosts) expect(await serving(host)).toContain('v1');
    // The lock was freed: a new plan can deploy.
    const again = await deployer.plan(spec, 'v2', servers, holder('v2-again'));
    try {
      await deployer.deploy(again);
    } finally {
      await deployer.rollback(again);
    }
  }, 60_000);

  it('stops before any switch when another process took the planned port after planning, and names it', async () => {
    // No v2 kept from an earlier test: the plan starts a new container on a port it chose free.
    await restoreLabHosts(hosts);
    const plan = await deployer.plan(
      { ...spec, healthcheck: { ...spec.healthcheck, retries: 10 } },
      'v2',
      servers,
      holder('v2-squatted'),
    );
    const [first] = hosts;
    const port = plan.hosts[0]!.next.port;
    expect(plan.hosts[0]!.steps.some((s) => s.kind === 'command' && s.command.args[0] === 'run')).toBe(true);
    // A real process takes lab-1's planned port between plan and run, and answers the health check as the release would.
    const www = mkdtempSync(join(tmpdir(), 'shipdeck-squatter-'));
    writeFileSync(join(www, 'up'), 'squatter\n');
    writeFileSync(join(www, 'index.html'), 'squatter\n');
    const squatter = spawn('busybox', ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', www], { stdio: 'ignore' });
    const switchedHosts: string[] = [];
    const watching = new Deployer({
      fleet,
      proxyOf,
      onEvent: (e) => events.push(e),
      onSwitched: (server, on) => on && switchedHosts.push(server.name),
      redaction: noSecrets,
    });
    try {
      await waitFor(async () =>
        (
          await fetch(`http://127.0.0.1:${port}/up`).then(
            (r) => r.text(),
            () => '',
          )
        ).includes('squatter'),
      );
      const load = httpLoad(first!.publicPort!, 5, 30_000);
      const error = await watching.deploy(plan).catch((e: unknown) => e);
      load.stop();
      const result = await load.done;
      expect(error).toBeInstanceOf(ProblemError);
      const problem = (error as ProblemError).problem;
      expect(problem.message).toBe(
        `Port ${port} on ${first!.name} answers, but not from the new container ${plan.hosts[0]!.next.container}: pid ${squatter.pid} (busybox) listens there`,
      );
      expect(problem.hint).toContain(`No traffic was moved. Free port ${port} on ${first!.name}, or plan again`);
      // lab-1's nginx never moved: its upstream is the old release's, and every answer during the run came from v1.
      expect(switchedHosts).not.toContain(first!.name);
      expect(readFileSync(first!.nginx!.upstream, 'utf8')).toContain(`127.0.0.1:${first!.appPort};`);
      expect(result.failed, JSON.stringify(result.failures)).toBe(0);
      expect(
        Object.keys(result.bodies).every((b) => b.includes('v1')),
        JSON.stringify(result.bodies),
      ).toBe(true);
      for (const host of hosts) await servingSoon(host, 'v1');
      // The proof was a step of its own, shown and recorded as the others.
      expect(
        events.some((e) => e.type === 'end' && e.step.kind === 'answered-by' && !e.ok && e.step.host === first!.name),
      ).toBe(true);
    } finally {
      squatter.kill();
      rmSync(www, { recursive: true, force: true });
      await restoreLabHosts(hosts);
    }
  }, 60_000);

  it('refuses a second run while the first holds the lock, naming who, since when and for which release', async () => {
    const first = await deployer.plan(spec, 'v2', servers, holder('v2', 'ana@laptop'));
    await deployer.deploy(first);
    try {
      // A second operator with a Shipdeck of its own (its own fleet and state) sees the lock on the hosts.
      const otherFleet = new Fleet(directoryOf(servers));
      try {
        const other = new Deployer({ fleet: otherFleet, proxyOf, redaction: noSecrets });
        const second = await other.plan(spec, 'v2', servers, holder('v2', 'ben@desktop'));
        expect(
          second.hosts.map((h) => h.state.live?.release),
          JSON.stringify(
            second.hosts.map((h) => h.state),
            null,
            1,
          ),
        ).toEqual(['v2', 'v2']);
        const error = await other.deploy(second).catch((e: unknown) => e);
        expect((error as ProblemError).problem).toMatchObject({
          code: 'conflict',
          message: expect.stringMatching(/web on lab-\d is locked by ana@laptop since \S+ for v2/),
        });
        for (const host of hosts) await servingSoon(host, 'v2');
      } finally {
        otherFleet.close();
      }
    } finally {
      await deployer.rollback(first);
    }
    for (const host of hosts) await servingSoon(host, 'v1');
  }, 60_000);

  it('rolls host by host, and when the second host fails, switches the first back: both stay on v1', async () => {
    const rolling: ServiceSpec = { ...spec, strategy: { kind: 'rolling', batch: 1 } };
    const plan = await deployer.plan(rolling, 'v2', servers, holder('v2-rolling'));
    // The image vanishes from the second host after planning: its docker run fails (no registry to pull from).
    const second = new Docker({ socketPath: hosts[1]!.dockerSocket! });
    const first = new Docker({ socketPath: hosts[0]!.dockerSocket! });
    for (const c of await second.listContainers({ all: true, filters: { ancestor: ['shipdeck-lab/app:v2'] } }))
      await second.getContainer(c.Id).remove({ force: true });
    await second.getImage('shipdeck-lab/app:v2').remove();
    const switchedHosts: string[] = [];
    const watching = new Deployer({
      fleet,
      proxyOf,
      onSwitched: (server, on) => on && switchedHosts.push(server.name),
      redaction: noSecrets,
    });
    try {
      const error = await watching.deploy(plan).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProblemError);
      expect((error as ProblemError).problem.message).toContain(`on ${hosts[1]!.name}`);
      expect(switchedHosts).toEqual([hosts[0]!.name]);
      for (const host of hosts) await servingSoon(host, 'v1');
      // Locks are free: the same release can be planned again at once.
      expect((await deployer.plan(spec, 'v1', servers, holder('v1-check'))).hosts).toHaveLength(2);
    } finally {
      const image = await first.getImage('shipdeck-lab/app:v2').get();
      await new Promise<void>((resolve, reject) =>
        second.loadImage(image, (err: unknown, stream: NodeJS.ReadableStream) =>
          err ? reject(err) : (stream.on('end', () => resolve()), stream.resume()),
        ),
      );
    }
  }, 60_000);

  it("takes each container's port from the container, not from a state file that may be stale", async () => {
    await restoreLabHosts(hosts);
    for (const host of hosts) {
      mkdirSync(join(host.dir, 'home', '.shipdeck', 'web'), { recursive: true });
      writeFileSync(
        join(host.dir, 'home', '.shipdeck', 'web', 'state.json'),
        JSON.stringify({
          service: 'web',
          live: { release: 'v1', container: 'lab-app-v1', port: 1 },
          standby: [],
          history: [],
        }),
      );
    }
    const plan = await deployer.plan(spec, 'v2', servers, holder('v2-ports'));
    expect(plan.hosts.map((h) => h.input.live?.port)).toEqual(hosts.map((h) => h.appPort));
    await restoreLabHosts(hosts);
  });

  it('keeps `retain` previous releases on confirm and removes older ones, never an image in use', async () => {
    // A service of its own, so the lab's lab-app-v1 is never among the releases it removes.
    const shop: ServiceSpec = { ...spec, service: 'shop', retain: 1 };
    const shopDeployer = new Deployer({
      fleet,
      redaction: noSecrets,
      proxyOf: (server) => ({
        upstreamFile: join(hosts.find((h) => h.name === server.name)!.dir, 'home', 'shop.upstream'),
        reload: command('true', [], 'No nginx for this test service'),
      }),
    });
    const host = hosts[0]!;
    const docker = new Docker({ socketPath: host.dockerSocket! });
    const names = async () =>
      (await docker.listContainers({ all: true, filters: { label: ['shipdeck.service=shop'] } })).map((c) =>
        c.Names[0]!.slice(1),
      );
    try {
      const shipped: string[] = [];
      for (const version of ['v1', 'v2', 'v2-slow']) {
        const plan = await shopDeployer.plan(shop, version, [servers[0]!], holder(`shop-${version}`));
        await shopDeployer.deploy(plan);
        await shopDeployer.confirm(plan);
        shipped.push(plan.hosts[0]!.next.container);
      }
      const [, second, third] = shipped;
      // Live: the third; kept: one previous (the second, warm); removed: the first.
      expect((await names()).sort()).toEqual([second, third].sort());
      expect((await docker.getContainer(second!).inspect()).State.Running).toBe(true);
      expect((await docker.getImage('shipdeck-lab/app:v1').inspect()).Id).toBeTruthy();
    } finally {
      for (const c of await docker.listContainers({ all: true, filters: { label: ['shipdeck.service=shop'] } }))
        await docker.getContainer(c.Id).remove({ force: true });
    }
  }, 60_000);

  it('keeps at most `retain` containers besides the live one through failed and rolled-back releases, and reuses a standby warm', async () => {
    // A service of its own (its upstream a plain file), so the lab's lab-app-v1 is never among the containers removed.
    const pile: ServiceSpec = { ...spec, service: 'pile', retain: 1 };
    const pileDeployer = new Deployer({
      fleet,
      redaction: noSecrets,
      proxyOf: (server) => ({
        upstreamFile: join(hosts.find((h) => h.name === server.name)!.dir, 'home', 'pile.upstream'),
        reload: command('true', [], 'No nginx for this test service'),
      }),
    });
    const dockers = hosts.map((h) => new Docker({ socketPath: h.dockerSocket! }));
    const containers = async () =>
      Promise.all(
        dockers.map(async (d) =>
          (await d.listContainers({ all: true, filters: { label: ['shipdeck.service=pile'] } }))
            .map((c) => c.Id)
            .sort(),
        ),
      );
    const counts: string[] = [];
    const release = async (
      version: string,
      end: 'confirm' | 'rollback' | 'fails',
      retries = spec.healthcheck.retries,
    ) => {
      const plan = await pileDeployer.plan(
        { ...pile, healthcheck: { ...pile.healthcheck, retries } },
        version,
        servers,
        holder(`pile-${version}`),
      );
      const deployed = await pileDeployer.deploy(plan).then(
        () => true,
        () => false,
      );
      expect(deployed, `${version} deployed`).toBe(end !== 'fails');
      if (end === 'confirm') await pileDeployer.confirm(plan);
      if (end === 'rollback') await pileDeployer.rollback(plan);
      counts.push(`${version} ${end}: ${(await containers()).map((ids) => ids.length).join(' ')}`);
      return plan;
    };
    try {
      await release('v1', 'confirm');
      await release('v2', 'confirm');
      await release('v3', 'fails', 5);
      await release('v2-slow', 'rollback');
      await release('v1', 'confirm');
      // Every host, after every release: the live one and at most `retain` others.
      expect(counts).toEqual([
        'v1 confirm: 1 1',
        'v2 confirm: 2 2',
        'v3 fails: 2 2',
        'v2-slow rollback: 2 2',
        'v1 confirm: 2 2',
      ]);
      // v2 is kept as the standby now: releasing it again starts it warm, and no new container.
      const before = await containers();
      const again = await release('v2', 'confirm');
      expect(again.hosts.every((h) => h.state.standby.some((s) => s.container === h.next.container))).toBe(true);
      expect(again.hosts.flatMap((h) => h.steps).some((s) => s.kind === 'command' && s.command.args[0] === 'run')).toBe(
        false,
      );
      expect(await containers()).toEqual(before);
      expect(counts.at(-1)).toBe('v2 confirm: 2 2');
    } finally {
      for (const d of dockers)
        for (const c of await d.listContainers({ all: true, filters: { label: ['shipdeck.service=pile'] } }))
          await d.getContainer(c.Id).remove({ force: true });
      for (const h of hosts) rmSync(join(h.dir, 'home', '.shipdeck', 'pile'), { recursive: true, force: true });
    }
  }, 120_000);
});
