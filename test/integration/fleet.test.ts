import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../shared/commands/command';
import type { FleetStatus, ServerStatus } from '../../shared/fleet-status';
import type { KnownHostsImport, Reply, SshImport } from '../../shared/contract';
import type { Server } from '../../shared/server';
import { Engine } from '../../electron/engine/engine';
import { DockerLink } from '../../electron/engine/fleet/docker-link';
import { Fleet } from '../../electron/engine/fleet/fleet';
import { FleetMonitor } from '../../electron/engine/fleet/fleet-monitor';
import { HostProbe } from '../../electron/engine/fleet/host-probe';
import { SshLink } from '../../electron/engine/fleet/ssh-link';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { regenerateHostKey, restoreHostKey, sshdLog, startSshd, stopSshd } from '../lab/control';
import { knownHostsFile } from '../lab/lab-state';
import { directoryOf, lab, serverFor, targetFor } from '../support/lab-servers';

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function engine(): Engine {
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-fleet-'));
  const e = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: 'test',
    cipher: keyFileCipher(dataDir),
  });
  cleanups.push(() => e.close());
  return e;
}

async function value<T>(reply: Promise<Reply<unknown>>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.problem)}`);
  return r.value as T;
}

function monitorOf(servers: Server[], settings = { refreshMs: 0, parallelism: 8 }) {
  const fleet = new Fleet(directoryOf(servers));
  const seen: ServerStatus[] = [];
  const monitor = new FleetMonitor(
    fleet,
    () => servers,
    () => settings,
    { serverStatus: (s) => seen.push(s), fleetRefresh: () => {} },
  );
  cleanups.push(() => {
    monitor.stop();
    fleet.close();
  });
  return { fleet, monitor, seen };
}

describe('the fleet, live', () => {
  it('reports every server: reachable, latency, vital signs, Docker and containers, or why not', async () => {
    const servers = [...lab().hosts, lab().noDocker].map((h) => serverFor(h));
    servers.push({ ...serverFor(lab().hosts[0]!, { trusted: false }), id: 'untrusted', name: 'untrusted' });
    const { monitor, seen } = monitorOf(servers);
    const status: FleetStatus = await monitor.refresh();
    expect(seen).toHaveLength(servers.length);
    for (const host of lab().hosts) {
      const s = status.servers[`lab-${host.name}`]!;
      expect(s.state, JSON.stringify(s.problem)).toBe('ok');
      expect(s.rttMs).toBeGreaterThan(0);
      expect(s.facts?.kernel).toMatch(/^Linux /);
      expect(s.facts?.memory.totalBytes).toBeGreaterThan(0);
      expect(s.docker?.version).toMatch(/^\d+\./);
      expect(s.containers?.map((c) => c.name)).toContain('lab-app-v1');
    }
    expect(status.servers[`lab-${lab().noDocker.name}`]).toMatchObject({
      state: 'degraded',
      dockerProblem: { code: 'docker-unavailable' },
      facts: { kernel: expect.stringMatching(/^Linux/) },
    });
    expect(status.servers.untrusted).toMatchObject({ state: 'untrusted' });
  });

  it('refuses a regenerated host key, naming the trusted and the presented fingerprints', async () => {
    const host = lab().hosts[1]!;
    const trusted = serverFor(host);
    const { oldFingerprint, newFingerprint } = await regenerateHostKey(host.name);
    cleanups.push(() => restoreHostKey(host.name));
    expect(oldFingerprint).toBe(trusted.hostKey!.fingerprint);
    const { monitor } = monitorOf([trusted]);
    const status = (await monitor.refresh()).servers[trusted.id]!;
    expect(status.state).toBe('untrusted');
    expect(status.problem).toMatchObject({
      code: 'host-key-changed',
      details: { trusted: oldFingerprint, presented: newFingerprint },
    });
    expect(status.problem!.message).toContain(oldFingerprint);
    expect(status.problem!.message).toContain(newFingerprint);
    await restoreHostKey(host.name);
  });

  it('shows a changed host key as soon as any connection is refused, though an older link still answers', async () => {
    const host = lab().hosts[1]!;
    const trusted = serverFor(host);
    const { fleet, monitor, seen } = monitorOf([trusted]);
    expect((await monitor.refresh()).servers[trusted.id]!.state).toBe('ok');
    const oldLink = await fleet.link(trusted);
    // The key changes and sshd restarts, keeping the open connection (as `systemctl restart ssh` does).
    const { oldFingerprint, newFingerprint } = await regenerateHostKey(host.name, { keepConnections: true });
    cleanups.push(() => restoreHostKey(host.name));
    expect(oldLink.isOpen).toBe(true);
    // A person connects: the open link is not taken on trust, the key is read again and refused.
    const before = seen.length;
    const refused = await fleet.connections.checkedLinkTo(trusted).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      problem: { code: 'host-key-changed', details: { trusted: oldFingerprint, presented: newFingerprint } },
    });
    // The fleet heard of it at once, without a refresh.
    expect(seen.slice(before)).toEqual([
      expect.objectContaining({ state: 'untrusted', problem: expect.objectContaining({ code: 'host-key-changed' }) }),
    ]);
    // A refresh keeps saying so, though the older link (made with the trusted key) still answers.
    expect((await monitor.refresh()).servers[trusted.id]).toMatchObject({
      state: 'untrusted',
      problem: { code: 'host-key-changed' },
    });
    expect(oldLink.isOpen).toBe(true);
    // The trusted key back: the next refresh finds it and the server is ok again.
    await restoreHostKey(host.name, { keepConnections: true });
    expect((await monitor.refresh()).servers[trusted.id]!.state).toBe('ok');
  });

  it('reconnects by itself after sshd is killed and restarted mid-refresh', async () => {
    const host = lab().hosts[2]!;
    const server = serverFor(host);
    const { monitor, seen } = monitorOf([server], { refreshMs: 300, parallelism: 8 });
    const first = (await monitor.refresh()).servers[server.id]!;
    expect(first.state).toBe('ok');
    monitor.start();
    await stopSshd(host.name);
    cleanups.push(() => startSshd(host.name).catch(() => undefined));
    const down = await waitFor(() => seen.find((s) => s.state === 'unreachable'), 15_000);
    expect(down.problem?.code).toMatch(/unreachable|disconnected|timeout/);
    const before = seen.length;
    await startSshd(host.name);
    const back = await waitFor(() => seen.slice(before).find((s) => s.state === 'ok'), 40_000);
    expect(back.containers?.map((c) => c.name)).toContain('lab-app-v1');
    monitor.stop();
  }, 60_000);

  it('reaches a host through a jump host, and says so when the jump host forbids it', async () => {
    const { jump, noJump } = lab();
    const target = lab().hosts[0]!;
    const jumpServer = serverFor(jump);
    const behind: Server = { ...serverFor(target), id: 'behind', name: 'behind', jumpServerId: jumpServer.id };
    const { fleet } = monitorOf([jumpServer, behind]);
    const link = await fleet.link(behind);
    let out = '';
    await link.exec(command('sh', ['-c', 'echo "$DOCKER_HOST"'], 'test'), { onStdout: (t) => (out += t) });
    expect(out.trim()).toBe(`unix://${target.dockerSocket}`);
    expect((await (await fleet.docker(behind)).containers()).map((c) => c.name)).toContain('lab-app-v1');
    expect(sshdLog(jump.name)).toMatch(
      new RegExp(`direct-tcpip.*127\\.0\\.0\\.1.*${target.sshPort}|${target.sshPort}.*direct-tcpip`, 's'),
    );

    const refusing = serverFor(noJump);
    const blocked: Server = { ...serverFor(target), id: 'blocked', name: 'blocked', jumpServerId: refusing.id };
    const other = monitorOf([refusing, blocked]);
    const error = await other.fleet.link(blocked).catch((e: unknown) => e);
    expect((error as { problem?: unknown }).problem).toMatchObject({
      code: 'unreachable',
      message: expect.stringContaining(`The jump host ${noJump.name} could not reach`),
    });
  });

  it('runs 50 commands in parallel over one connection of the fast lab user', async () => {
    const target = lab().hosts[0]!;
    const link = await SshLink.open({ ...targetFor(target), user: lab().sdlab.user });
    cleanups.push(() => link.close());
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        let out = '';
        const r = await link.exec(command('sh', ['-c', `echo n${i}; exit ${i % 5}`], 'test'), {
          onStdout: (t) => (out += t),
        });
        return [out, r.exitCode];
      }),
    );
    results.forEach((r, i) => expect(r).toEqual([`n${i}\n`, i % 5]));
  });

  it('reads vital signs over SFTP, starting no process, and the shell probe agrees', async () => {
    const link = await SshLink.open(targetFor(lab().hosts[0]!));
    cleanups.push(() => link.close());
    const viaSftp = await new HostProbe(link, 'lab-1').facts();
    const viaShell = await new HostProbe(link, 'lab-1', 'shell').facts();
    expect(viaSftp.kernel).toBe(viaShell.kernel);
    expect(viaSftp.os).toBe(viaShell.os);
    expect(viaSftp.cpus).toBe(viaShell.cpus);
    expect(viaSftp.memory.totalBytes).toBe(viaShell.memory.totalBytes);
    expect(viaSftp.disk.totalBytes).toBe(viaShell.disk.totalBytes);
    expect(Math.abs(viaSftp.disk.usedBytes - viaShell.disk.usedBytes)).toBeLessThan(viaShell.disk.totalBytes * 0.01);
    expect(Math.abs(viaSftp.uptimeSeconds - viaShell.uptimeSeconds)).toBeLessThanOrEqual(2);
  });

  it('reaches Docker through `docker system dial-stdio` when stream forwarding is not an option', async () => {
    const target = lab().hosts[0]!;
    const server = serverFor(target);
    const link = await SshLink.open(targetFor(target));
    cleanups.push(() => link.close());
    const docker = await DockerLink.open(link, server, 'dial-stdio');
    expect(docker.transport).toBe('dial-stdio');
    expect((await docker.containers()).map((c) => c.name)).toContain('lab-app-v1');
    expect((await docker.version()).version).toMatch(/^\d+\./);
  });
});

