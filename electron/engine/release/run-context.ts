import type { FreezeRule } from '../../../shared/freeze';
import type { Redaction } from '../../../shared/redaction';
import type { RunSamples } from '../../../shared/verify';
import type { Fleet } from '../fleet/fleet';
import { Verification } from '../verify/verification';
import { Deployer } from './deployer';
import type { PhaseContext } from './phases/context';
import { proxyTarget } from './run-plan';
import { healthBaseline, logsClean, reachable } from './run-evidence';
import type { RunJournal } from './run-journal';
import type { RunRecorder } from './run-recorder';
import type { ServiceSecrets } from './service-secrets';
import type { ActiveRun } from './run-state';
import { StepRunner } from './step-runner';

/** What every run's context is made from: the engine's parts, shared by all runs. */
export interface RunParts {
  readonly fleet: Fleet;
  readonly journal: RunJournal;
  readonly recorder: RunRecorder;
  readonly secrets: ServiceSecrets;
  readonly redaction: Redaction;
  readonly freezeRules: () => readonly FreezeRule[];
  readonly now: () => Date;
  readonly log: (message: string) => void;
}

/**
 * A run's phase context, made once per run: its step runner and its
 * deployer record straight into the run's recorder (so neither calls back
 * into `Runs`), and its abort is read from the run itself.
 */
export function contextOf(run: ActiveRun, parts: RunParts): PhaseContext {
  const { fleet, recorder } = parts;
  const deployer = new Deployer({
    fleet,
    proxyOf: proxyTarget,
    onEvent: (event) => recorder.step(run, event),
    onSwitched: (server, switched) => recorder.switched(run, server.name, switched),
    abortReason: () => run.abort,
    secretsOf: (spec) => parts.secrets.valuesFor(spec),
    redaction: parts.redaction,
  });
  return {
    run,
    recorder,
    deployer,
    steps: {
      run: async (step, also) => {
        const server = run.plan.hosts.find((h) => h.server.name === step.host)!.server;
        const report = (event: Parameters<typeof recorder.step>[1]) => {
          recorder.step(run, event);
          also?.(event);
        };
        await new StepRunner(await fleet.link(server), report, parts.redaction).run(step);
      },
    },
    hosts: {
      reachable: () => reachable(fleet, run.plan.hosts),
      healthBaseline: () => healthBaseline(fleet, run.plan.spec, run.plan.hosts),
      logsClean: () => logsClean(fleet, run.plan.hosts),
    },
    measure: (journaled?: RunSamples) =>
      new Verification({
        spec: { ...run.plan.spec, verification: run.plan.spec.verification! },
        ...(journaled ? { journaled } : {}),
        hosts: run.plan.hosts.map((h) => ({
          server: h.server,
          ...(h.input.live ? { previous: h.input.live } : {}),
          next: h.next,
        })),
        fleet,
        onSamples: (phase, baseline, candidate, record) => recorder.samples(run, phase, baseline, candidate, record),
        onJudgement: (record) => recorder.judgement(run, record),
      }),
    samples: () => parts.journal.samples(run.id),
    freezeRules: parts.freezeRules,
    now: parts.now,
    log: parts.log,
  };
}

/** The deployer that plans (no run yet, so nothing to record). */
export function planningDeployer(parts: Pick<RunParts, 'fleet' | 'secrets' | 'redaction'>): Deployer {
  return new Deployer({
    fleet: parts.fleet,
    proxyOf: proxyTarget,
    secretsOf: (spec) => parts.secrets.valuesFor(spec),
    redaction: parts.redaction,
  });
}
