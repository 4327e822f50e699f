import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postmortemDraft, type Assessment, type Incident } from '../../shared/incident';
import type { RunPreview, RunRecord, RunSummary } from '../../shared/run';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { knownHostsFile } from '../lab/lab-state';
import { labReload, restoreLabHosts, serving } from '../support/lab-cleanup';
import { lab } from '../support/lab-servers';
import { freePortPair } from '../support/ports';
import { until, value, type Caller } from '../support/verify-lab';

// An incident on the lab: v2 is confirmed on both hosts, then breaks (its containers stop, so
// nginx answers 502). Incident mode assesses it, rolls back to the v1 still kept warm, and the
// postmortem is built from what really happened.

const hosts = lab().hosts.slice(0, 2);
let engine: Engine;
let call: Caller;

beforeAll(async () => {
  await restoreLabHosts(hosts);
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-incident-'));
  engine = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: 'test',
    cipher: keyFileCipher(dataDir),
  });
  call = (channel, request) => engine.handle(channel, request);
  for (const host of hosts) {
    await value(call, 'addServer', {
      name: host.name,
      host: '127.0.0.1',
      port: host.sshPort,
      user: 'root',
      auth: { kind: 'key', keyPath: lab().clientKey },
      environment: 'staging',
      labels: [],
      dockerSocket: '',
      proxy: { upstreamFile: host.nginx!.upstream, reload: labReload(host) },
    });
  }
  await value(call, 'importKnownHosts', { path: knownHostsFile() });
  await value(call, 'saveService', {
    text: [
      'service: web',
      'image: shipdeck-lab/app',
      `port: ${await freePortPair()}`,
      `servers: { staging: [${hosts.map((h) => h.name).join(', ')}] }`,
      'healthcheck: { path: /up, status: 200, interval: 200ms, timeout: 1s, retries: 50 }',
      'retain: 2',
    ].join('\n'),
  });
});

afterAll(async () => {
  engine?.close();
  await restoreLabHosts(hosts);
});

