import type { IncidentSummary } from './incident';
import type { PhaseRecord, RunSummary } from './run';

/**
 * Delivery metrics from the run history, per service and environment:
 * deployment frequency, change failure rate, time to restore and lead time.
 * Every figure carries the runs and incidents it was computed from, so a
 * person can count it again by hand. Pure: the period is passed in.
 *
 * The rules, exactly:
 * - A run is in the period when it ended in [from, to). Runs still under way
 *   (running, paused, awaiting a decision, interrupted) count nowhere.
 * - A deployment is an ended run that reached DEPLOY (its journal has a
 *   DEPLOY phase) or was confirmed: confirmed, rolled back in or after
 *   DEPLOY, or failed in DEPLOY, VERIFY, CONFIRM or ROLLBACK. A run that
 *   ended in PREPARE or BACKUP changed nothing and is not one.
 * - Deployment frequency: the confirmed runs (went live), per bucket, and per
 *   week over the period (their number divided by the period's length in weeks).
 * - Change failure rate: of the deployments, the share that were not
 *   confirmed (rolled back or failed) or that an incident names as its cause
 *   (`causedBy` is the run's id), open incidents included. Nothing else links
 *   an incident to a run: no guessing from times.
 * - Time to restore, for each incident detected in the period: detectedAt to
 *   healthy again, which is mitigatedAt (service restored), or resolvedAt when
 *   it was resolved without a separate mitigation. An incident with neither is
 *   still open and has no value yet (it still counts as a failure).
 *   For each failed deployment whose failure started in the period: from the
 *   end of its first failed phase, or else the start of its ROLLBACK, or else
 *   its end; to the end of its ROLLBACK when that was done, or the run's end
 *   for a rollback made inside DEPLOY (an abort), or else the end of the next
 *   confirmed run of the same service and environment. With none of these it
 *   has no value yet.
 * - Lead time, for each confirmed run in the period: from the release's
 *   creation, the start of the first run of that service and version in any
 *   environment (its staging run, usually; runs before the period count), to
 *   the confirmed run's end (live in that environment).
 * - A median of an even number of values is the mean of the middle two.
 * - Buckets are `week` (7 days) or `day` long, counted from `from` in UTC; the
 *   last one ends at `to`.
 */

export type DeliveryRun = Pick<
  RunSummary,
  'id' | 'service' | 'environment' | 'version' | 'startedAt' | 'endedAt' | 'status' | 'phases'
>;
export type DeliveryIncident = Pick<
  IncidentSummary,
  'id' | 'service' | 'environment' | 'detectedAt' | 'mitigatedAt' | 'resolvedAt' | 'causedBy'
>;

export interface DeliveryPeriod {
  /** ISO times: from inclusive, to exclusive. */
  readonly from: string;
  readonly to: string;
  readonly bucket: 'week' | 'day';
}

export interface Bucket {
  readonly start: string;
  readonly end: string;
}

export interface DeliveryMetrics {
  readonly period: DeliveryPeriod;
  /** The period's length in weeks (28 days: 4). */
  readonly weeks: number;
  readonly buckets: readonly Bucket[];
  /** One per service and environment that has a run or an incident, by service then environment (staging before production). */
  readonly groups: readonly DeliveryGroup[];
}

export interface DeliveryGroup {
  readonly service: string;
  readonly environment: string;
  readonly deploymentFrequency: DeploymentFrequency;
  readonly changeFailureRate: ChangeFailureRate;
  /** `open`: the incidents and failed deployments of the period that nothing has restored yet (no value; still failures). */
  readonly timeToRestore: Durations<Restore> & { readonly open: readonly string[] };
  readonly leadTime: Durations<Lead>;
}

export interface DeploymentFrequency {
  /** The confirmed runs in the period, oldest first. */
  readonly live: readonly string[];
  readonly count: number;
  readonly perWeek: number;
  /** Aligned with `buckets`: the runs that went live in each. */
  readonly perBucket: readonly (readonly string[])[];
}

export interface ChangeFailureRate {
  /** The deployments in the period, oldest first. */
  readonly deployments: readonly string[];
  readonly failures: readonly ChangeFailure[];
  /** failures / deployments, between 0 and 1; absent with no deployment. */
  readonly rate?: number;
  /** Aligned with `buckets`. */
  readonly perBucket: readonly { readonly deployments: number; readonly failures: number; readonly rate?: number }[];
}

export interface ChangeFailure {
  readonly runId: string;
  readonly status: DeliveryRun['status'];
  /** The incidents that name this run as their cause. */
  readonly incidents: readonly string[];
}

