import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../shared/run';
import type { DecisionCard, Sample } from '../../shared/verify';
import { startSshd, stopSshd } from '../lab/control';
import { restoreLabHosts } from '../support/lab-cleanup';
import { lab } from '../support/lab-servers';
import { freePortPair } from '../support/ports';
import { ending, serving, startRelease, until, value, verifySpec } from '../support/verify-lab';

const hosts = lab().hosts.slice(0, 2);
let port: number;
beforeAll(async () => {
  port = await freePortPair();
});
afterAll(() => restoreLabHosts(hosts));

/** A release of `version` with VERIFY probing at 20/s for at most 20 s, wanting `samples` of each role before a verdict. */
const release = (version: string, samples = 50) =>
  startRelease(hosts, verifySpec(hosts, port, `{ duration: 20s, rate: 20, samples: ${samples} }`), version);

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
      expect(card(run, 'latency shift')).toMatchObject({
        verdict: 'pass',
        test: 'Mann-Whitney U, Hodges-Lehmann shift',
      });
      expect(card(run, 'health').verdict).toBe('pass');
      expect(run.phases.map((p) => `${p.phase}:${p.state}`)).toEqual([
        'PREPARE:done',
        'BACKUP:skipped',
        'DEPLOY:done',
        'VERIFY:done',
        'CONFIRM:done',
      ]);
      // PREPARE measured v1 first; VERIFY probed v1 and v2 at the same time.
      const samples = await value<{ baseline: Sample[]; candidate: Sample[] }>(call, 'getRunSamples', { runId });
      expect(samples.baseline.filter((s) => s.kind === 'http').length).toBeGreaterThanOrEqual(50);
      expect(samples.candidate.filter((s) => s.kind === 'http').length).toBeGreaterThanOrEqual(50);
      expect(new Set(samples.candidate.map((s) => s.host))).toEqual(new Set(hosts.map((h) => h.name)));
      expect(samples.candidate.some((s) => s.kind === 'container')).toBe(true);
      // The judgement acted on weighed every sample the journal holds: none was journaled after it.
      const answered = samples.candidate.filter(
        (s) => s.kind === 'http' && s.unmeasured === undefined && s.status > 0,
      ).length;
      expect(card(run, 'latency shift').samples.candidate).toBe(answered);
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
      // The fault answers 15% of requests with 500; the share measured is 15% within three standard errors of its count.
      const [, failed, answered] = /\((\d+) of (\d+)\)/.exec(errors.candidate)!.map(Number);
      expect(Math.abs(failed! / answered! - 0.15)).toBeLessThanOrEqual(3 * Math.sqrt((0.15 * 0.85) / answered!));
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
      expect(card(run, 'error rate').reason).toMatch(/between 5% and 10%/);
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
      await until('VERIFY sampling', async () =>
        (await value<RunRecord>(call, 'getRun', { runId })).verification?.state === 'sampling' ? true : undefined,
      );
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

  it('keeps the baseline of a run that stops before VERIFY (v3 fails its health check in DEPLOY)', async () => {
    const { engine, call, runId } = await release('v3');
    try {
      const run = await ending(call, runId, ['failed']);
      expect(run.phases.map((p) => `${p.phase}:${p.state}`)).toEqual([
        'PREPARE:done',
        'BACKUP:skipped',
        'DEPLOY:failed',
      ]);
      expect(run.verification).toMatchObject({ state: 'baseline', comparison: 'concurrent' });
      expect(run.verification!.baselineSamples).toBeGreaterThanOrEqual(50);
      expect(run.verification!.judgement).toBeUndefined();
    } finally {
      engine.close();
    }
  }, 90_000);

  it('judges a past run again with other thresholds, changing nothing', async () => {
    const { engine, call, runId } = await release('v2-slow');
    try {
      await ending(call, runId, ['rolled-back']);
      const record = await value<RunRecord>(call, 'getRun', { runId });
      const lenient = { ...record.verification!.thresholds, degradation: 1, degradationFloorMs: 2000 };
      const again = await value<{ decision: string; cards: DecisionCard[] }>(call, 'judgeAgain', {
        runId,
        thresholds: lenient,
      });
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
