import { randomUUID } from 'node:crypto';
import { command } from '../../../shared/commands/command';
import type { RunUpdate } from '../../../shared/contract';
import { answeredByStep, servicePaths, stepsTowards, type HostRelease, type Step } from '../../../shared/deploy-plan';
import { problemOf, ProblemError, type Problem } from '../../../shared/problem';
import type { HostActual, Phase, PhaseRecord, PlannedStep, RunPreview, RunRecord, RunStatus, RunSummary, StepRecord } from '../../../shared/run';
import { defaultProxySettings, type Server } from '../../../shared/server';
import type { ServiceSpec } from '../../../shared/service-spec';
import type { Fleet } from '../fleet/fleet';
import type { Inventory } from '../inventory';
import { Deployer, type DeployPlan } from './deployer';
import { homeOf } from './host-state';
import { isFinal, RunJournal, type JournalEvent, type JournalHost } from './run-journal';
import type { Redaction } from '../../../shared/redaction';
import type { ServiceSecrets } from './service-secrets';
import type { ServiceStore } from './service-store';
import { describeStep, StepRunner, type StepEvent } from './step-runner';
import { judgeRecorded, Verification } from '../verify/verification';
import type { Judgement, RunSamples, Sample, Thresholds } from '../../../shared/verify';
import { buildChecklist, disciplineOf, type ChangeInfo, type ChecklistItem, type ChecklistPhase, type Discipline } from '../../../shared/checklist';
import { gateTitles, type Approval, type Boundary, type GateId, type GateRecord, type SignOff } from '../../../shared/gates';
import { dayNames, describeFreeze, freezeAt, type FreezeRule } from '../../../shared/freeze';
import type { Promotion, Waiting } from '../../../shared/run';
import { RunChecks } from './run-checks';
import { artifactFinding, currentState, deployed, healthBaseline, logsClean, reachable, rollbackTarget, type Finding } from './run-evidence';
import { ResumedSteps } from './resumed-steps';

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

/** A chunk a step printed, with the host it ran on and when (ms since the epoch). */
export interface RunOutputChunk {
  readonly runId: string;
  readonly kind: 'output';
  readonly stepId: string;
  readonly purpose: string;
  readonly host: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  readonly t: number;
}

export type RunOutputEvent = RunOutputChunk | { readonly runId: string; readonly kind: 'step-end'; readonly stepId: string } | { readonly runId: string; readonly kind: 'run-end' };

/** A plan shown to the user and not yet run; it runs exactly as shown. */
interface Preview {
  readonly preview: RunPreview;
  readonly plan: DeployPlan;
  readonly backup: readonly Step[];
  readonly preDeploy: readonly Step[];
  readonly verify: readonly Step[];
  readonly postDeploy: readonly Step[];
  readonly ids: Map<Step, PlannedStep>;
  /** Each backup artifact check, with the host and path it reads. */
  readonly artifacts: Map<Step, { readonly host: string; readonly path: string }>;
}

/** A run this engine is driving, or one found interrupted in the journal. */
interface Active {
  readonly id: string;
  readonly plan: DeployPlan;
  readonly ids: Map<Step, PlannedStep>;
  phase: Phase;
  status: RunStatus;
  busy: boolean;
  readonly phaseStarts: Map<Phase, string>;
  /** Set when a person rolls back while the run still works: it stops at the next step and undoes. */
  abort?: string;
  /** The number of the next step id; ids never repeat within a run, across restarts too. */
  nextStep: number;
  done?: Promise<void>;
  /** The evidence VERIFY gathers, when the spec asks for metrics. */
  verification?: Verification;
  /** Its checklist, gates, approvals and sign-off. */
  readonly checks: RunChecks;
  readonly change: ChangeInfo;
  /** Overrides given when the run started, for gates the preview met. */
  readonly overrides: readonly { readonly gate: GateId; readonly reason: string }[];
  /** What each backup artifact check read. */
  artifactFindings?: Finding[];
}

/**
 * Releases as runs: a previewed plan goes through PREPARE, BACKUP, DEPLOY and
 * VERIFY, then waits for a person to CONFIRM or ROLLBACK. Every change is
 * journaled before it is shown; a run found unfinished on start is marked
 * interrupted and can still be rolled back or confirmed.
 */
export class Runs {
  private readonly journal: RunJournal;
  private readonly previews = new Map<string, Preview>();
  private readonly active = new Map<string, Active>();
  private readonly outputListeners = new Set<(event: RunOutputEvent) => void>();

  constructor(private readonly options: RunsOptions) {
    this.journal = new RunJournal(options.dataDir, options.redaction);
    this.reopenInterrupted();
  }

  /** PREPARE: read every host of the environment and plan the release; nothing changes. */
  async plan(serviceName: string, environment: string, version: string, change: ChangeInfo = {}, options: { readonly reuseStandby?: boolean } = {}): Promise<RunPreview> {
    const spec = this.options.services.get(serviceName);
    const discipline = disciplineOf(change);
    const names = spec.servers[environment];
    if (!names) throw new ProblemError({ code: 'bad-request', message: `${serviceName} has no environment ${environment}`, where: 'servers', hint: `Choose one of: ${Object.keys(spec.servers).join(', ')}.` });
    const servers = names.map((name) => {
      const server = this.options.inventory.findByName(name);
      if (!server) throw new ProblemError({ code: 'not-found', message: `${serviceName}'s ${environment} servers include ${name}, which is not in the inventory`, where: `servers.${environment}`, hint: `Add ${name} in Fleet, or correct the spec.` });
      return server;
    });
    const promotedFrom = this.promotionOf(spec, environment, version, discipline);
    const previewId = randomUUID();
    const plan = await this.deployer(undefined).plan(spec, version, servers, { who: this.options.who, since: new Date().toISOString(), release: version, runId: previewId }, options);
    const artifacts = new Map<Step, { host: string; path: string }>();
    const backup = plan.hosts.flatMap((h) => backupSteps(spec, version, h.server, artifacts));
    const preDeploy = plan.hosts.flatMap((h) => hookSteps(spec.hooks.preDeploy, version, h.server, 'pre-deploy'));
    const verify = plan.hosts.flatMap((h) => verifySteps(spec, h.server, h.next));
    const postDeploy = plan.hosts.flatMap((h) => hookSteps(spec.hooks.postDeploy, version, h.server, 'post-deploy'));
    const ids = new Map<Step, PlannedStep>();
    const add = (phase: Phase, step: Step) => ids.set(step, { id: `s${ids.size + 1}`, phase, host: step.host, purpose: purposeOf(step), line: describeStep(step) });
    backup.forEach((s) => add('BACKUP', s));
    preDeploy.forEach((s) => add('DEPLOY', s));
    plan.hosts.forEach((h) => h.steps.forEach((s) => add('DEPLOY', s)));
    verify.forEach((s) => add('VERIFY', s));
    postDeploy.forEach((s) => add('VERIFY', s));
    const preview: RunPreview = {
      previewId,
      service: spec.service,
      environment,
      version,
      hosts: plan.hosts.map((h) => ({ server: h.server.name, ...(h.input.live ? { live: h.input.live.release } : {}), port: h.next.port })),
      steps: [...ids.values()],
      change,
      discipline,
      checklist: buildChecklist(discipline, environment, spec.checklist),
      gates: this.gatesAtPlanning(environment, change, plan),
      ...(promotedFrom ? { promotedFrom } : {}),
    };
    this.previews.set(previewId, { preview, plan, backup, preDeploy, verify, postDeploy, ids, artifacts });
    return preview;
  }