export interface Durations<T> {
  readonly values: readonly T[];
  readonly medianMs?: number;
}

export interface Restore {
  readonly kind: 'incident' | 'release';
  /** The incident's id, or the failed run's id. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly ms: number;
  /** What made it healthy: the run's own rollback, the incident's mitigation or resolution, or the next confirmed run's id. */
  readonly healthyBy: 'rollback' | 'mitigated' | 'resolved' | { readonly runId: string };
}

export interface Lead {
  readonly runId: string;
  readonly version: string;
  /** The first run of this service and version, anywhere, and when it started. */
  readonly firstRunId: string;
  readonly createdAt: string;
  readonly liveAt: string;
  readonly ms: number;
}

const dayMs = 86_400_000;
const weekMs = 7 * dayMs;

/** The four delivery metrics of a history over a period, per service and environment. */
export function deliveryMetrics(
  runs: readonly DeliveryRun[],
  incidents: readonly DeliveryIncident[],
  period: DeliveryPeriod,
): DeliveryMetrics {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  const span = Math.max(0, to - from);
  const size = period.bucket === 'day' ? dayMs : weekMs;
  const buckets = bucketsOf(from, to, size);
  // Buckets are `size` long from `from` (the last one cut at `to`), so a time's bucket is a division, not a search.
  const bucketOf = (t: number) => (t >= from && t < to ? Math.floor((t - from) / size) : -1);
  const inPeriod = (iso: string | undefined) => iso !== undefined && Date.parse(iso) >= from && Date.parse(iso) < to;
  const byTime = (a: DeliveryRun, b: DeliveryRun) =>
    Date.parse(a.endedAt ?? a.startedAt) - Date.parse(b.endedAt ?? b.startedAt) || a.id.localeCompare(b.id);

  const causes = new Map<string, string[]>();
  for (const incident of incidents)
    if (incident.causedBy) causes.set(incident.causedBy, [...(causes.get(incident.causedBy) ?? []), incident.id]);
  const created = firstRuns(runs);

  const groups = groupKeys(runs, incidents).map(({ service, environment }): DeliveryGroup => {
    const mine = runs.filter((r) => r.service === service && r.environment === environment && isEnded(r)).sort(byTime);
    const ended = mine.filter((r) => inPeriod(r.endedAt));
    const live = ended.filter((r) => r.status === 'confirmed');
    const deployments = ended.filter(isDeployment);
    const failures = deployments
      .filter((r) => r.status !== 'confirmed' || causes.has(r.id))
      .map((r) => ({ runId: r.id, status: r.status, incidents: causes.get(r.id) ?? [] }));
    const failed = new Set(failures.map((f) => f.runId));

    const perBucketLive = buckets.map(() => [] as string[]);
    for (const r of live) perBucketLive[bucketOf(Date.parse(r.endedAt!))]!.push(r.id);
    const perBucketCfr = buckets.map(() => ({ deployments: 0, failures: 0 }));
    for (const r of deployments) {
      const slot = perBucketCfr[bucketOf(Date.parse(r.endedAt!))]!;
      slot.deployments++;
      if (failed.has(r.id)) slot.failures++;
    }

    const restores: Restore[] = [];
    const open: string[] = [];
    for (const incident of incidents) {
      if (incident.service !== service || incident.environment !== environment || !inPeriod(incident.detectedAt))
        continue;
      const healthyAt = incident.mitigatedAt ?? incident.resolvedAt;
      if (!healthyAt) {
        open.push(incident.id);
        continue;
      }
      restores.push({
        kind: 'incident',
        id: incident.id,
        from: incident.detectedAt,
        to: healthyAt,
        ms: between(incident.detectedAt, healthyAt),
        healthyBy: incident.mitigatedAt ? 'mitigated' : 'resolved',
      });
    }
    for (const r of mine.filter((m) => isDeployment(m) && m.status !== 'confirmed')) {
      const restore = releaseRestore(r, mine);
      if (restore && inPeriod(restore.from)) restores.push(restore);
      else if (!restore && inPeriod(r.endedAt)) open.push(r.id);
    }
    restores.sort((a, b) => Date.parse(a.from) - Date.parse(b.from) || a.id.localeCompare(b.id));

    const leads = live.map((r): Lead => {
      const first = created.get(keyOf(r.service, r.version))!;
      return {
        runId: r.id,
        version: r.version,
        firstRunId: first.id,
        createdAt: first.startedAt,
        liveAt: r.endedAt!,
        ms: between(first.startedAt, r.endedAt!),
      };
    });

    return {
      service,
      environment,
      deploymentFrequency: {
        live: live.map((r) => r.id),
        count: live.length,
        perWeek: span > 0 ? live.length / (span / weekMs) : 0,
        perBucket: perBucketLive,
      },
      changeFailureRate: {
        deployments: deployments.map((r) => r.id),
        failures,
        ...(deployments.length > 0 ? { rate: failures.length / deployments.length } : {}),
        perBucket: perBucketCfr.map((b) => ({
          ...b,
          ...(b.deployments > 0 ? { rate: b.failures / b.deployments } : {}),
        })),
      },
      timeToRestore: { ...withMedian(restores), open: open.sort() },
      leadTime: withMedian(leads),
    };
  });

  return { period, weeks: span / weekMs, buckets, groups };
}

