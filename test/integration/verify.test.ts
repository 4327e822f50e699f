import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../shared/contract';
import type { RunPreview, RunRecord, RunStatus, RunSummary } from '../../shared/run';
import type { DecisionCard, Sample } from '../../shared/verify';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { startSshd, stopSshd } from '../lab/control';
import { knownHostsFile } from '../lab/lab-state';
import { labReload, restoreLabHosts } from '../support/lab-cleanup';
import { lab } from '../support/lab-servers';
import { freePortPair } from '../support/ports';

const hosts = lab().hosts.slice(0, 2);
type Caller = (channel: string, request: unknown) => Promise<Reply<unknown>>;

async function value<T>(call: Caller, channel: string, request: unknown): Promise<T> {
  const r = await call(channel, request);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.problem)}`);
  return r.value as T;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** What a host's public port (its nginx) answers now. */
async function serving(publicPort: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${publicPort}/`, { headers: { Connection: 'close' } });
  return (await response.text()).trim();
}

let port: number;
beforeAll(async () => {
  port = await freePortPair();
});

/** The service: VERIFY probes /cgi-bin/app at 20/s per release and host, and wants `samples` of each before a verdict. */
function specFor(samples: number): string {
  return [
    'service: web',
    'image: shipdeck-lab/app',
    `port: ${port}`,
    `servers: { staging: [${hosts.map((h) => h.name).join(', ')}] }`,
    'healthcheck: { path: /up, status: 200, interval: 200ms, timeout: 1s, retries: 50 }',
    'metrics: { http: ["/cgi-bin/app"], container: true, host: true }',
    `verify: { duration: 20s, rate: 20, samples: ${samples} }`,
    'retain: 2',
  ].join('\n');
}
afterAll(() => restoreLabHosts(hosts));

/** A fresh engine with the two lab hosts and the service, and a release of `version` started. */
async function release(version: string, samples = 50): Promise<{ engine: Engine; call: Caller; runId: string }> {
  await restoreLabHosts(hosts);
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-verify-'));
  const engine = new Engine({ store: confSettingsStore(dataDir), log: fileLog(dataDir), dataDir, host: 'browser', version: 'test', cipher: keyFileCipher(dataDir) });
  const call: Caller = (channel, request) => engine.handle(channel, request);
  for (const host of hosts) {
    await value(call, 'addServer', { name: host.name, host: '127.0.0.1', port: host.sshPort, user: 'root', auth: { kind: 'key', keyPath: lab().clientKey }, environment: 'staging', labels: [], dockerSocket: '', proxy: { upstreamFile: host.nginx!.upstream, reload: labReload(host) } });
  }
  await value(call, 'importKnownHosts', { path: knownHostsFile() });
  await value(call, 'saveService', { text: specFor(samples) });
  const preview = await value<RunPreview>(call, 'planRelease', { service: 'web', environment: 'staging', version });
  const run = await value<RunSummary>(call, 'startRun', { previewId: preview.previewId, notes: `verify ${version}` });
  return { engine, call, runId: run.id };
}

/** Wait until the run ends in one of `statuses` (any other end fails the test with its problem). */
async function ending(call: Caller, runId: string, statuses: RunStatus[]): Promise<RunRecord> {
  return until(`run ${runId} to end in ${statuses.join(' or ')}`, async () => {
    const run = await value<RunRecord>(call, 'getRun', { runId });
    if (statuses.includes(run.status)) return run;
    if (run.status !== 'running') throw new Error(`run ended ${run.status}: ${JSON.stringify(run.problem)} ${JSON.stringify(run.verification?.judgement?.cards.map((c) => `${c.metric}: ${c.verdict} ${c.reason}`))}`);
    return undefined;
  });
}

function card(run: RunRecord, metric: DecisionCard['metric']): DecisionCard {
  const found = run.verification?.judgement?.cards.find((c) => c.metric === metric);
  if (!found) throw new Error(`no ${metric} card in ${JSON.stringify(run.verification)}`);
  return found;
}

