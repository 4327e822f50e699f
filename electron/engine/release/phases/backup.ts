import type { Step } from '../../../../shared/deploy-plan';
import { artifactFinding, currentState } from '../run-evidence';
import { stopIfAborted, type Preview } from '../run-state';
import { pass, runStepOrStop } from './boundary';
import type { PhaseContext } from './context';

/** The steps BACKUP runs, and which of them read an artifact (host and path). */
export type BackupPlan = Pick<Preview, 'backup' | 'artifacts'>;

/**
 * BACKUP: the spec's backup commands, each artifact read with `stat`; then
 * the state of every host is the evidence, and the run waits before DEPLOY
 * for the backup's checklist, every gate, and an approval where the class asks for one.
 */
export async function backup(ctx: PhaseContext, plan: BackupPlan): Promise<void> {
  const { run, recorder } = ctx;
  if (plan.backup.length > 0) {
    recorder.phase(run, 'BACKUP', 'running');
    for (const step of plan.backup) {
      stopIfAborted(run);
      const artifact = plan.artifacts.get(step);
      if (artifact) await checkArtifact(ctx, step, artifact);
      else await runStepOrStop(ctx, step, 'BACKUP');
    }
  }
  backupEvidence(ctx, plan);
  run.checks.evidence('state-recorded', 'done', currentState(run.plan.hosts).evidence);
  await pass(ctx, 'DEPLOY');
  recorder.phase(run, 'BACKUP', plan.backup.length > 0 ? 'done' : 'skipped');
}

/** A backup artifact read with `stat`: its size and time become the evidence; a missing or empty one leaves the item unticked. */
async function checkArtifact(
  ctx: PhaseContext,
  step: Step,
  artifact: { readonly host: string; readonly path: string },
): Promise<void> {
  let stdout = '';
  let exitCode: number | null | undefined;
  await ctx.steps.run(step, (event) => {
    if (event.type === 'output' && event.stream === 'stdout') stdout += event.text;
    if (event.type === 'end') exitCode = event.exitCode;
  });
  const finding = artifactFinding(artifact.host, artifact.path, stdout, exitCode);
  (ctx.run.artifactFindings ??= []).push(finding);
}

/** The backup checklist item from every artifact read: ticked only if each exists and is not empty. */
function backupEvidence(ctx: PhaseContext, plan: BackupPlan): void {
  const { run } = ctx;
  const findings = run.artifactFindings ?? [];
  if (plan.artifacts.size === 0) {
    const none =
      run.plan.spec.backup.length === 0 ? 'The spec lists no backup' : 'The backup commands name no artifact to check';
    run.checks.evidence(
      'backup-artifacts',
      run.change.database ? 'failed' : 'n/a',
      run.change.database ? `${none}, but the release changes the database` : none,
    );
    return;
  }
  const ok = findings.length === plan.artifacts.size && findings.every((f) => f.ok);
  run.checks.evidence('backup-artifacts', ok ? 'done' : 'failed', findings.map((f) => f.evidence).join('; '));
}