describe('incident mode', () => {
  it('mitigates a v2 that broke after confirm by rolling back to the warm v1, and its postmortem lists the real timeline', async () => {
    const preview = await value<RunPreview>(call, 'planRelease', {
      service: 'web',
      environment: 'staging',
      version: 'v2',
      change: { class: 'low', impact: 'lab' },
    });
    const release = await value<RunSummary>(call, 'startRun', { previewId: preview.previewId, notes: 'v2', by: 'Ana' });
    await until('v2 to wait for a decision', async () =>
      (await value<RunRecord>(call, 'getRun', { runId: release.id })).status === 'awaiting-decision' ? true : undefined,
    );
    await value(call, 'confirmRun', { runId: release.id });
    const confirmed = await value<RunRecord>(call, 'getRun', { runId: release.id });
    for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v2');

    // v2 breaks: its containers stop on both hosts.
    for (const host of hosts) {
      const docker = new Docker({ socketPath: host.dockerSocket! });
      for (const c of await docker.listContainers({
        filters: { label: ['shipdeck.service=web', 'shipdeck.release=v2'] },
      }))
        await docker.getContainer(c.Id).stop({ t: 1 });
    }
    const broken = await fetch(`http://127.0.0.1:${hosts[0]!.publicPort}/`, { headers: { Connection: 'close' } });
    expect(broken.status).toBe(502);

    const detectedAt = new Date(Date.now() - 60_000).toISOString();
    const opened = await value<Incident>(call, 'openIncident', {
      title: 'Shop returns 502',
      severity: 'critical',
      service: 'web',
      environment: 'staging',
      detection: 'pager: 502s on the shop',
      detectedAt,
      by: 'Cleo',
    });
    expect(opened).toMatchObject({ status: 'open', causedBy: release.id, detectedAt, openedBy: 'Cleo' });
    expect(opened.timeline.map((e) => e.step)).toEqual(['detect', 'detect']);
    expect(opened.timeline[1]!.text).toContain(
      `Follows the release of v2 to staging by Ana, confirmed ${confirmed.endedAt!.slice(0, 19).replace('T', ' ')} UTC`,
    );

    const assessment = await value<Assessment>(call, 'assessIncident', { id: opened.id, by: 'Cleo' });
    expect(assessment.summary).toMatch(/^0 of 2 hosts healthy/);
    for (const h of assessment.hosts) expect(h).toMatchObject({ reachable: true, live: 'v2', running: false });

    const diagnosis = await value<{ commandLine: string; exitCode: number; output: string }>(
      call,
      'diagnoseForIncident',
      {
        id: opened.id,
        serverId: (await value<{ id: string; name: string }[]>(call, 'listServers', {})).find(
          (s) => s.name === hosts[0]!.name,
        )!.id,
        diagnostic: 'docker-ps',
        by: 'Cleo',
      },
    );
    expect(diagnosis.commandLine).toBe('docker ps -a');
    expect(diagnosis.exitCode).toBe(0);
    expect(diagnosis.output).toMatch(/Exited/);

    const started = Date.now();
    const mitigation = await value<{ runId: string; version: string }>(call, 'rollbackIncident', {
      id: opened.id,
      by: 'Cleo',
    });
    expect(mitigation.version).toBe('v1');
    const mitigated = await until('the incident to be mitigated', async () => {
      const incident = await value<Incident>(call, 'getIncident', { id: opened.id });
      if (incident.timeline.some((e) => /waits for a person|is paused|ended (failed|rolled-back)/.test(e.text)))
        throw new Error(incident.timeline.map((e) => e.text).join('\n'));
      return incident.status === 'mitigated' ? incident : undefined;
    });
    const restoreMs = Date.now() - started;
    // Mitigated: a second rollback would bring back the release that broke, so it is refused.
    expect(await call('rollbackIncident', { id: opened.id, by: 'Cleo' })).toMatchObject({
      ok: false,
      problem: { message: 'Incident "Shop returns 502" is mitigated already' },
    });
    expect(
      mitigated.timeline.some(
        (e) => e.text === `Traffic is back on v1 on ${hosts.map((h) => h.name).join(', ')}; VERIFY watches it`,
      ),
    ).toBe(true);
    // Mitigated when the traffic moved back, which is when DEPLOY of the rollback run ended.
    const rollbackRun = await value<RunRecord>(call, 'getRun', { runId: mitigation.runId });
    expect(mitigated.mitigatedAt).toBe(rollbackRun.phases.find((p) => p.phase === 'DEPLOY')!.endedAt);
    for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v1');
    await until('the rollback run to be confirmed', async () =>
      (await value<Incident>(call, 'getIncident', { id: opened.id })).timeline.some((e) =>
        e.text.includes('the rollback run is confirmed'),
      )
        ? true
        : undefined,
    );
    // The rollback started the v1 kept warm: no new container was run.
    const run = await value<RunRecord>(call, 'getRun', { runId: mitigation.runId });
    expect(run).toMatchObject({
      status: 'confirmed',
      startedBy: 'Cleo',
      discipline: { class: 'emergency', checklist: 'reduced' },
    });
    expect(run.steps.some((s) => s.line.includes('docker run'))).toBe(false);
    expect(run.steps.filter((s) => s.line.startsWith('docker start ')).length).toBe(2);
    expect(run.gates.find((g) => g.gate === 'no-monitoring')?.override?.reason).toBe('Incident: Shop returns 502');
    expect(restoreMs).toBeLessThan(30_000);

    const resolved = await value<Incident>(call, 'resolveIncident', {
      id: opened.id,
      summary: 'v2 crashed on start of the sale; back on v1',
      by: 'Cleo',
    });
    expect(resolved.status).toBe('resolved');
    expect(Date.parse(resolved.mitigatedAt!)).toBeLessThanOrEqual(Date.parse(resolved.resolvedAt!));
    expect(resolved.timeline.map((e) => e.step)).toEqual([
      'detect',
      'detect',
      'assess',
      'mitigate',
      'mitigate',
      'mitigate',
      'mitigate',
      'resolve',
    ]);
    expect(resolved.timeline[6]!).toMatchObject({
      by: 'Shipdeck',
      runId: mitigation.runId,
      text: 'Rolled back to v1: VERIFY held, the rollback run is confirmed',
    });

    // The postmortem is the real timeline, with its times.
    const draft = postmortemDraft(resolved);
    for (const entry of resolved.timeline)
      expect(draft).toContain(
        `${entry.at.slice(0, 19).replace('T', ' ')} — ${entry.step}: ${entry.text.split('\n')[0]}`,
      );
    // The diagnostic's output stays inside its bullet.
    const timeline = draft
      .slice(draft.indexOf('## Timeline'), draft.indexOf('## Impact'))
      .trim()
      .split('\n')
      .slice(1)
      .filter(Boolean);
    expect(timeline.every((line) => line.startsWith('- ') || line.startsWith('  '))).toBe(true);
    expect(draft).toContain(
      `- Time to restore: ${Math.round((Date.parse(resolved.mitigatedAt!) - Date.parse(detectedAt)) / 60_000)} min (detected to mitigated)`,
    );
    const saved = await value<Incident>(call, 'savePostmortem', {
      id: opened.id,
      text: `${draft}\nRoot cause: the sale banner query.`,
      by: 'Cleo',
    });
    const exported = await value<{ fileName: string; text: string }>(call, 'exportIncident', { id: opened.id });
    expect(exported.text).toContain('Root cause: the sale banner query.');
    expect(exported.text).toContain('| Status | resolved |');
    expect(saved.timeline.at(-1)!.text).toBe('Postmortem written');
    // Each host's own audit log has a line for every deploy and confirm, with the run, in order.
    for (const host of hosts) {
      const lines = readFileSync(join(host.dir, 'home', '.shipdeck', 'web', 'audit.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, string>);
      expect(lines.map((l) => `${l.action} ${l.release} ${l.run}`)).toEqual([
        `deploy v2 ${release.id}`,
        `confirm v2 ${release.id}`,
        `deploy v1 ${mitigation.runId}`,
        `confirm v1 ${mitigation.runId}`,
      ]);
      expect(lines[0]).toMatchObject({
        who: expect.stringMatching(/@/),
        service: 'web',
        detail: 'traffic moved from v1',
      });
      expect(Date.parse(lines[0]!.at!)).toBeGreaterThan(Date.now() - 10 * 60_000);
    }
    // The reports of both runs carry the incident, its timeline and its postmortem as written.
    const causeReport = await value<{ text: string }>(call, 'exportRunReport', {
      runId: release.id,
      format: 'markdown',
    });
    expect(causeReport.text).toContain('## Incident: Shop returns 502');
    expect(causeReport.text).toContain('This run is the release the incident follows.');
    expect(causeReport.text).toContain('Root cause: the sale banner query.');
    const fixReport = await value<{ text: string }>(call, 'exportRunReport', {
      runId: mitigation.runId,
      format: 'html',
    });
    expect(fixReport.text).toContain('This run rolled the service back for it.');
    expect(fixReport.text).toContain('Root cause: the sale banner query.');
    // A resolved incident takes no more mitigation.
    expect((await call('rollbackIncident', { id: opened.id, by: 'Cleo' })).ok).toBe(false);
  }, 120_000);
});