describe('VERIFY judges the release against its baseline', () => {
  it('a normal v2 passes every rule, side by side with v1, and the run confirms by itself', async () => {
    const { engine, call, runId } = await release('v2');
    try {
      const run = await ending(call, runId, ['confirmed']);
      expect(run.verification).toMatchObject({ comparison: 'concurrent', state: 'decided', acted: 'confirmed' });
      expect(run.verification!.judgement!.decision).toBe('pass');
      expect(card(run, 'error rate').verdict).toBe('pass');
      expect(card(run, 'latency shift')).toMatchObject({ verdict: 'pass', test: 'Mann-Whitney U, Hodges-Lehmann shift' });
      expect(card(run, 'health').verdict).toBe('pass');
      expect(run.phases.map((p) => `${p.phase}:${p.state}`)).toEqual(['PREPARE:done', 'BACKUP:skipped', 'DEPLOY:done', 'VERIFY:done', 'CONFIRM:done']);
      // PREPARE measured v1 first; VERIFY probed v1 and v2 at the same time.
      const samples = await value<{ baseline: Sample[]; candidate: Sample[] }>(call, 'getRunSamples', { runId });
      expect(samples.baseline.filter((s) => s.kind === 'http').length).toBeGreaterThanOrEqual(50);
      expect(samples.candidate.filter((s) => s.kind === 'http').length).toBeGreaterThanOrEqual(50);
      expect(new Set(samples.candidate.map((s) => s.host))).toEqual(new Set(hosts.map((h) => h.name)));
      expect(samples.candidate.some((s) => s.kind === 'container')).toBe(true);
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v2');
    } finally {
      engine.close();
    }
  }, 90_000);

  it('a v2 that adds 500 ms to every answer fails on degradation and is rolled back by itself', async () => {
    const { engine, call, runId } = await release('v2-slow');
    try {
      const run = await ending(call, runId, ['rolled-back']);
      expect(run.verification).toMatchObject({ acted: 'rolled-back' });
      const shift = card(run, 'latency shift');
      expect(shift).toMatchObject({ verdict: 'fail', action: 'rollback' });
      // The interval of the shift is around +500 ms, far over the allowed 5 ms.
      expect(shift.interval!.low).toBeGreaterThan(400);
      expect(shift.interval!.high).toBeLessThan(700);
      expect(run.problem).toMatchObject({ code: 'verify-failed' });
      expect(run.problem!.message).toMatch(/^Rolled back by Shipdeck: Answers are \+/);
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v1');
    } finally {
      engine.close();
    }
  }, 90_000);

  it('a v2 answering 15% of requests with 500 is rolled back at once', async () => {
    const { engine, call, runId } = await release('v2-err15');
    try {
      const run = await ending(call, runId, ['rolled-back']);
      const errors = card(run, 'error rate');
      expect(errors).toMatchObject({ verdict: 'fail', action: 'rollback' });
      expect(errors.interval!.low).toBeGreaterThan(10);
      expect(errors.candidate).toMatch(/^1[45]\.?\d*% /);
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v1');
    } finally {
      engine.close();
    }
  }, 90_000);

  it('a v2 answering 7% with 500 pauses the run and asks', async () => {
    const { engine, call, runId } = await release('v2-err7');
    try {
      const run = await ending(call, runId, ['awaiting-decision']);
      expect(run.verification).toMatchObject({ acted: 'asked' });
      expect(run.verification!.judgement!.decision).toBe('ask');
      expect(card(run, 'error rate')).toMatchObject({ verdict: 'inconclusive', action: 'ask' });
      expect(card(run, 'error rate').reason).toMatch(/between 5\.0% and 10%/);
      // Nothing moved back: the person decides.
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v2-err7');
      await value(call, 'rollbackRun', { runId, reason: 'test: 7% is too many' });
    } finally {
      engine.close();
    }
  }, 90_000);

  it('a cut SSH link during VERIFY is an Error that asks a person, never a rollback', async () => {
    // More samples wanted than a second of probing gives, so that the cut comes before any verdict.
    const { engine, call, runId } = await release('v2', 300);
    const cut = hosts[0]!;
    try {
      await until('VERIFY sampling', async () => ((await value<RunRecord>(call, 'getRun', { runId })).verification?.state === 'sampling' ? true : undefined));
      await stopSshd(cut.name);
      const run = await ending(call, runId, ['awaiting-decision']);
      expect(run.verification).toMatchObject({ acted: 'asked' });
      const judgement = run.verification!.judgement!;
      expect(judgement.decision).toBe('ask');
      expect(judgement.cards.some((c) => c.verdict === 'error' && /could not measure/i.test(c.reason))).toBe(true);
      expect(judgement.cards.every((c) => c.action !== 'rollback')).toBe(true);
      // Traffic stays where it was: on v2, on both hosts.
      for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v2');
    } finally {
      await startSshd(cut.name);
      engine.close();
    }
  }, 90_000);

  it('judges a past run again with other thresholds, changing nothing', async () => {
    const { engine, call, runId } = await release('v2-slow');
    try {
      await ending(call, runId, ['rolled-back']);
      const record = await value<RunRecord>(call, 'getRun', { runId });
      const lenient = { ...record.verification!.thresholds, degradation: 1, degradationFloorMs: 2000 };
      const again = await value<{ decision: string; cards: DecisionCard[] }>(call, 'judgeAgain', { runId, thresholds: lenient });
      expect(again.cards.find((c) => c.metric === 'latency shift')).toMatchObject({ verdict: 'pass' });
      expect(again.decision).toBe('pass');
      // The record is as it was.
      expect((await value<RunRecord>(call, 'getRun', { runId })).status).toBe('rolled-back');
      const refused = await call('judgeAgain', { runId, thresholds: { ...lenient, degradation: 3 } });
      expect(refused).toMatchObject({ ok: false, problem: { code: 'bad-request', where: 'thresholds.degradation' } });
    } finally {
      engine.close();
    }
  }, 90_000);
});
