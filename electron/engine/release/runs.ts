import { join } from 'node:path';
import type { RunUpdate } from '../../../shared/contract';
import { disciplineOf, type ChangeInfo } from '../../../shared/checklist';
import type { Approval, GateId } from '../../../shared/gates';
import type { FreezeRule } from '../../../shared/freeze';
import { ProblemError } from '../../../shared/problem';
import type { Redaction } from '../../../shared/redaction';
import type { RunPreview, RunRecord, RunSummary } from '../../../shared/run';
import type { Fleet } from '../fleet/fleet';
import type { Inventory } from '../inventory';
import { forceUnlock } from './deploy-lock';
import type { Deployer } from './deployer';
import type { PhaseContext } from './phases/context';
import { release, resumeRelease } from './phases/release';
import { confirm, rollBack } from './phases/settle';
import { freezeNow, promotionOf } from './policy';
import { actualHosts, hostsForResume, reopenInterrupted, resumePlan } from './recovery';
import { RunChecklist } from './run-checklist';
import { contextOf, planningDeployer, type RunParts } from './run-context';
import { RunHistory } from './run-history';
import { RunIndex } from './run-index';
import { RunJournal } from './run-journal';
import { planRelease, runStartEvent } from './run-plan';
import { RunRecorder, type RunOutputEvent } from './run-recorder';
import { decidable, startedRun, whileBusy, type ActiveRun, type Preview } from './run-state';
import type { ServiceSecrets } from './service-secrets';
import type { ServiceStore } from './service-store';

/** The run log stream's events, where the engine and the logs have always taken them from. */
export type { RunOutputChunk, RunOutputEvent } from './run-recorder';

/** What the runs are made of: the engine's data folder, fleet, inventory, services, secrets, redaction, and where they tell. */
export interface RunsOptions {
  readonly dataDir: string;
  readonly fleet: Fleet;
  readonly inventory: Inventory;
  readonly services: ServiceStore;
  readonly secrets: ServiceSecrets;
  /** The engine's redaction: the journal writes through it, and step output streams through it. */
  readonly redaction: Redaction;
  readonly who: string;
  readonly emit: (update: RunUpdate) => void;
  readonly log: (message: string) => void;
  /** The freeze windows in force (Settings). */
  readonly freezeRules: () => readonly FreezeRule[];
  /** The time freeze windows are judged at: the wall clock, or a fixed one in tests. */
  readonly clock?: () => Date;
}

/**
 * Releases as runs: a previewed plan goes through PREPARE, BACKUP, DEPLOY and
 * VERIFY (`phases/`), then waits for a person to CONFIRM or ROLLBACK. Every
 * change is journaled before it is shown (`RunRecorder`); a run found
 * unfinished on start is marked interrupted and can still be rolled back or
 * confirmed (`recovery`). This class holds the runs under way and the plans
 * not yet started, and hands each call to the module that does it.
 */
export class Runs {
  private readonly journal: RunJournal;
  private readonly recorder: RunRecorder;
  /** Past and present runs as journaled: the list, records, output, samples, judging again. */
  readonly history: RunHistory;
  /** A run's checklist, gates, approvals and sign-off. */
  readonly checklist: RunChecklist;
  private readonly parts: RunParts;
  /** The deployer that reads hosts for plans; each run makes its own (`contextOf`). */
  private readonly planner: Deployer;
  private readonly previews = new Map<string, Preview>();
  /** Each run under way or interrupted, with the context its phases run in. */
  private readonly active = new Map<string, PhaseContext>();