  /** Run a previewed plan; resolves once the run is journaled and under way. */
  async start(previewId: string, notes: string, by?: string, overrides: readonly { gate: GateId; reason: string }[] = []): Promise<RunSummary> {
    const previewed = this.previews.get(previewId);
    if (!previewed) throw new ProblemError({ code: 'not-found', message: 'That plan is no longer available', hint: 'Preview the release again; a plan runs once, and only in the session that made it.' });
    this.previews.delete(previewId);
    const { preview, plan, ids } = previewed;
    const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${preview.service}-${preview.version}`.replace(/[^A-Za-z0-9_.-]/g, '_');
    const startedBy = by?.trim() || this.options.who;
    const checks = new RunChecks(id, preview.discipline, startedBy, { checklist: preview.checklist, gates: [], approvals: [] }, this.checksOutput(id), () => new Date());
    const run: Active = { id, plan: { ...plan, holder: { ...plan.holder, runId: id } }, ids, phase: 'PREPARE', status: 'running', busy: true, phaseStarts: new Map(), nextStep: ids.size + 1, checks, change: preview.change, overrides };
    this.active.set(id, run);
    const startedAt = new Date().toISOString();
    try {
      this.startJournal(id, previewed, startedAt, notes, startedBy);
    } catch (error) {
      // Nothing was written and nothing ran: the plan stays available, to start again once the disk has room.
      this.active.delete(id);
      this.previews.set(previewId, previewed);
      throw error;
    }
    this.options.log(`run ${id} started: ${preview.service} ${preview.version} to ${preview.environment} (${preview.discipline.class}${preview.discipline.classified ? '' : ', unclassified'}) by ${startedBy}`);
    // PREPARE goes on: its checklist is worked and the baseline sampled before anything changes.
    this.phase(run, 'PREPARE', 'running');
    run.done = this.execute(run, previewed).finally(() => (run.busy = false));
    return this.summary(id);
  }

  /** The run's first event, which makes it a run: whole, or (a full disk) no journal at all. */
  private startJournal(id: string, previewed: Preview, startedAt: string, notes: string, startedBy: string): void {
    const { preview, plan } = previewed;
    this.journal.append(id, {
      type: 'run',
      run: {
        id,
        service: preview.service,
        environment: preview.environment,
        version: preview.version,
        notes,
        who: this.options.who,
        startedAt,
        spec: plan.spec,
        startedBy,
        change: preview.change,
        discipline: preview.discipline,
        checklist: preview.checklist,
        ...(preview.promotedFrom ? { promotedFrom: preview.promotedFrom } : {}),
      },
      steps: preview.steps,
      hosts: plan.hosts.map((h) => journalHost(h.server, h.input.home, h.input.live, h.next, h.input.proxy.upstreamFile, proxySettingsOf(h.server).reload)),
    });
  }

  async confirm(runId: string): Promise<RunSummary> {
    const run = this.decidable(runId);
    const open = run.checks.blockers('CONFIRM');
    if (open.length > 0) {
      throw new ProblemError({ code: 'conflict', message: `${run.plan.spec.service} ${run.plan.release} cannot be confirmed yet: ${open.map((b) => b.text).join('; ')}`, where: 'checklist', hint: 'Tick or waive each required item (or roll back).' });
    }
    run.busy = true;
    try {
      this.phase(run, 'CONFIRM', 'running');
      await this.deployer(run).confirm(run.plan);
      this.phase(run, 'CONFIRM', 'done');
      this.status(run, 'confirmed');
    } catch (error) {
      this.phase(run, 'CONFIRM', 'failed');
      this.status(run, 'failed', problemOf(error));
      throw error;
    } finally {
      run.busy = false;
    }
    return this.summary(runId);
  }

  async rollback(runId: string, reason: string): Promise<RunSummary> {
    const working = this.active.get(runId);
    if (working?.busy && (working.status === 'running' || working.status === 'paused')) {
      // Abort: the run stops before its next step (or where it is paused) and rolls back what it switched.
      this.options.log(`run ${runId} aborting: ${reason}`);
      working.abort = reason;
      working.checks.changed();
      await working.done;
      return this.summary(runId);
    }
    const run = this.decidable(runId);
    run.busy = true;
    this.options.log(`run ${runId} rolling back: ${reason}`);
    try {
      this.phase(run, 'ROLLBACK', 'running');
      await this.deployer(run).rollback(run.plan);
      this.phase(run, 'ROLLBACK', 'done');
      this.status(run, 'rolled-back', { code: 'conflict', message: `Rolled back: ${reason}` });
    } catch (error) {
      this.phase(run, 'ROLLBACK', 'failed');
      this.status(run, 'failed', problemOf(error));
      throw error;
    } finally {
      run.busy = false;
    }
    return this.summary(runId);
  }

  /**
   * Free an abandoned deploy lock on every host of an environment. It needs a
   * reason, which goes into each host's audit file with who held the lock.
   */
  async forceUnlock(serviceName: string, environment: string, reason: string): Promise<{ hosts: { server: string; heldBy?: string }[] }> {
    const spec = this.options.services.get(serviceName);
    const names = spec.servers[environment];
    if (!names) throw new ProblemError({ code: 'bad-request', message: `${serviceName} has no environment ${environment}`, hint: `Choose one of: ${Object.keys(spec.servers).join(', ')}.` });
    const busy = [...this.active.values()].find((r) => r.busy && r.plan.spec.service === serviceName);
    if (busy) throw new ProblemError({ code: 'conflict', message: `Run ${busy.id} of this Shipdeck is still working on ${serviceName}`, hint: 'Wait for it, or roll it back; its lock is not abandoned.' });
    const hosts = await Promise.all(
      names.map(async (name) => {
        const server = this.options.inventory.findByName(name);
        if (!server) throw new ProblemError({ code: 'not-found', message: `${name} is not in the inventory`, where: `servers.${environment}` });
        const link = await this.options.fleet.link(server);
        const paths = servicePaths(await homeOf(link), serviceName);
        let holder = '';
        await link.exec(command('cat', [`${paths.lock}/holder.json`], 'Read who holds the deploy lock'), { onStdout: (t) => (holder += t) });
        const heldBy = holder.trim() ? describeHolder(holder) : undefined;
        const entry = JSON.stringify({ at: new Date().toISOString(), who: this.options.who, action: 'force-unlock', service: serviceName, reason, heldBy: heldBy ?? null });
        const result = await link.exec(command('sh', ['-c', 'mkdir -p "$1" && printf "%s\n" "$3" >> "$2" && rm -rf -- "$4"', 'unlock', paths.dir, paths.audit, entry, paths.lock], `Force the deploy lock of ${serviceName} open: ${reason}`));
        if (result.exitCode !== 0) throw new ProblemError({ code: 'command-failed', message: `Could not free the lock of ${serviceName} on ${name} (exit ${result.exitCode})`, where: `${name}:${paths.lock}` });
        return { server: name, ...(heldBy ? { heldBy } : {}) };
      }),
    );
    this.options.log(`lock of ${serviceName} forced open on ${names.join(', ')}: ${reason}`);
    return { hosts };
  }

  /** Every journaled run, newest first; one whose journal cannot be read is listed as `unreadable`, with why. */
  list(): RunSummary[] {
    return this.journal
      .ids()
      .map((id) => {
        try {
          return this.summary(id);
        } catch (error) {
          return unreadableSummary(id, problemOf(error));
        }
      })
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Listen to every step's output of every run as it is journaled, and to steps and runs ending. */
  onOutput(listener: (event: RunOutputEvent) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** A run's output so far, chunk by chunk with the time each was journaled, and whether more may come. */
  output(runId: string): { readonly chunks: readonly RunOutputChunk[]; readonly live: boolean; readonly title: string } {
    if (!this.journal.ids().includes(runId)) throw new ProblemError({ code: 'not-found', message: `No run ${runId}`, hint: 'It may have been removed from the data folder; choose another run.' });
    const { record } = this.journal.read(runId);
    const chunks = record.steps.flatMap((step) => step.output.map((o) => ({ runId, kind: 'output' as const, stepId: step.id, purpose: step.purpose, host: step.host, stream: o.stream, text: o.text, t: o.t ? Date.parse(o.t) : Date.parse(record.startedAt) })));
    chunks.sort((a, b) => a.t - b.t);
    return { chunks, live: !isFinal(record.status), title: `${record.service} ${record.version} → ${record.environment}` };
  }

  /** A run as journaled, without reading its hosts. */
  record(runId: string): RunRecord {
    if (!this.journal.ids().includes(runId)) throw new ProblemError({ code: 'not-found', message: `No run ${runId}`, hint: 'Choose a run from Runs or History.' });
    return this.journal.read(runId).record;
  }

  /** The latest release confirmed live on a service's environment, if any. */
  latestLive(service: string, environment: string): RunRecord | undefined {
    const live = this.list().filter((r) => r.service === service && r.environment === environment && r.status === 'confirmed');
    live.sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''));
    return live[0] ? this.record(live[0].id) : undefined;
  }

  /** A run as journaled; an interrupted one also shows what its hosts really do now. */
  async get(runId: string): Promise<RunRecord> {
    if (!this.journal.ids().includes(runId)) throw new ProblemError({ code: 'not-found', message: `No run ${runId}` });
    const { record, hosts } = this.journal.read(runId);
    if (record.status !== 'interrupted') return record;
    return { ...record, actual: await Promise.all(hosts.map((h) => this.actualOf(record.service, h))) };
  }

  /**
   * Continue an interrupted run: every host whose nginx does not yet point at
   * the new release gets the deploy steps again (they are idempotent: remove,
   * run, health, check, switch) under the lock the run still holds; then
   * VERIFY as a run does it: health checks, the post-deploy hooks that never
   * started, and the metrics sampled and judged again. A step run again takes
   * the place of its earlier copy.
   */
  async resume(runId: string): Promise<RunSummary> {
    const run = this.active.get(runId);
    if (!run || run.status !== 'interrupted' || run.busy) throw new ProblemError({ code: 'conflict', message: `Run ${runId} is not interrupted`, hint: 'Only a run found unfinished after a restart can be resumed.' });
    const { record, hosts } = this.journal.read(runId);
    const actual = await Promise.all(hosts.map((h) => this.actualOf(run.plan.spec.service, h)));
    const unreadable = actual.find((a) => a.problem);
    if (unreadable) throw new ProblemError({ ...unreadable.problem!, hint: `Resume needs every host; ${unreadable.problem!.hint ?? ''}`.trim() });
    const { spec, release } = run.plan;
    const earlier = new ResumedSteps(record.steps);
    /** How the journaled copy of a step run again last stood; the step takes its id. */
    const adopt = (phase: Phase, step: Step) => {
      const repeat = earlier.repeat(phase, step);
      if (repeat) run.ids.set(step, repeat.planned);
      return repeat?.state;
    };
    const deploySteps = (h: DeployPlan['hosts'][number], i: number): Step[] => {
      const steps = stepsTowards(spec, h.next, h.input, this.options.secrets.valuesFor(spec));
      const states = steps.map((step) => adopt('DEPLOY', step));
      if (actual[i]!.serving !== h.next.release) return steps;
      // nginx's upstream already names the new release: only what did not finish runs again (a reload cut off after the write).
      const unfinished = states.findIndex((state) => state !== 'ok');
      return unfinished === -1 ? [] : steps.slice(unfinished);
    };
    const resumed: DeployPlan = { ...run.plan, hosts: run.plan.hosts.map((h, i) => ({ ...h, steps: deploySteps(h, i) })) };
    // Hosts already on the new release get no steps, but are recorded with the others at the end.
    const servingBefore = new Set(resumed.hosts.filter((h) => h.steps.length === 0).map((h) => h.server.name));
    // A hook runs once: again only if it never started (one cut off by the stop stays unfinished).
    const hooks = run.plan.hosts.flatMap((h) => hookSteps(spec.hooks.postDeploy, release, h.server, 'post-deploy')).filter((step) => adopt('VERIFY', step) === 'pending');
    const checks = run.plan.hosts.flatMap((h) => verifySteps(spec, h.server, h.next));
    checks.forEach((step) => adopt('VERIFY', step));
    const verify = [...checks, ...hooks];
    run.busy = true;
    run.status = 'running';
    this.status(run, 'running');
    run.done = (async () => {
      try {
        this.phase(run, 'DEPLOY', 'running');
        await this.deployer(run).deployLocked(resumed);
        run.checks.evidence('deployed', 'done', deployed(run.plan.hosts, spec.healthcheck.path, servingBefore).evidence);
        this.phase(run, 'DEPLOY', 'done');
        // VERIFY measures again; what it and PREPARE journaled before the stop is kept and judged with what it takes now.
        if (spec.verification) run.verification = this.verificationOf(run, { ...spec, verification: spec.verification }, this.journal.samples(run.id));
        await this.verifyPhase(run, verify);
      } catch (error) {
        // A resume that fails takes every host back, those switched before the crash included.
        this.phase(run, run.phase, 'failed');
        this.phase(run, 'ROLLBACK', 'running');
        await this.deployer(run).rollback(run.plan).catch(() => undefined);
        this.phase(run, 'ROLLBACK', 'done');
        this.status(run, 'rolled-back', problemOf(error));
      } finally {
        run.busy = false;
      }
    })();
    return this.summary(runId);
  }

  private async actualOf(service: string, host: JournalHost): Promise<HostActual> {
    const server = this.options.inventory.list().find((s) => s.id === host.serverId);
    if (!server) return { server: host.server, problem: { code: 'not-found', message: `${host.server} is no longer in the inventory` } };
    try {
      const link = await this.options.fleet.link(server);
      let upstream = '';
      let holder = '';
      await link.exec(command('cat', [host.upstreamFile], 'Read where nginx sends traffic'), { onStdout: (t) => (upstream += t) });
      await link.exec(command('cat', [`${servicePaths(host.home, service).lock}/holder.json`], 'Read who holds the deploy lock'), { onStdout: (t) => (holder += t) });
      const port = Number(/server\s+[^:\s]+:(\d+)/.exec(upstream)?.[1]);
      const serving = port === host.next.port ? host.next.release : port === host.previous?.port ? host.previous.release : Number.isFinite(port) ? `port ${port}` : undefined;
      return { server: host.server, ...(serving ? { serving } : {}), ...(holder.trim() ? { lockHeldBy: describeHolder(holder) } : {}) };
    } catch (error) {
      return { server: host.server, problem: problemOf(error) };
    }
  }

  private async execute(run: Active, previewed: Preview): Promise<void> {
    try {
      const spec = run.plan.spec;
      await this.prepare(run);
      this.phase(run, 'PREPARE', 'done');
      if (previewed.backup.length > 0) {
        this.phase(run, 'BACKUP', 'running');
        for (const step of previewed.backup) {
          this.stopIfAborted(run);
          const artifact = previewed.artifacts.get(step);
          if (artifact) await this.checkArtifact(run, step, artifact);
          else await this.runStepOrStop(run, step, 'BACKUP');
        }
        this.backupEvidence(run, previewed);
      } else {
        this.backupEvidence(run, previewed);
      }
      run.checks.evidence('state-recorded', 'done', currentState(run.plan.hosts).evidence);
      // DEPLOY waits for the backup's checklist, every gate, and an approval where the class asks for one.
      await this.pass(run, 'DEPLOY');
      this.phase(run, 'BACKUP', previewed.backup.length > 0 ? 'done' : 'skipped');
      this.phase(run, 'DEPLOY', 'running');
      for (const step of previewed.preDeploy) {
        this.stopIfAborted(run);
        await this.runStepOrStop(run, step, 'DEPLOY');
      }
      await this.pass(run, 'DEPLOY');
      await this.deployer(run).deploy(run.plan);
      run.checks.evidence('deployed', 'done', deployed(run.plan.hosts, spec.healthcheck.path).evidence);
      this.phase(run, 'DEPLOY', 'done');
      await this.verifyPhase(run, [...previewed.verify, ...previewed.postDeploy]);
    } catch (error) {
      const problem = problemOf(error);
      if (run.abort !== undefined) {
        // Deploy has already sent every switched host back and freed the locks.
        this.phase(run, run.phase, 'skipped');
        this.status(run, 'rolled-back', { code: 'conflict', message: `Aborted: ${run.abort}`, hint: 'Every host already switched went back to its previous release.' });
        return;
      }
      this.phase(run, run.phase, 'failed');
      this.status(run, 'failed', problem);
    }
  }

  /**
   * VERIFY, then what it found decides: the health steps and post-deploy
   * hooks, the evidence, the samples judged (with metrics), then Shipdeck
   * confirms, rolls back, or waits for a person. One path for a run and its resume.
   */
  private async verifyPhase(run: Active, steps: readonly Step[]): Promise<void> {
    this.phase(run, 'VERIFY', 'running');
    try {
      for (const step of steps) await this.runStep(run, step);
    } catch (error) {
      // The new release stopped passing its health check after the switch: the rules roll back at once.
      run.checks.evidence('health-passing', 'failed', problemOf(error).message);
      this.phase(run, 'VERIFY', 'failed');
      this.phase(run, 'ROLLBACK', 'running');
      await this.deployer(run).rollback(run.plan);
      this.phase(run, 'ROLLBACK', 'done');
      this.status(run, 'rolled-back', problemOf(error));
      return;
    }
    await this.verifyEvidence(run);
    if (!run.plan.spec.verification) run.checks.evidence('error-rate-normal', 'n/a', 'The spec measures no metrics (add `metrics` to judge the error rate)');
    if (run.verification && run.abort === undefined) {
      const judgement = await run.verification.run(() => run.abort !== undefined);
      this.errorRateEvidence(run, judgement);
      if (run.abort === undefined && (await this.act(run, run.verification, judgement))) return;
    }
    this.phase(run, 'VERIFY', 'done');
    if (run.abort !== undefined) {
      this.phase(run, 'ROLLBACK', 'running');
      await this.deployer(run).rollback(run.plan);
      this.phase(run, 'ROLLBACK', 'done');
      this.status(run, 'rolled-back', { code: 'conflict', message: `Aborted: ${run.abort}` });
      return;
    }
    this.status(run, 'awaiting-decision');
  }

  /**
   * PREPARE: Shipdeck checks what it can from evidence (hosts, rollback target,
   * deploy window, monitoring), meets the stop gates, samples the baseline, and
   * waits until the PREPARE checklist is done and every gate met is overridden.
   */
  private async prepare(run: Active): Promise<void> {
    const { spec } = run.plan;
    const { checks, change } = run;
    checks.evidence('classified', checks.discipline.classified ? 'done' : 'failed', checks.discipline.classified ? `Classified ${checks.discipline.class} by ${checks.startedBy}` : 'Not classified: treated as high (approval and staging first)');
    checks.evidence('ci-given', change.ci ? 'done' : 'open', change.ci ? `CI: ${change.ci}` : 'No CI status was given with the release');
    checks.evidence('plan-documented', 'done', `The plan of ${run.ids.size} steps on ${run.plan.hosts.map((h) => h.server.name).join(', ')} was previewed and is kept with the run`);
    checks.evidence('rollback-triggers', 'done', triggersOf(spec));
    const { promotedFrom: promotion, environment } = this.journal.read(run.id).record;
    checks.evidence('staging-passed', promotion ? 'done' : 'n/a', promotion ? `Staging run ${promotion.runId} by ${promotion.who} passed (confirmed ${promotion.endedAt})` : 'Not required for this release');
    const hosts = await reachable(this.options.fleet, run.plan.hosts);
    checks.evidence('servers-reachable', hosts.ok ? 'done' : 'failed', hosts.evidence);
    const target = rollbackTarget(run.plan.hosts);
    checks.evidence('rollback-target', target.ok ? 'done' : 'failed', target.evidence);
    const freeze = this.freezeNow(environment);
    checks.evidence('deploy-window', freeze ? 'failed' : 'done', freeze ? freeze.detail : `${describeLocal(this.now())}: no freeze window for ${environment}`);
    const gate = (id: GateId, detail: string) => {
      const given = run.overrides.find((o) => o.gate === id);
      checks.meet(id, 'PREPARE', detail, given ? { by: checks.startedBy, reason: given.reason } : undefined);
    };
    if (freeze) gate('freeze', freeze.detail);
    if (!target.ok) gate('no-rollback-target', target.evidence);
    if (!change.impact?.trim()) gate('impact-unknown', 'The release says nothing about its business impact');
    if (change.database) gate('database-unapproved', 'The release changes the database; a second person must approve it (or override with a reason)');
    // Monitoring: the baseline sampled with metrics, or else the live release's health check answering.
    if (spec.verification) {
      run.verification = this.verificationOf(run, { ...spec, verification: spec.verification });
      await run.verification.sampleBaseline(() => run.abort !== undefined);
      const sampled = this.journal.samples(run.id).prepared.filter((s) => s.kind === 'http');
      const ok = sampled.filter((s) => s.kind === 'http' && !s.unmeasured && s.status > 0 && s.status < 500).length;
      const monitoring = sampled.length > 0 && ok > 0;
      checks.evidence('monitoring', monitoring ? 'done' : 'failed', sampled.length ? `Baseline: ${sampled.length} probes of the live release, ${ok} answered` : 'No baseline: nothing live answered a probe');
      if (!monitoring) gate('no-monitoring', 'No baseline could be sampled, so VERIFY would have nothing to compare with');
    } else {
      const probe = await healthBaseline(this.options.fleet, spec, run.plan.hosts);
      checks.evidence('monitoring', probe.ok ? 'done' : 'failed', probe.evidence);
      if (!probe.ok) gate('no-monitoring', probe.evidence);
    }
    await this.pass(run, 'BACKUP');
  }

  /** Wait at a boundary until nothing blocks; paused meanwhile. A rollback (abort) ends the wait. */
  private async pass(run: Active, at: Boundary): Promise<void> {
    await run.checks.until(at, () => run.checks.blockers(at), () => run.abort !== undefined, (waiting) => this.waiting(run, waiting));
    this.stopIfAborted(run);
  }

  /** A step of BACKUP or a pre-deploy hook that fails stops the run at a gate: override to go on, or roll back. */
  private async runStepOrStop(run: Active, step: Step, phase: ChecklistPhase): Promise<void> {
    try {
      await this.runStep(run, step);
    } catch (error) {
      const problem = problemOf(error);
      const planned = run.ids.get(step);
      run.checks.meet('unexpected-step', phase, `${planned ? `Step ${planned.id}: ` : ''}${problem.message}`);
      await run.checks.until('DEPLOY', () => run.checks.openGates(), () => run.abort !== undefined, (waiting) => this.waiting(run, waiting));
      this.stopIfAborted(run);
    }
  }

  /** A backup artifact read with `stat`: its size and time become the evidence; a missing or empty one leaves the item unticked. */
  private async checkArtifact(run: Active, step: Step, artifact: { host: string; path: string }): Promise<void> {
    let stdout = '';
    let exitCode: number | null | undefined;
    await this.runStep(run, step, (event) => {
      if (event.type === 'output' && event.stream === 'stdout') stdout += event.text;
      if (event.type === 'end') exitCode = event.exitCode;
    });
    const finding = artifactFinding(artifact.host, artifact.path, stdout, exitCode);
    (run.artifactFindings ??= []).push(finding);
  }

  /** The backup checklist item from every artifact read: ticked only if each exists and is not empty. */
  private backupEvidence(run: Active, previewed: Preview): void {
    const findings = run.artifactFindings ?? [];
    if (previewed.artifacts.size === 0) {
      const none = run.plan.spec.backup.length === 0 ? 'The spec lists no backup' : 'The backup commands name no artifact to check';
      run.checks.evidence('backup-artifacts', run.change.database ? 'failed' : 'n/a', run.change.database ? `${none}, but the release changes the database` : none);
      return;
    }
    const ok = findings.length === previewed.artifacts.size && findings.every((f) => f.ok);
    run.checks.evidence('backup-artifacts', ok ? 'done' : 'failed', findings.map((f) => f.evidence).join('; '));
  }

  /** VERIFY's health steps passed on every host; the new release's log is read for error lines. */
  private async verifyEvidence(run: Active): Promise<void> {
    const { healthcheck } = run.plan.spec;
    run.checks.evidence('health-passing', 'done', run.plan.hosts.map((h) => `${h.server.name}: ${h.next.release} answers ${healthcheck.path} with ${healthcheck.status} after the switch and is running`).join('; '));
    const logs = await logsClean(this.options.fleet, run.plan.hosts);
    run.checks.evidence('logs-clean', logs.ok ? 'done' : 'failed', logs.evidence);
  }

  /** The error-rate item from VERIFY's card: normal only if it passed. */
  private errorRateEvidence(run: Active, judgement: Judgement): void {
    const card = judgement.cards.find((c) => c.metric === 'error rate');
    if (!card) return;
    run.checks.evidence('error-rate-normal', card.verdict === 'pass' ? 'done' : card.verdict === 'fail' ? 'failed' : 'open', `${card.verdict}: ${card.reason}`);
  }

  private waiting(run: Active, waiting: Waiting | undefined): void {
    this.journaled(run, { type: 'waiting', waiting: waiting ?? null });
    this.options.emit({ runId: run.id, kind: 'waiting', ...(waiting ? { waiting } : {}) });
    if (waiting) {
      if (run.status !== 'paused') this.options.log(`run ${run.id} paused before ${waiting.at}: ${waiting.blockers.map((b) => b.text).join('; ')}`);
      if (run.status !== 'paused') this.status(run, 'paused');
    } else if (run.status === 'paused') {
      this.status(run, 'running');
    }
  }

  /**
   * Do what the judgement says: roll back by itself (or ask, if the service
   * wants a person to), ask on a gray zone or a metric that could not be
   * measured, confirm a pass (or wait for a person). True when the run ended here.
   */
  private async act(run: Active, verification: Verification, judgement: Judgement): Promise<boolean> {
    const { verify } = run.plan.spec.verification!;
    if (judgement.decision === 'rollback' && verify.onFail === 'rollback') {
      this.options.log(`run ${run.id}: VERIFY says roll back: ${judgement.reason}`);
      this.phase(run, 'VERIFY', 'failed');
      this.phase(run, 'ROLLBACK', 'running');
      await this.deployer(run).rollback(run.plan);
      this.phase(run, 'ROLLBACK', 'done');
      verification.settle('rolled-back');
      this.status(run, 'rolled-back', { code: 'verify-failed', message: `Rolled back by Shipdeck: ${judgement.reason}`, where: 'VERIFY', hint: 'The decision cards show the values, the test, the interval and the threshold behind it.' });
      return true;
    }
    if (judgement.decision === 'pass' && verify.onPass === 'confirm' && run.checks.blockers('CONFIRM').length === 0) {
      this.phase(run, 'VERIFY', 'done');
      verification.settle('confirmed');
      this.phase(run, 'CONFIRM', 'running');
      await this.deployer(run).confirm(run.plan);
      this.phase(run, 'CONFIRM', 'done');
      this.status(run, 'confirmed');
      return true;
    }
    // Roll back when the service asks first, a gray zone, an Error, or a pass a person confirms: the run waits.
    if (judgement.decision !== 'pass') verification.settle('asked');
    return false;
  }

  private verificationOf(run: Active, spec: ServiceSpec & { verification: NonNullable<ServiceSpec['verification']> }, journaled?: RunSamples): Verification {
    return new Verification({
      spec,
      ...(journaled ? { journaled } : {}),
      hosts: run.plan.hosts.map((h) => ({ server: h.server, ...(h.input.live ? { previous: h.input.live } : {}), next: h.next })),
      fleet: this.options.fleet,
      onSamples: (phase, baseline, candidate, record) => {
        this.journaled(run, { type: 'samples', phase, baseline, candidate, record });
        this.options.emit({ runId: run.id, kind: 'verify', baseline, candidate, verification: record });
      },
      onJudgement: (record) => {
        this.journaled(run, { type: 'verification', record });
        this.options.emit({ runId: run.id, kind: 'verify', baseline: [], candidate: [], verification: record });
      },
    });
  }

  /** Every sample a run took, as journaled: PREPARE's baseline, and VERIFY's baseline and candidate. */
  samples(runId: string): { prepared: Sample[]; baseline: Sample[]; candidate: Sample[] } {
    if (!this.journal.ids().includes(runId)) throw new ProblemError({ code: 'not-found', message: `No run ${runId}` });
    return this.journal.samples(runId);
  }

  /** Judge a finished run's samples again with other thresholds: advisory, nothing changes. */
  judgeAgain(runId: string, thresholds: Thresholds): Judgement {
    if (!this.journal.ids().includes(runId)) throw new ProblemError({ code: 'not-found', message: `No run ${runId}` });
    const { record } = this.journal.read(runId);
    if (!record.spec.verification || !record.verification) throw new ProblemError({ code: 'bad-request', message: `Run ${runId} measured no metrics`, where: 'metrics', hint: 'Only a run of a service whose spec lists metrics has samples to judge again.' });
    return judgeRecorded(this.journal.samples(runId), record.verification.comparison, record.spec.verification, thresholds, Date.now());
  }

  private stopIfAborted(run: Active): void {
    if (run.abort !== undefined) throw new ProblemError({ code: 'conflict', message: `Aborted: ${run.abort}` });
  }

  private async runStep(run: Active, step: Step, also?: (event: StepEvent) => void): Promise<void> {
    const server = run.plan.hosts.find((h) => h.server.name === step.host)!.server;
    await new StepRunner(
      await this.options.fleet.link(server),
      (event) => {
        this.onStep(run, event);
        also?.(event);
      },
      this.options.redaction,
    ).run(step);
  }

  private deployer(run: Active | undefined): Deployer {
    return new Deployer({
      fleet: this.options.fleet,
      proxyOf: (server, spec) => proxyTarget(server, spec),
      onEvent: (event) => run && this.onStep(run, event),
      onSwitched: (server, switched) => {
        if (!run) return;
        this.journaled(run, { type: 'switched', server: server.name, switched });
      },
      abortReason: () => run?.abort,
      secretsOf: (spec) => this.options.secrets.valuesFor(spec),
      redaction: this.options.redaction,
    });
  }

  /** A step moved: journal it, then tell the windows. Steps not in the preview (confirm, rollback) get ids as they come. */
  private onStep(run: Active, event: StepEvent): void {
    let planned = run.ids.get(event.step);
    if (!planned) {
      planned = { id: `s${run.nextStep++}`, phase: run.phase, host: event.step.host, purpose: purposeOf(event.step), line: describeStep(event.step) };
      run.ids.set(event.step, planned);
    }
    if (event.type === 'output') {
      this.journaled(run, { type: 'output', stepId: planned.id, stream: event.stream, text: event.text });
      // Output travels to windows through the run's log stream, not as run updates.
      for (const listener of this.outputListeners) listener({ runId: run.id, kind: 'output', stepId: planned.id, purpose: planned.purpose, host: planned.host, stream: event.stream, text: event.text, t: Date.now() });
      return;
    }
    if (event.type === 'end') for (const listener of this.outputListeners) listener({ runId: run.id, kind: 'step-end', stepId: planned.id });
    const step: Omit<StepRecord, 'output'> =
      event.type === 'start'
        ? { ...planned, state: 'running' }
        : { ...planned, state: event.ok ? 'ok' : 'failed', durationMs: event.durationMs, ...(event.exitCode !== undefined ? { exitCode: event.exitCode } : {}), ...(event.detail ? { detail: event.detail } : {}) };
    this.journaled(run, { type: 'step', step });
    this.options.emit({ runId: run.id, kind: 'step', step });
  }

  /**
   * Journal an event of a run under way. A journal the disk cannot take is
   * never thrown into a step's output or a timer: the run stops before its
   * next step (and sends back what it switched), since it could no longer
   * be rebuilt after a crash. The event is lost whole, never torn.
   */
  private journaled(run: Active, event: JournalEvent): void {
    try {
      this.journal.append(run.id, event);
    } catch (error) {
      const problem = problemOf(error);
      if (run.abort === undefined && !isFinal(run.status)) {
        run.abort = `its journal cannot be written: ${problem.message}. ${problem.hint ?? ''}`.trim();
        run.checks.changed();
      }
      this.options.log(`run ${run.id}: journal not written (${event.type}): ${problem.message}`);
    }
  }

  private phase(run: Active, phase: Phase, state: PhaseRecord['state']): void {
    run.phase = phase;
    const now = new Date().toISOString();
    if (!run.phaseStarts.has(phase)) run.phaseStarts.set(phase, now);
    const record: PhaseRecord = { phase, state, startedAt: run.phaseStarts.get(phase)!, ...(state !== 'running' ? { endedAt: now } : {}) };
    this.journaled(run, { type: 'phase', phase: record });
    this.options.emit({ runId: run.id, kind: 'phase', phase: record });
  }

  private status(run: Active, status: RunStatus, problem?: Problem): void {
    run.status = status;
    if (status === 'confirmed') run.checks.evidence('confirmed', 'done', `${run.plan.release} confirmed live on ${run.plan.hosts.map((h) => h.server.name).join(', ')}`);
    if (status === 'rolled-back' || status === 'failed') run.checks.evidence('confirmed', 'n/a', `The run ${status === 'failed' ? 'failed' : 'was rolled back'}${problem ? `: ${problem.message}` : ''}`);
    this.journaled(run, { type: 'status', status, ...(problem ? { problem } : {}), at: new Date().toISOString() });
    this.options.emit({ runId: run.id, kind: 'status', status, ...(problem ? { problem } : {}) });
    this.options.log(`run ${run.id}: ${status}${problem ? ` (${problem.message})` : ''}`);
    if (isFinal(status)) for (const listener of this.outputListeners) listener({ runId: run.id, kind: 'run-end' });
  }

  private decidable(runId: string): Active {
    const run = this.active.get(runId);
    if (!run) throw new ProblemError({ code: 'not-found', message: `Run ${runId} is not waiting for a decision`, hint: 'It may have ended already; reload the run.' });
    if (run.busy) throw new ProblemError({ code: 'conflict', message: `Run ${runId} is still working (${run.phase})`, hint: 'Wait until it waits for a decision.' });
    if (run.status !== 'awaiting-decision' && run.status !== 'interrupted') throw new ProblemError({ code: 'conflict', message: `Run ${runId} has ended (${run.status})` });
    return run;
  }

  private summary(runId: string): RunSummary {
    const { id, service, environment, version, who, startedAt, endedAt, status, discipline, signOff, startedBy, notes, phases, promotedFrom } = this.journal.read(runId).record;
    return { id, service, environment, version, who, startedBy, notes, startedAt, status, phases, ...(endedAt ? { endedAt } : {}), class: discipline.class, signedOff: signOff !== undefined, ...(promotedFrom ? { promotedFrom: promotedFrom.runId } : {}) };
  }

  // ---- Checklists, gates, approvals and sign-off: from the run's journal, so an ended run takes its sign-off after a restart too.

  tick(runId: string, itemId: string, by: string, note?: string): ChecklistItem {
    const { checks, ended } = this.checksOf(runId);
    if (ended && checks.item(itemId).phase !== 'SIGN-OFF') throw endedProblem(runId);
    return checks.tick(itemId, by, note);
  }

  waive(runId: string, itemId: string, by: string, reason: string): ChecklistItem {
    const { checks, ended } = this.checksOf(runId);
    if (ended && checks.item(itemId).phase !== 'SIGN-OFF') throw endedProblem(runId);
    const item = checks.waive(itemId, by, reason);
    this.options.log(`run ${runId}: "${item.text}" waived by ${item.by}: ${item.reason}`);
    return item;
  }

  overrideGate(runId: string, key: string, by: string, reason: string): GateRecord {
    const { checks, ended } = this.checksOf(runId);
    if (ended) throw endedProblem(runId);
    const gate = checks.override(key, by, reason);
    this.options.log(`run ${runId}: gate "${gateTitles[gate.gate]}" overridden by ${gate.override!.by}: ${gate.override!.reason}`);
    return gate;
  }

  /** A second person's approval lets the run reach DEPLOY; a rejection stops it and rolls back what it changed. */
  async decide(runId: string, by: string, decision: Approval['decision'], note: string): Promise<Approval> {
    const { checks, ended } = this.checksOf(runId);
    if (ended) throw endedProblem(runId);
    const approval = checks.decide(by, decision, note);
    this.options.log(`run ${runId}: ${decision === 'approve' ? 'approved' : 'rejected'} by ${approval.by}${approval.note ? `: ${approval.note}` : ''}`);
    if (decision === 'reject') {
      const reason = `Rejected by ${approval.by}${approval.note ? `: ${approval.note}` : ''}`;
      const run = this.active.get(runId);
      if (run?.busy) {
        run.abort = reason;
        checks.changed();
      } else if (run && (run.status === 'awaiting-decision' || run.status === 'interrupted')) {
        await this.rollback(runId, reason);
      }
    }
    return approval;
  }

  signOff(runId: string, by: string, note: string): SignOff {
    const { checks, ended } = this.checksOf(runId);
    if (!ended) throw new ProblemError({ code: 'conflict', message: `Run ${runId} has not ended yet`, where: 'sign-off', hint: 'Sign off once it is confirmed or rolled back.' });
    const signOff = checks.sign(by, note);
    this.options.log(`run ${runId}: signed off by ${signOff.by}`);
    return signOff;
  }

  /** A run's checks: the live ones of a run this engine drives, else rebuilt from its journal. */
  private checksOf(runId: string): { checks: RunChecks; ended: boolean } {
    const run = this.active.get(runId);
    if (run && !isFinal(run.status)) return { checks: run.checks, ended: false };
    if (!this.journal.ids().includes(runId)) throw new ProblemError({ code: 'not-found', message: `No run ${runId}` });
    const { record } = this.journal.read(runId);
    return { checks: RunChecks.of(record, this.checksOutput(runId), () => new Date()), ended: isFinal(record.status) };
  }

  /**
   * Where a run's checks journal. While the run itself works (evidence it
   * gathers), a full disk stops it as any journal write would; a person's
   * tick or sign-off on a run at rest is refused with the storage Problem.
   */
  private checksOutput(runId: string) {
    const append = (event: JournalEvent) => {
      const run = this.active.get(runId);
      if (run?.busy) this.journaled(run, event);
      else this.journal.append(runId, event);
    };
    return { append, emit: this.options.emit };
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  /** The freeze window the environment is in now, if any, in words. */
  private freezeNow(environment: string): { rule: FreezeRule; detail: string } | undefined {
    const now = this.now();
    const rule = freezeAt(this.options.freezeRules(), environment, now);
    return rule ? { rule, detail: `${describeLocal(now)} is inside the freeze ${describeFreeze(rule)}` } : undefined;
  }

  /** Gates a plan meets already: its freeze, its unknown impact, hosts with nothing to go back to. */
  private gatesAtPlanning(environment: string, change: ChangeInfo, plan: DeployPlan): RunPreview['gates'] {
    const gates: { gate: GateId; detail: string }[] = [];
    const freeze = this.freezeNow(environment);
    if (freeze) gates.push({ gate: 'freeze', detail: freeze.detail });
    if (!change.impact?.trim()) gates.push({ gate: 'impact-unknown', detail: 'The release says nothing about its business impact' });
    const target = rollbackTarget(plan.hosts);
    if (!target.ok) {
      gates.push({ gate: 'no-rollback-target', detail: target.evidence });
      gates.push({ gate: 'no-monitoring', detail: 'Nothing live to take a baseline from' });
    }
    return gates;
  }

  /**
   * Production takes only what passed staging: the same service and version
   * confirmed there, when the spec requires it or the class does (an
   * emergency goes straight, with the full record).
   */
  private promotionOf(spec: ServiceSpec, environment: string, version: string, discipline: Discipline): Promotion | undefined {
    if (environment !== 'production' || discipline.class === 'emergency') return undefined;
    const passed = this
      .list()
      .filter((r) => r.service === spec.service && r.version === version && r.environment === 'staging' && r.status === 'confirmed')
      .sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''))[0];
    if (passed) return { runId: passed.id, endedAt: passed.endedAt!, who: passed.who };
    if (spec.staging !== 'required' && !discipline.staging) return undefined;
    const why = spec.staging === 'required' ? `${spec.service} requires staging first` : `a ${discipline.class}-class release goes to staging first`;
    throw new ProblemError({
      code: 'conflict',
      message: `${spec.service} ${version} has not passed on staging, and ${why}`,
      where: `${spec.service}: staging`,
      hint: 'staging' in spec.servers ? `Release ${version} to staging and confirm it there; then promote it to production.` : 'The spec has no staging environment: add one (servers: { staging: [...] }), or set staging: optional for a service that has none.',
    });
  }

  /**
   * A run that stopped before DEPLOY began took no lock and moved nothing, so it
   * has nothing to resume, roll back or confirm: it ends as failed, saying so.
   * (Rolling it back would rewrite nginx and remove a lock that another run may hold by now.)
   */
  private endedBeforeDeploy(id: string, record: RunRecord): boolean {
    const deploy = record.phases.find((p) => p.phase === 'DEPLOY');
    if (deploy && deploy.state !== 'pending') return false;
    const stoppedIn = [...record.phases].reverse().find((p) => p.state === 'running')?.phase ?? 'PREPARE';
    for (const { output: _output, ...step } of record.steps.filter((s) => s.state === 'running')) this.journal.append(id, { type: 'step', step: { ...step, state: 'unfinished', detail: 'Shipdeck stopped while this step ran' } });
    this.journal.append(id, {
      type: 'status',
      status: 'failed',
      problem: { code: 'disconnected', message: `Shipdeck stopped in ${stoppedIn}, before DEPLOY: nothing was deployed and no deploy lock was taken`, where: stoppedIn, hint: 'The hosts serve what they served before. Start the release again.' },
      at: new Date().toISOString(),
    });
    this.options.log(`run ${id} stopped in ${stoppedIn} before DEPLOY: ended as failed`);
    return true;
  }

  /**
   * A run that was under way when Shipdeck stopped is marked interrupted: the
   * hosts still hold its lock and maybe its traffic, so it waits for a person
   * to roll it back or confirm it, from the journal's record of each host.
   */
  private reopenInterrupted(): void {
    for (const id of this.journal.ids()) {
      let read;
      try {
        read = this.journal.read(id);
      } catch {
        continue;
      }
      const { record, hosts } = read;
      if (isFinal(record.status)) continue;
      if (this.endedBeforeDeploy(id, record)) continue;
      const servers = hosts.map((h) => ({ host: h, server: this.options.inventory.list().find((s) => s.id === h.serverId) }));
      if (servers.some((s) => !s.server)) continue;
      const plan: DeployPlan = {
        spec: record.spec,
        release: record.version,
        holder: { who: record.who, since: record.startedAt, release: record.version, runId: id },
        hosts: servers.map(({ host, server }) => ({
          server: server!,
          input: { host: host.server, home: host.home, ...(host.previous ? { live: host.previous } : {}), standby: [], proxy: { upstreamFile: host.upstreamFile, reload: reloadCommand(host.reload) }, port: host.next.port },
          state: { service: record.service, standby: [], history: [] },
          steps: [],
          next: host.next,
        })),
      };
      const lastStep = Math.max(0, ...record.steps.map((s) => Number(s.id.slice(1)) || 0));
      const checks = RunChecks.of(record, this.checksOutput(id), () => new Date());
      this.active.set(id, { id, plan, ids: new Map(), phase: 'DEPLOY', status: 'interrupted', busy: false, phaseStarts: new Map(record.phases.map((p) => [p.phase, p.startedAt ?? record.startedAt])), nextStep: lastStep + 1, checks, change: record.change, overrides: [] });
      if (record.status !== 'interrupted') {
        // The steps under way when Shipdeck stopped never ended: the journal says so, whatever is decided next.
        for (const { output: _output, ...step } of record.steps.filter((s) => s.state === 'running')) this.journal.append(id, { type: 'step', step: { ...step, state: 'unfinished', detail: 'Shipdeck stopped while this step ran' } });
        this.journal.append(id, { type: 'status', status: 'interrupted', problem: { code: 'disconnected', message: 'Shipdeck stopped while this run was under way', hint: 'The hosts may still hold the deploy lock and the new release. Roll back to the previous release, or confirm the new one.' }, at: new Date().toISOString() });
      }
      this.options.log(`run ${id} reopened as interrupted`);
    }
  }
}

function describeHolder(text: string): string {
  try {
    const holder = JSON.parse(text) as { who?: string; since?: string; release?: string };
    return `${holder.who ?? 'someone'} since ${holder.since ?? '?'} for ${holder.release ?? '?'}`;
  } catch {
    return text.trim().slice(0, 200);
  }
}

function purposeOf(step: Step): string {
  return step.kind === 'command' ? step.command.purpose : step.purpose;
}

function journalHost(server: Server, home: string, previous: HostRelease | undefined, next: HostRelease, upstreamFile: string, reload: string): JournalHost {
  return { serverId: server.id, server: server.name, home, ...(previous ? { previous } : {}), next, upstreamFile, reload };
}

function proxySettingsOf(server: Server) {
  return server.proxy ?? defaultProxySettings;
}

function reloadCommand(line: string) {
  return command('sh', ['-c', line], 'Reload nginx (graceful)');
}

/** A server's nginx for a service: its settings, or the defaults. */
export function proxyTarget(server: Server, spec: Pick<ServiceSpec, 'service'>) {
  const settings = proxySettingsOf(server);
  return { upstreamFile: settings.upstreamFile.replaceAll('{service}', spec.service), reload: reloadCommand(settings.reload) };
}

/**
 * BACKUP on one host: each command, then its artifact read with `stat` (size
 * and time), which the backup checklist item is ticked from, or not.
 */
function backupSteps(spec: ServiceSpec, version: string, server: Server, artifacts: Map<Step, { host: string; path: string }>): Step[] {
  return spec.backup.flatMap((backup): Step[] => {
    const run: Step = { kind: 'command', host: server.name, command: command('sh', ['-c', backup.command.replaceAll('{{release}}', version)], 'Run a backup command of the spec') };
    if (!backup.artifact) return [run];
    const path = backup.artifact.replaceAll('{{release}}', version);
    const check: Step = { kind: 'command', host: server.name, command: command('stat', ['-c', '%s %Y', '--', path], `Check that the backup ${path} exists and is not empty`), allowFailure: true };
    artifacts.set(check, { host: server.name, path });
    return [run, check];
  });
}

/** The rollback triggers in force, in words. */
function triggersOf(spec: ServiceSpec): string {
  const health = `${Math.min(3, spec.healthcheck.retries)} failed health checks after the switch roll back`;
  const t = spec.verification?.thresholds;
  if (!t) return `${health}; no metrics, so no error-rate or latency triggers`;
  const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;
  return `Error rate over ${pct(t.errorRate.rollback)} rolls back, ${pct(t.errorRate.investigate)} to ${pct(t.errorRate.rollback)} asks; p95 over ${t.latencyMs.p95} ms and answers over ${t.latencyMs.max} ms roll back; latency ${pct(t.degradation)} worse rolls back; ${health}`;
}

/** A local time in words for a freeze check: "Friday 15:04 (local)". */
function describeLocal(at: Date): string {
  return `${dayNames[at.getDay()]} ${at.toTimeString().slice(0, 5)} (local)`;
}

function endedProblem(runId: string): ProblemError {
  return new ProblemError({ code: 'conflict', message: `Run ${runId} has ended; its checklist is read-only now`, hint: 'Only the sign-off checklist can still be worked.' });
}

/** The spec's pre- or post-deploy commands on one host, `{{release}}` replaced. */
function hookSteps(commands: readonly string[], version: string, server: Server, hook: string): Step[] {
  return commands.map((line) => ({ kind: 'command', host: server.name, command: command('sh', ['-c', line.replaceAll('{{release}}', version)], `Run the ${hook} hook`) }));
}

/** VERIFY on one host: the new release still answers its health check, from the same process. */
function verifySteps(spec: ServiceSpec, server: Server, next: HostRelease): Step[] {
  return [
    { kind: 'health', host: server.name, purpose: `Verify ${next.release} still answers ${spec.healthcheck.path} after the switch`, port: next.port, check: { ...spec.healthcheck, retries: Math.min(3, spec.healthcheck.retries) } },
    answeredByStep(server.name, next, false),
  ];
}

/** A run whose journal cannot be read, as Runs and History list it: its id, its start time as the id tells, and why. */
function unreadableSummary(id: string, problem: Problem): RunSummary {
  // Ids start with the start time, its ':' and '.' made '-': 2025-06-02T10-14-03-120Z-web-v2.
  const stamp = /^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z/.exec(id);
  const startedAt = stamp ? `${stamp[1]}:${stamp[2]}:${stamp[3]}.${stamp[4]}Z` : new Date(0).toISOString();
  return { id, service: '', environment: '', version: '', who: '', startedBy: '', notes: '', startedAt, status: 'unreadable', phases: [], problem };
}