describe('importing', () => {
  it('trusts host keys listed in known_hosts, and only those', async () => {
    const e = engine();
    const [lab1, lab2] = lab().hosts;
    const add = (name: string, port: number) =>
      value<Server>(
        e.handle('addServer', {
          name,
          host: '127.0.0.1',
          port,
          user: 'root',
          auth: { kind: 'key', keyPath: lab().clientKey },
          environment: 'staging',
          labels: [],
          dockerSocket: '',
        }),
      );
    const a = await add('kh-1', lab1!.sshPort);
    const b = await add('kh-2', lab2!.sshPort);
    const unlisted = join(mkdtempSync(join(tmpdir(), 'sd-kh-')), 'known_hosts');
    writeFileSync(unlisted, '');
    expect(await value<KnownHostsImport>(e.handle('importKnownHosts', { path: unlisted }))).toMatchObject({
      trusted: [],
      notListed: [
        { serverId: a.id, name: 'kh-1', reason: 'not listed' },
        { serverId: b.id, name: 'kh-2', reason: 'not listed' },
      ],
    });
    const result = await value<KnownHostsImport>(e.handle('importKnownHosts', { path: knownHostsFile() }));
    expect(result.trusted).toEqual([
      { serverId: a.id, name: 'kh-1', fingerprint: lab1!.hostKeyFingerprint },
      { serverId: b.id, name: 'kh-2', fingerprint: lab2!.hostKeyFingerprint },
    ]);
    expect(await e.handle('connectServer', { id: a.id })).toMatchObject({ ok: true });
  });

  it('imports hosts from an ssh config, jump hosts included, and reaches them', async () => {
    const e = engine();
    const target = lab().hosts[2]!;
    const config = join(mkdtempSync(join(tmpdir(), 'sd-cfg-')), 'config');
    writeFileSync(
      config,
      [
        'Host bastion',
        `  HostName 127.0.0.1`,
        `  Port ${lab().jump.sshPort}`,
        '  User root',
        `  IdentityFile ${lab().clientKey}`,
        'Host app-behind',
        '  HostName 127.0.0.1',
        `  Port ${target.sshPort}`,
        '  ProxyJump bastion',
        'Host *',
        '  User root',
        `  IdentityFile ${lab().clientKey}`,
        '',
      ].join('\n'),
    );
    const reading = await value<{ hosts: { alias: string; inInventory: boolean }[] }>(
      e.handle('readSshConfig', { path: config }),
    );
    expect(reading.hosts.map((h) => h.alias)).toEqual(['bastion', 'app-behind']);
    const imported = await value<SshImport>(
      e.handle('importSshHosts', { path: config, aliases: ['app-behind', 'nope'] }),
    );
    expect(imported.added.map((s) => s.name)).toEqual(['bastion', 'app-behind']);
    expect(imported.skipped).toEqual([{ alias: 'nope', reason: `no Host nope in ${config}` }]);
    const [bastion, behind] = imported.added;
    expect(behind).toMatchObject({
      port: target.sshPort,
      user: 'root',
      jumpServerId: bastion!.id,
      auth: { kind: 'key', keyPath: lab().clientKey },
    });
    await value(e.handle('importKnownHosts', { path: knownHostsFile() }));
    expect(await e.handle('connectServer', { id: behind!.id })).toMatchObject({
      ok: true,
      value: { fingerprint: target.hostKeyFingerprint },
    });
    const again = await value<{ hosts: { alias: string; inInventory: boolean }[] }>(
      e.handle('readSshConfig', { path: config }),
    );
    expect(again.hosts.every((h) => h.inInventory)).toBe(true);
  });
});

async function waitFor<T>(find: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing came within ${timeoutMs} ms`);
}