  constructor(private readonly options: RunsOptions) {
    this.journal = new RunJournal(options.dataDir, options.redaction);
    this.history = new RunHistory(this.journal, new RunIndex(join(options.dataDir, 'run-index.ndjson'), this.journal));
    this.recorder = new RunRecorder({
      journal: this.journal,
      emit: options.emit,
      log: options.log,
      onStatus: (id) => this.history.noted(id),
    });
    this.parts = {
      fleet: options.fleet,
      journal: this.journal,
      recorder: this.recorder,
      secrets: options.secrets,
      redaction: options.redaction,
      freezeRules: options.freezeRules,
      now: () => this.now(),
      log: options.log,
    };
    this.planner = planningDeployer(this.parts);
    this.checklist = new RunChecklist({
      journal: this.journal,
      active: (id) => this.run(id),
      checksOutput: (id) => this.checksOutput(id),
      log: options.log,
    });
    for (const run of reopenInterrupted({
      journal: this.journal,
      servers: () => options.inventory.list(),
      checksOutput: (id) => this.checksOutput(id),
      log: options.log,
    }))
      this.active.set(run.id, contextOf(run, this.parts));
  }

  /** PREPARE: read every host of the environment and plan the release; nothing changes. */
  async plan(
    serviceName: string,
    environment: string,
    version: string,
    change: ChangeInfo = {},
    options: { readonly reuseStandby?: boolean } = {},
  ): Promise<RunPreview> {
    const previewed = await planRelease(
      {
        inventory: this.options.inventory,
        deployer: this.planner,
        who: this.options.who,
        freeze: (env) => freezeNow(this.options.freezeRules(), env, this.now()),
        promotion: (spec, env, v, c) => promotionOf(spec, env, v, disciplineOf(c), () => this.history.list()),
      },
      this.options.services.get(serviceName),
      environment,
      version,
      change,
      options,
    );
    this.previews.set(previewed.preview.previewId, previewed);
    return previewed.preview;
  }

