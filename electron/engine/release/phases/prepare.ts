import type { GateId } from '../../../../shared/gates';
import { describeLocal, freezeNow, triggersOf } from '../policy';
import { rollbackTarget } from '../run-evidence';
import { pass } from './boundary';
import type { PhaseContext } from './context';

/**
 * PREPARE: Shipdeck checks what it can from evidence (hosts, rollback target,
 * deploy window, monitoring), meets the stop gates, samples the baseline, and
 * waits until the PREPARE checklist is done and every gate met is overridden.
 */
export async function prepare(ctx: PhaseContext): Promise<void> {
  const { run } = ctx;
  const { spec } = run.plan;
  const { checks, change, environment, promotedFrom: promotion } = run;
  checks.evidence(
    'classified',
    checks.discipline.classified ? 'done' : 'failed',
    checks.discipline.classified
      ? `Classified ${checks.discipline.class} by ${checks.startedBy}`
      : 'Not classified: treated as high (approval and staging first)',
  );
  checks.evidence(
    'ci-given',
    change.ci ? 'done' : 'open',
    change.ci ? `CI: ${change.ci}` : 'No CI status was given with the release',
  );
  checks.evidence(
    'plan-documented',
    'done',
    `The plan of ${run.ids.size} steps on ${run.plan.hosts.map((h) => h.server.name).join(', ')} was previewed and is kept with the run`,
  );
  checks.evidence('rollback-triggers', 'done', triggersOf(spec));
  checks.evidence(
    'staging-passed',
    promotion ? 'done' : 'n/a',
    promotion
      ? `Staging run ${promotion.runId} by ${promotion.who} passed (confirmed ${promotion.endedAt})`
      : 'Not required for this release',
  );
  const hosts = await ctx.hosts.reachable();
  checks.evidence('servers-reachable', hosts.ok ? 'done' : 'failed', hosts.evidence);
  const target = rollbackTarget(run.plan.hosts);
  checks.evidence('rollback-target', target.ok ? 'done' : 'failed', target.evidence);
  const freeze = freezeNow(ctx.freezeRules(), environment, ctx.now());
  checks.evidence(
    'deploy-window',
    freeze ? 'failed' : 'done',
    freeze ? freeze.detail : `${describeLocal(ctx.now())}: no freeze window for ${environment}`,
  );
  const gate = (id: GateId, detail: string) => {
    const given = run.overrides.find((o) => o.gate === id);
    checks.meet(id, 'PREPARE', detail, given ? { by: checks.startedBy, reason: given.reason } : undefined);
  };
  if (freeze) gate('freeze', freeze.detail);
  if (!target.ok) gate('no-rollback-target', target.evidence);
  if (!change.impact?.trim()) gate('impact-unknown', 'The release says nothing about its business impact');
  if (change.database)
    gate(
      'database-unapproved',
      'The release changes the database; a second person must approve it (or override with a reason)',
    );
  // Monitoring: the baseline sampled with metrics, or else the live release's health check answering.
  if (spec.verification) {
    run.verification = ctx.measure();
    await run.verification.sampleBaseline(() => run.abort !== undefined);
    const sampled = ctx.samples().prepared.filter((s) => s.kind === 'http');
    const ok = sampled.filter((s) => s.kind === 'http' && !s.unmeasured && s.status > 0 && s.status < 500).length;
    const monitoring = sampled.length > 0 && ok > 0;
    checks.evidence(
      'monitoring',
      monitoring ? 'done' : 'failed',
      sampled.length
        ? `Baseline: ${sampled.length} probes of the live release, ${ok} answered`
        : 'No baseline: nothing live answered a probe',
    );
    if (!monitoring)
      gate('no-monitoring', 'No baseline could be sampled, so VERIFY would have nothing to compare with');
  } else {
    const probe = await ctx.hosts.healthBaseline();
    checks.evidence('monitoring', probe.ok ? 'done' : 'failed', probe.evidence);
    if (!probe.ok) gate('no-monitoring', probe.evidence);
  }
  await pass(ctx, 'BACKUP');
}
