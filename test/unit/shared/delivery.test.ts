import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveryMetrics,
  median,
  type DeliveryGroup,
  type DeliveryIncident,
  type DeliveryMetrics,
  type DeliveryRun,
} from '../../../shared/delivery';
import type { IncidentSummary } from '../../../shared/incident';
import type { RunSummary } from '../../../shared/run';
import { Engine } from '../../../electron/engine/engine';
import { fileLog } from '../../../electron/engine/log';
import { confSettingsStore } from '../../../electron/engine/settings-store';
import { keyFileCipher } from '../../../electron/engine/vault';
import { fixtureIncidents, fixtureRuns, period, runIdOf, writeHistory } from '../../fixtures/history/history';

const min = 60_000;
const id = runIdOf;

/** The fixture history as the engine lists it: journals written to a data folder, read back through listRuns. */
let runs: readonly RunSummary[];
let engine: Engine;
beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-history-'));
  writeHistory(dataDir);
  engine = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: '0.0.0-test',
    cipher: keyFileCipher(dataDir),
  });
  const listed = await engine.handle('listRuns', {});
  if (!listed.ok) throw new Error(listed.problem.message);
  runs = listed.value as RunSummary[];
});
afterAll(() => engine?.close());

function group(metrics: DeliveryMetrics, service: string, environment: string): DeliveryGroup {
  const found = metrics.groups.find((g) => g.service === service && g.environment === environment);
  if (!found) throw new Error(`no group ${service}/${environment}`);
  return found;
}

describe('the fixture history as listed', () => {
  it('lists every run with who started it, its notes, phases and the staging run it was promoted from', () => {
    expect(runs).toHaveLength(fixtureRuns.length);
    const web16 = runs.find((r) => r.id === id(16))!;
    expect(web16).toMatchObject({
      service: 'web',
      environment: 'production',
      version: 'v1.6.0',
      status: 'rolled-back',
      startedBy: 'alice',
      who: 'alice@laptop',
      notes: 'Wishlist',
      class: 'medium',
      promotedFrom: id(15),
      endedAt: '2025-05-22T14:40:00.000Z',
    });
    expect(web16.phases.map((p) => `${p.phase}:${p.state}`)).toEqual([
      'PREPARE:done',
      'BACKUP:done',
      'DEPLOY:done',
      'VERIFY:done',
      'ROLLBACK:done',
    ]);
    expect(runs.find((r) => r.id === id(14))!.promotedFrom).toBeUndefined();
  });

  it('lists the incidents as the fixture has them, the open one without a mitigation or resolution', async () => {
    const listed = await engine.handle('listIncidents', {});
    if (!listed.ok) throw new Error(listed.problem.message);
    const byId = new Map((listed.value as IncidentSummary[]).map((i) => [i.id, i]));
    for (const incident of fixtureIncidents) {
      const { id: incidentId, service, environment, detectedAt, mitigatedAt, resolvedAt, causedBy, status } = incident;
      expect(byId.get(incidentId)).toEqual(
        expect.objectContaining({
          id: incidentId,
          service,
          environment,
          detectedAt,
          causedBy,
          status,
          ...(mitigatedAt ? { mitigatedAt } : {}),
          ...(resolvedAt ? { resolvedAt } : {}),
        }),
      );
    }
    expect(byId.get('inc-3')).not.toHaveProperty('resolvedAt');
    expect(byId.get('inc-3')).not.toHaveProperty('mitigatedAt');
  });
});

