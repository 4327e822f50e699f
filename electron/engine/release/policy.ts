import type { ChangeInfo, Discipline } from '../../../shared/checklist';
import type { GateId } from '../../../shared/gates';
import { dayNames, describeFreeze, freezeAt, type FreezeRule } from '../../../shared/freeze';
import { ProblemError } from '../../../shared/problem';
import type { Promotion, RunPreview, RunSummary } from '../../../shared/run';
import type { ServiceSpec } from '../../../shared/service-spec';
import type { HostDeploy } from './host-plan';
import { rollbackTarget } from './run-evidence';

/** A freeze window an environment is in, with the rule and the check in words. */
export interface FreezeNow {
  readonly rule: FreezeRule;
  readonly detail: string;
}

/** The freeze window the environment is in at `now`, if any, in words. */
export function freezeNow(rules: readonly FreezeRule[], environment: string, now: Date): FreezeNow | undefined {
  const rule = freezeAt(rules, environment, now);
  return rule ? { rule, detail: `${describeLocal(now)} is inside the freeze ${describeFreeze(rule)}` } : undefined;
}

/** A local time in words for a freeze check: "Friday 15:04 (local)". */
export function describeLocal(at: Date): string {
  return `${dayNames[at.getDay()]} ${at.toTimeString().slice(0, 5)} (local)`;
}

/** Gates a plan meets already: its freeze, its unknown impact, hosts with nothing to go back to. */
export function gatesAtPlanning(
  freeze: FreezeNow | undefined,
  change: ChangeInfo,
  hosts: readonly HostDeploy[],
): RunPreview['gates'] {
  const gates: { gate: GateId; detail: string }[] = [];
  if (freeze) gates.push({ gate: 'freeze', detail: freeze.detail });
  if (!change.impact?.trim())
    gates.push({ gate: 'impact-unknown', detail: 'The release says nothing about its business impact' });
  const target = rollbackTarget(hosts);
  if (!target.ok) {
    gates.push({ gate: 'no-rollback-target', detail: target.evidence });
    gates.push({ gate: 'no-monitoring', detail: 'Nothing live to take a baseline from' });
  }
  return gates;
}

/**
 * Production takes only what passed staging: the same service and version
 * confirmed there (from `runs`, every run journaled), when the spec requires
 * it or the class does (an emergency goes straight, with the full record).
 */
export function promotionOf(
  spec: ServiceSpec,
  environment: string,
  version: string,
  discipline: Discipline,
  runs: () => readonly RunSummary[],
): Promotion | undefined {
  if (environment !== 'production' || discipline.class === 'emergency') return undefined;
  const passed = runs()
    .filter(
      (r) =>
        r.service === spec.service && r.version === version && r.environment === 'staging' && r.status === 'confirmed',
    )
    .sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''))[0];
  if (passed) return { runId: passed.id, endedAt: passed.endedAt!, who: passed.who };
  if (spec.staging !== 'required' && !discipline.staging) return undefined;
  const why =
    spec.staging === 'required'
      ? `${spec.service} requires staging first`
      : `a ${discipline.class}-class release goes to staging first`;
  throw new ProblemError({
    code: 'conflict',
    message: `${spec.service} ${version} has not passed on staging, and ${why}`,
    where: `${spec.service}: staging`,
    hint:
      'staging' in spec.servers
        ? `Release ${version} to staging and confirm it there; then promote it to production.`
        : 'The spec has no staging environment: add one (servers: { staging: [...] }), or set staging: optional for a service that has none.',
  });
}

/** The rollback triggers in force, in words. */
export function triggersOf(spec: ServiceSpec): string {
  const health = `${Math.min(3, spec.healthcheck.retries)} failed health checks after the switch roll back`;
  const t = spec.verification?.thresholds;
  if (!t) return `${health}; no metrics, so no error-rate or latency triggers`;
  const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;
  return `Error rate over ${pct(t.errorRate.rollback)} rolls back, ${pct(t.errorRate.investigate)} to ${pct(t.errorRate.rollback)} asks; p95 over ${t.latencyMs.p95} ms and answers over ${t.latencyMs.max} ms roll back; latency ${pct(t.degradation)} worse rolls back; ${health}`;
}