/** The middle value (the mean of the middle two for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Did the run reach DEPLOY (or go live)? Only such runs are deployments. */
export function isDeployment(run: DeliveryRun): boolean {
  return isEnded(run) && (run.status === 'confirmed' || run.phases.some((p) => p.phase === 'DEPLOY'));
}

function isEnded(run: DeliveryRun): boolean {
  return (
    (run.status === 'confirmed' || run.status === 'rolled-back' || run.status === 'failed') && run.endedAt !== undefined
  );
}

/** A failed deployment's time to restore, by the rules above; undefined while nothing made it healthy. */
function releaseRestore(run: DeliveryRun, sameGroup: readonly DeliveryRun[]): Restore | undefined {
  const rollback = phaseOf(run.phases, 'ROLLBACK');
  const firstFailed = run.phases
    .filter((p) => p.state === 'failed' && p.phase !== 'ROLLBACK' && p.endedAt)
    .map((p) => p.endedAt!)
    .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  const from = firstFailed ?? rollback?.startedAt ?? run.endedAt!;
  const healthy = (to: string, healthyBy: Restore['healthyBy']): Restore => ({
    kind: 'release',
    id: run.id,
    from,
    to,
    ms: between(from, to),
    healthyBy,
  });
  if (rollback?.state === 'done' && rollback.endedAt) return healthy(rollback.endedAt, 'rollback');
  if (run.status === 'rolled-back' && !rollback) return healthy(run.endedAt!, 'rollback');
  const next = sameGroup.find((r) => r.status === 'confirmed' && Date.parse(r.endedAt!) > Date.parse(from));
  return next ? healthy(next.endedAt!, { runId: next.id }) : undefined;
}

function phaseOf(phases: readonly PhaseRecord[], phase: PhaseRecord['phase']): PhaseRecord | undefined {
  return phases.find((p) => p.phase === phase);
}

/** The first run (by start) of each service and version, in any environment: when the release was created. */
function firstRuns(runs: readonly DeliveryRun[]): Map<string, DeliveryRun> {
  const first = new Map<string, DeliveryRun>();
  for (const r of runs) {
    const key = keyOf(r.service, r.version);
    const known = first.get(key);
    if (
      !known ||
      Date.parse(r.startedAt) < Date.parse(known.startedAt) ||
      (r.startedAt === known.startedAt && r.id < known.id)
    )
      first.set(key, r);
  }
  return first;
}

function groupKeys(
  runs: readonly DeliveryRun[],
  incidents: readonly DeliveryIncident[],
): { service: string; environment: string }[] {
  const keys = new Map<string, { service: string; environment: string }>();
  for (const { service, environment } of [...runs, ...incidents])
    keys.set(keyOf(service, environment), { service, environment });
  return [...keys.values()].sort(
    (a, b) =>
      a.service.localeCompare(b.service) ||
      environmentRank(a.environment) - environmentRank(b.environment) ||
      a.environment.localeCompare(b.environment),
  );
}

function environmentRank(environment: string): number {
  return environment === 'staging' ? 0 : environment === 'production' ? 1 : 2;
}

function bucketsOf(from: number, to: number, size: number): Bucket[] {
  const buckets: Bucket[] = [];
  for (let start = from; start < to; start += size)
    buckets.push({ start: new Date(start).toISOString(), end: new Date(Math.min(start + size, to)).toISOString() });
  return buckets;
}

function withMedian<T extends { readonly ms: number }>(values: readonly T[]): Durations<T> {
  const m = median(values.map((v) => v.ms));
  return { values, ...(m !== undefined ? { medianMs: m } : {}) };
}

function between(fromIso: string, toIso: string): number {
  return Math.max(0, Date.parse(toIso) - Date.parse(fromIso));
}

function keyOf(a: string, b: string): string {
  return `${a}\u0000${b}`;
}