describe('delivery metrics of the fixture history, against a hand count', () => {
  // Period: Mon 5 May 2025 00:00 UTC to Mon 2 June 00:00 = 28 days = 4 weeks; week buckets
  // W1 5–11 May, W2 12–18, W3 19–25, W4 26 May–1 June. Run #0 (28 April) and #22 (2 June) are outside.
  let metrics: DeliveryMetrics;
  beforeAll(() => {
    metrics = deliveryMetrics(runs, fixtureIncidents, { ...period, bucket: 'week' });
  });

  it('has four weekly buckets and one group per service and environment', () => {
    expect(metrics.weeks).toBe(4);
    expect(metrics.buckets.map((b) => b.start.slice(0, 10))).toEqual([
      '2025-05-05',
      '2025-05-12',
      '2025-05-19',
      '2025-05-26',
    ]);
    expect(metrics.groups.map((g) => `${g.service}/${g.environment}`)).toEqual([
      'api/staging',
      'api/production',
      'web/staging',
      'web/production',
    ]);
  });

  it('web production', () => {
    const g = group(metrics, 'web', 'production');
    // Deployment frequency: confirmed #2 (5 May), #6 (9 May), #11 (14 May), #14 (21 May), #21 (28 May) = 5 live;
    // #16 was rolled back; #0 is before the period. 5 / 4 weeks = 1.25 a week; per week 2, 1, 1, 1.
    expect(g.deploymentFrequency.live).toEqual([id(2), id(6), id(11), id(14), id(21)]);
    expect(g.deploymentFrequency.perWeek).toBe(1.25);
    expect(g.deploymentFrequency.perBucket.map((b) => b.length)).toEqual([2, 1, 1, 1]);
    // Change failure rate: deployments #2 #6 #11 #14 #16 #21 = 6; failures #6 (inc-1 names it) and #16 (rolled back) = 2.
    // 2 / 6 = 0.333…; per week W1 1/2 (#2, #6), W2 0/1, W3 1/2 (#14, #16), W4 0/1.
    expect(g.changeFailureRate.deployments).toEqual([id(2), id(6), id(11), id(14), id(16), id(21)]);
    expect(g.changeFailureRate.failures).toEqual([
      { runId: id(6), status: 'confirmed', incidents: ['inc-1'] },
      { runId: id(16), status: 'rolled-back', incidents: [] },
    ]);
    expect(g.changeFailureRate.rate).toBeCloseTo(2 / 6, 12);
    expect(g.changeFailureRate.perBucket.map((b) => `${b.failures}/${b.deployments}`)).toEqual([
      '1/2',
      '0/1',
      '1/2',
      '0/1',
    ]);
    // Time to restore: inc-1 detected 9 May 10:00, mitigated 10:45 = 45 min;
    // #16 rollback started 22 May 14:35 (VERIFY had passed, a person rolled back), ended 14:40 = 5 min. Median (5 + 45) / 2 = 25 min.
    expect(g.timeToRestore.values.map((v) => [v.kind, v.id, v.ms / min])).toEqual([
      ['incident', 'inc-1', 45],
      ['release', id(16), 5],
    ]);
    expect(g.timeToRestore.medianMs).toBe(25 * min);
    expect(g.timeToRestore.open).toEqual([]);
    // Lead time, first run of the version anywhere → confirmed here:
    // #2  v1.4.0: #1 5 May 09:00 → 5 May 14:30 = 5 h 30 = 330 min
    // #6  v1.4.1: #5 8 May 11:00 → 9 May 09:30 = 22 h 30 = 1350 min
    // #11 v1.5.0: #9 13 May 10:00 (the failed staging run) → 14 May 09:30 = 23 h 30 = 1410 min
    // #14 v1.5.1: #14 itself 21 May 16:00 → 16:10 = 10 min (emergency, no staging)
    // #21 v1.6.1: #20 27 May 10:00 → 28 May 10:30 = 24 h 30 = 1470 min
    // Sorted 10, 330, 1350, 1410, 1470: median 1350 min = 22 h 30.
    expect(g.leadTime.values.map((v) => [v.runId, v.firstRunId, v.ms / min])).toEqual([
      [id(2), id(1), 330],
      [id(6), id(5), 1350],
      [id(11), id(9), 1410],
      [id(14), id(14), 10],
      [id(21), id(20), 1470],
    ]);
    expect(g.leadTime.medianMs).toBe(1350 * min);
  });

  it('web staging', () => {
    const g = group(metrics, 'web', 'staging');
    // Live: #1 (5 May), #5 (8 May), #10 (13 May), #15 (22 May), #20 (27 May) = 5; 5 / 4 = 1.25 a week; per week 2, 1, 1, 1.
    expect(g.deploymentFrequency.live).toEqual([id(1), id(5), id(10), id(15), id(20)]);
    expect(g.deploymentFrequency.perWeek).toBe(1.25);
    expect(g.deploymentFrequency.perBucket.map((b) => b.length)).toEqual([2, 1, 1, 1]);
    // Deployments: those 5 and #9 (failed in DEPLOY) = 6; failures: #9 = 1. 1 / 6.
    expect(g.changeFailureRate.deployments).toEqual([id(1), id(5), id(9), id(10), id(15), id(20)]);
    expect(g.changeFailureRate.failures).toEqual([{ runId: id(9), status: 'failed', incidents: [] }]);
    expect(g.changeFailureRate.rate).toBeCloseTo(1 / 6, 12);
    expect(g.changeFailureRate.perBucket.map((b) => `${b.failures}/${b.deployments}`)).toEqual([
      '0/2',
      '1/2',
      '0/1',
      '0/1',
    ]);
    // Time to restore: #9 failed in DEPLOY at 13 May 10:12 without a rollback; the next confirmed web staging run, #10, ended 15:20.
    // 5 h 08 = 308 min; one value, median 308 min.
    expect(g.timeToRestore.values).toEqual([
      {
        kind: 'release',
        id: id(9),
        from: '2025-05-13T10:12:00.000Z',
        to: '2025-05-13T15:20:00.000Z',
        ms: 308 * min,
        healthyBy: { runId: id(10) },
      },
    ]);
    expect(g.timeToRestore.medianMs).toBe(308 * min);
    // Lead time: #1, #5, #15, #20 each 20 min (their own start to end); #10: #9 13 May 10:00 → 15:20 = 320 min. Median of 20, 20, 20, 20, 320 = 20 min.
    expect(g.leadTime.values.map((v) => v.ms / min)).toEqual([20, 20, 320, 20, 20]);
    expect(g.leadTime.medianMs).toBe(20 * min);
  });

  it('api production', () => {
    const g = group(metrics, 'api', 'production');
    // Live: #8 (12 May), #13 (20 May), #19 (27 May) = 3; #4 was rolled back. 3 / 4 = 0.75 a week; per week 0, 1, 1, 1.
    expect(g.deploymentFrequency.live).toEqual([id(8), id(13), id(19)]);
    expect(g.deploymentFrequency.perWeek).toBe(0.75);
    expect(g.deploymentFrequency.perBucket.map((b) => b.length)).toEqual([0, 1, 1, 1]);
    // Deployments #4 #8 #13 #19 = 4; failures #4 (rolled back), #13 (inc-2), #19 (inc-3, still open) = 3. 3 / 4 = 0.75.
    expect(g.changeFailureRate.failures.map((f) => [f.runId, f.status, f.incidents])).toEqual([
      [id(4), 'rolled-back', []],
      [id(13), 'confirmed', ['inc-2']],
      [id(19), 'confirmed', ['inc-3']],
    ]);
    expect(g.changeFailureRate.rate).toBe(0.75);
    expect(g.changeFailureRate.perBucket.map((b) => `${b.failures}/${b.deployments}`)).toEqual([
      '1/1',
      '0/1',
      '1/1',
      '1/1',
    ]);
    // Time to restore: #4 VERIFY failed 7 May 10:20, rollback done 10:22 = 2 min; inc-2 detected 20 May 11:00,
    // resolved 13:00 with no separate mitigation = 120 min; inc-3 is open: no value. Median (2 + 120) / 2 = 61 min.
    expect(g.timeToRestore.values.map((v) => [v.id, v.ms / min, v.healthyBy])).toEqual([
      [id(4), 2, 'rollback'],
      ['inc-2', 120, 'resolved'],
    ]);
    expect(g.timeToRestore.medianMs).toBe(61 * min);
    expect(g.timeToRestore.open).toEqual(['inc-3']);
    // Lead time: #8 12 May 09:00 (#7) → 13:30 = 270; #13 19 May 09:00 (#12) → 20 May 10:30 = 1530;
    // #19 26 May 09:00 (#18) → 27 May 09:30 = 1470. Median of 270, 1470, 1530 = 1470 min.
    expect(g.leadTime.values.map((v) => v.ms / min)).toEqual([270, 1530, 1470]);
    expect(g.leadTime.medianMs).toBe(1470 * min);
  });

  it('api staging', () => {
    const g = group(metrics, 'api', 'staging');
    // Live #3, #7, #12, #18 = 4, one a week: 1.0. #17 failed in PREPARE: not a deployment. CFR 0 / 4.
    expect(g.deploymentFrequency.perWeek).toBe(1);
    expect(g.deploymentFrequency.perBucket.map((b) => b.length)).toEqual([1, 1, 1, 1]);
    expect(g.changeFailureRate.deployments).toEqual([id(3), id(7), id(12), id(18)]);
    expect(g.changeFailureRate.deployments).not.toContain(id(17));
    expect(g.changeFailureRate.rate).toBe(0);
    expect(g.timeToRestore.values).toEqual([]);
    expect(g.timeToRestore.medianMs).toBeUndefined();
    // Lead time 15 min each (09:00 → 09:15, 10:00 → 10:15).
    expect(g.leadTime.values.map((v) => v.ms / min)).toEqual([15, 15, 15, 15]);
    expect(g.leadTime.medianMs).toBe(15 * min);
  });

  it('counts by day too', () => {
    const daily = deliveryMetrics(runs, fixtureIncidents, { ...period, bucket: 'day' });
    expect(daily.buckets).toHaveLength(28);
    const g = group(daily, 'web', 'production');
    // 5 May: #2; 9 May: #6 (day 4); 14 May: #11 (day 9); 21 May: #14 (day 16); 28 May: #21 (day 23).
    const days = g.deploymentFrequency.perBucket.flatMap((b, i) => (b.length > 0 ? [i] : []));
    expect(days).toEqual([0, 4, 9, 16, 23]);
    expect(g.deploymentFrequency.perWeek).toBe(1.25);
  });
});