  /** Run a previewed plan; resolves once the run is journaled and under way. */
  async start(
    previewId: string,
    notes: string,
    by?: string,
    overrides: readonly { gate: GateId; reason: string }[] = [],
  ): Promise<RunSummary> {
    const previewed = this.previews.get(previewId);
    if (!previewed)
      throw new ProblemError({
        code: 'not-found',
        message: 'That plan is no longer available',
        hint: 'Preview the release again; a plan runs once, and only in the session that made it.',
      });
    this.previews.delete(previewId);
    const { preview } = previewed;
    const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${preview.service}-${preview.version}`.replace(
      /[^A-Za-z0-9_.-]/g,
      '_',
    );
    const startedBy = by?.trim() || this.options.who;
    const run = startedRun(id, previewed, startedBy, overrides, this.checksOutput(id));
    const ctx = contextOf(run, this.parts);
    this.active.set(id, ctx);
    try {
      // The run's first event, which makes it a run: whole, or (a full disk) no journal at all.
      this.journal.append(
        id,
        runStartEvent(id, previewed, { startedAt: new Date().toISOString(), notes, who: this.options.who, startedBy }),
      );
    } catch (error) {
      // Nothing was written and nothing ran: the plan stays available, to start again once the disk has room.
      this.active.delete(id);
      this.previews.set(previewId, previewed);
      throw error;
    }
    this.history.noted(id);
    this.options.log(
      `run ${id} started: ${preview.service} ${preview.version} to ${preview.environment} (${preview.discipline.class}${preview.discipline.classified ? '' : ', unclassified'}) by ${startedBy}`,
    );
    // PREPARE goes on: its checklist is worked and the baseline sampled before anything changes.
    this.recorder.phase(run, 'PREPARE', 'running');
    run.done = release(ctx, previewed).finally(() => (run.busy = false));
    return this.history.summary(id);
  }

  async confirm(runId: string): Promise<RunSummary> {
    const ctx = decidable(this.active.get(runId), runId);
    const { run } = ctx;
    const open = run.checks.blockers('CONFIRM');
    if (open.length > 0) {
      throw new ProblemError({
        code: 'conflict',
        message: `${run.plan.spec.service} ${run.plan.release} cannot be confirmed yet: ${open.map((b) => b.text).join('; ')}`,
        where: 'checklist',
        hint: 'Tick or waive each required item (or roll back).',
      });
    }
    await whileBusy(run, () => confirm(ctx));
    return this.history.summary(runId);
  }

  async rollback(runId: string, reason: string): Promise<RunSummary> {
    const working = this.run(runId);
    if (working?.busy && (working.status === 'running' || working.status === 'paused')) {
      // Abort: the run stops before its next step (or where it is paused) and rolls back what it switched.
      this.options.log(`run ${runId} aborting: ${reason}`);
      working.abort = reason;
      working.checks.changed();
      await working.done;
      return this.history.summary(runId);
    }
    const ctx = decidable(this.active.get(runId), runId);
    this.options.log(`run ${runId} rolling back: ${reason}`);
    await whileBusy(ctx.run, () => rollBack(ctx, { code: 'conflict', message: `Rolled back: ${reason}` }));
    return this.history.summary(runId);
  }

  /**
   * Free an abandoned deploy lock on every host of an environment. It needs a
   * reason, which goes into each host's audit file with who held the lock.
   */
  async forceUnlock(
    serviceName: string,
    environment: string,
    reason: string,
  ): Promise<{ hosts: { server: string; heldBy?: string }[] }> {
    const busy = [...this.active.values()].find(({ run }) => run.busy && run.plan.spec.service === serviceName);
    const freed = await forceUnlock(this.options.fleet, (name) => this.options.inventory.findByName(name), {
      spec: this.options.services.get(serviceName),
      environment,
      reason,
      who: this.options.who,
      ...(busy ? { busyRun: busy.run.id } : {}),
    });
    this.options.log(`lock of ${serviceName} forced open on ${freed.hosts.map((h) => h.server).join(', ')}: ${reason}`);
    return freed;
  }

  /** Listen to every step's output of every run as it is journaled, and to steps and runs ending. */
  onOutput(listener: (event: RunOutputEvent) => void): () => void {
    return this.recorder.onOutput(listener);
  }

  /** A run as journaled; an interrupted one also shows what its hosts really do now. */
  async get(runId: string): Promise<RunRecord> {
    const { record, hosts } = this.history.read(runId);
    if (record.status !== 'interrupted') return record;
    const actual = await actualHosts(this.options.fleet, this.options.inventory.list(), record.service, hosts);
    return { ...record, actual };
  }

  /**
   * Continue an interrupted run: every host whose nginx does not yet point at
   * the new release gets the deploy steps again under the lock the run still
   * holds; then VERIFY as a run does it (`recovery.resumePlan`).
   */
  async resume(runId: string): Promise<RunSummary> {
    const ctx = this.active.get(runId);
    const run = ctx?.run;
    if (!ctx || !run || run.status !== 'interrupted' || run.busy)
      throw new ProblemError({
        code: 'conflict',
        message: `Run ${runId} is not interrupted`,
        hint: 'Only a run found unfinished after a restart can be resumed.',
      });
    const { record, hosts } = this.journal.read(runId);
    const actual = await hostsForResume(
      this.options.fleet,
      this.options.inventory.list(),
      run.plan.spec.service,
      hosts,
    );
    const plan = resumePlan(run, record, actual, this.options.secrets.valuesFor(run.plan.spec));
    run.busy = true;
    run.status = 'running';
    this.recorder.status(run, 'running');
    run.done = resumeRelease(ctx, plan).finally(() => (run.busy = false));
    return this.history.summary(runId);
  }

  /** A second person's approval lets the run reach DEPLOY; a rejection stops it and rolls back what it changed. */
  async decide(runId: string, by: string, decision: Approval['decision'], note: string): Promise<Approval> {
    const { approval, rollBack: reason } = this.checklist.decide(runId, by, decision, note);
    if (reason !== undefined) await this.rollback(runId, reason);
    return approval;
  }

  /** A run under way or interrupted, if this engine holds it. */
  private run(runId: string): ActiveRun | undefined {
    return this.active.get(runId)?.run;
  }

  private checksOutput(runId: string) {
    return this.recorder.checksOutput(runId, (id) => this.run(id));
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }
}