describe('delivery metrics, edge cases', () => {
  const week = { from: '2025-05-05T00:00:00.000Z', to: '2025-05-12T00:00:00.000Z', bucket: 'week' as const };
  const t = (day: number, hhmm: string) => `2025-05-${String(day).padStart(2, '0')}T${hhmm}:00.000Z`;
  const confirmed = (
    runId: string,
    service: string,
    environment: string,
    version: string,
    start: string,
    end: string,
  ): DeliveryRun => ({
    id: runId,
    service,
    environment,
    version,
    startedAt: start,
    endedAt: end,
    status: 'confirmed',
    phases: [
      { phase: 'DEPLOY', state: 'done', startedAt: start, endedAt: end },
      { phase: 'CONFIRM', state: 'done', startedAt: end, endedAt: end },
    ],
  });

  it('no runs: no groups, empty buckets, nothing divided by zero', () => {
    const m = deliveryMetrics([], [], week);
    expect(m.groups).toEqual([]);
    expect(m.buckets).toHaveLength(1);
    expect(m.weeks).toBe(1);
  });

  it('runs outside the period count nowhere, but a version first run before it still dates the release', () => {
    const staged = confirmed('a', 'web', 'staging', 'v1', t(1, '09:00'), t(1, '09:20'));
    const live = confirmed('b', 'web', 'production', 'v1', t(6, '09:00'), t(6, '09:30'));
    const after = confirmed('c', 'web', 'production', 'v2', t(12, '00:00'), t(12, '00:10'));
    const m = deliveryMetrics([staged, live, after], [], week);
    const staging = m.groups.find((g) => g.environment === 'staging')!;
    expect(staging.deploymentFrequency.count).toBe(0);
    expect(staging.changeFailureRate.rate).toBeUndefined();
    expect(staging.changeFailureRate.perBucket).toEqual([{ deployments: 0, failures: 0 }]);
    const production = m.groups.find((g) => g.environment === 'production')!;
    expect(production.deploymentFrequency.live).toEqual(['b']);
    // 1 May 09:00 → 6 May 09:30 = 5 d 30 min.
    expect(production.leadTime.values[0]).toMatchObject({ firstRunId: 'a', ms: (5 * 24 * 60 + 30) * min });
  });

  it('an open incident is a failure of the run it names but has no time to restore; a mitigated one restores at mitigation', () => {
    const run = confirmed('r', 'api', 'production', 'v1', t(6, '10:00'), t(6, '10:30'));
    const open: DeliveryIncident = {
      id: 'open',
      service: 'api',
      environment: 'production',
      detectedAt: t(6, '11:00'),
      causedBy: 'r',
    };
    const mitigated: DeliveryIncident = {
      id: 'mitigated',
      service: 'api',
      environment: 'production',
      detectedAt: t(7, '08:00'),
      mitigatedAt: t(7, '08:20'),
    };
    const g = deliveryMetrics([run], [open, mitigated], week).groups[0]!;
    expect(g.changeFailureRate.failures).toEqual([{ runId: 'r', status: 'confirmed', incidents: ['open'] }]);
    expect(g.changeFailureRate.rate).toBe(1);
    // The mitigated incident names no run: it costs no run its success, but its restore counts.
    expect(g.timeToRestore.values.map((v) => [v.id, v.ms / min, v.healthyBy])).toEqual([
      ['mitigated', 20, 'mitigated'],
    ]);
    expect(g.timeToRestore.open).toEqual(['open']);
  });

  it('an incident of the same service and environment that names no run is no change failure, whatever its time', () => {
    const run = confirmed('r', 'api', 'production', 'v1', t(6, '10:00'), t(6, '10:30'));
    const soonAfter: DeliveryIncident = {
      id: 'i',
      service: 'api',
      environment: 'production',
      detectedAt: t(6, '10:35'),
      resolvedAt: t(6, '11:35'),
    };
    const g = deliveryMetrics([run], [soonAfter], week).groups[0]!;
    expect(g.changeFailureRate.rate).toBe(0);
  });

  it('runs still under way and runs that stopped before DEPLOY are no deployments', () => {
    const running: DeliveryRun = {
      id: 'w',
      service: 'web',
      environment: 'production',
      version: 'v3',
      startedAt: t(6, '10:00'),
      status: 'awaiting-decision',
      phases: [{ phase: 'DEPLOY', state: 'done', startedAt: t(6, '10:00'), endedAt: t(6, '10:05') }],
    };
    const stopped: DeliveryRun = {
      id: 'p',
      service: 'web',
      environment: 'production',
      version: 'v4',
      startedAt: t(6, '11:00'),
      endedAt: t(6, '11:02'),
      status: 'rolled-back',
      phases: [{ phase: 'PREPARE', state: 'skipped', startedAt: t(6, '11:00'), endedAt: t(6, '11:02') }],
    };
    const g = deliveryMetrics([running, stopped], [], week).groups[0]!;
    expect(g.changeFailureRate.deployments).toEqual([]);
    expect(g.timeToRestore.values).toEqual([]);
  });

  it('a failed deployment nothing has restored yet has no time to restore', () => {
    const failed: DeliveryRun = {
      id: 'f',
      service: 'web',
      environment: 'production',
      version: 'v5',
      startedAt: t(6, '10:00'),
      endedAt: t(6, '10:05'),
      status: 'failed',
      phases: [{ phase: 'DEPLOY', state: 'failed', startedAt: t(6, '10:00'), endedAt: t(6, '10:05') }],
    };
    const g = deliveryMetrics([failed], [], week).groups[0]!;
    expect(g.changeFailureRate.rate).toBe(1);
    expect(g.timeToRestore.values).toEqual([]);
    expect(g.timeToRestore.open).toEqual(['f']);
  });

  it('is deterministic: the same input gives the same output, whatever order the runs come in', () => {
    const a = deliveryMetrics(runs, fixtureIncidents, { ...period, bucket: 'week' });
    const b = deliveryMetrics([...runs].reverse(), [...fixtureIncidents].reverse(), { ...period, bucket: 'week' });
    expect(b).toEqual(a);
  });

  it('median: odd, even, none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});
