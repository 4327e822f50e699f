import type { RunUpdate } from '../../../shared/contract';
import { problemOf, type Problem } from '../../../shared/problem';
import type { Phase, PhaseRecord, RunStatus, StepRecord, VerificationRecord, Waiting } from '../../../shared/run';
import type { Sample } from '../../../shared/verify';
import type { ChecksOutput } from './run-checks';
import { isFinal, type JournalEvent } from './run-journal';
import { purposeOf, type ActiveRun } from './run-state';
import { describeStep, type StepEvent } from './step-runner';

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

/** What a run's log stream carries: output, and the ends of steps and of runs. */
export type RunOutputEvent =
  | RunOutputChunk
  | { readonly runId: string; readonly kind: 'step-end'; readonly stepId: string }
  | { readonly runId: string; readonly kind: 'run-end' };

/** Where a recorder writes: the journal (a `RunJournal`, or a fake in tests). */
export interface JournalSink {
  append(runId: string, event: JournalEvent): void;
}

/** Where a recorder writes and tells. */
export interface RunRecorderOptions {
  readonly journal: JournalSink;
  readonly emit: (update: RunUpdate) => void;
  readonly log: (message: string) => void;
  /** Told after a run's status is journaled (the run list's index follows it). */
  readonly onStatus?: (runId: string) => void;
}

/**
 * The one way a run's change is recorded: journal first, then tell the
 * windows. A phase, a status, a step and its output, a wait, samples and
 * the checklist's evidence all go through here.
 */
export class RunRecorder {
  private readonly outputListeners = new Set<(event: RunOutputEvent) => void>();

  constructor(private readonly options: RunRecorderOptions) {}

  /** Listen to every step's output of every run as it is journaled, and to steps and runs ending. */
  onOutput(listener: (event: RunOutputEvent) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /**
   * Journal an event of a run under way. A journal the disk cannot take is
   * never thrown into a step's output or a timer: the run stops before its
   * next step (and sends back what it switched), since it could no longer
   * be rebuilt after a crash. The event is lost whole, never torn.
   */
  journaled(run: ActiveRun, event: JournalEvent): void {
    try {
      this.options.journal.append(run.id, event);
    } catch (error) {
      const problem = problemOf(error);
      if (run.abort === undefined && !isFinal(run.status)) {
        run.abort = `its journal cannot be written: ${problem.message}. ${problem.hint ?? ''}`.trim();
        run.checks.changed();
      }
      this.options.log(`run ${run.id}: journal not written (${event.type}): ${problem.message}`);
    }
  }

  phase(run: ActiveRun, phase: Phase, state: PhaseRecord['state']): void {
    run.phase = phase;
    const now = new Date().toISOString();
    if (!run.phaseStarts.has(phase)) run.phaseStarts.set(phase, now);
    const record: PhaseRecord = {
      phase,
      state,
      startedAt: run.phaseStarts.get(phase)!,
      ...(state !== 'running' ? { endedAt: now } : {}),
    };
    this.journaled(run, { type: 'phase', phase: record });
    this.options.emit({ runId: run.id, kind: 'phase', phase: record });
  }

  status(run: ActiveRun, status: RunStatus, problem?: Problem): void {
    run.status = status;
    if (status === 'confirmed')
      run.checks.evidence(
        'confirmed',
        'done',
        `${run.plan.release} confirmed live on ${run.plan.hosts.map((h) => h.server.name).join(', ')}`,
      );
    if (status === 'rolled-back' || status === 'failed')
      run.checks.evidence(
        'confirmed',
        'n/a',
        `The run ${status === 'failed' ? 'failed' : 'was rolled back'}${problem ? `: ${problem.message}` : ''}`,
      );
    this.journaled(run, { type: 'status', status, ...(problem ? { problem } : {}), at: new Date().toISOString() });
    this.options.onStatus?.(run.id);
    this.options.emit({ runId: run.id, kind: 'status', status, ...(problem ? { problem } : {}) });
    this.options.log(`run ${run.id}: ${status}${problem ? ` (${problem.message})` : ''}`);
    if (isFinal(status)) for (const listener of this.outputListeners) listener({ runId: run.id, kind: 'run-end' });
  }

  /** The run waits at a boundary (paused), or goes on (`undefined`). */
  waiting(run: ActiveRun, waiting: Waiting | undefined): void {
    this.journaled(run, { type: 'waiting', waiting: waiting ?? null });
    this.options.emit({ runId: run.id, kind: 'waiting', ...(waiting ? { waiting } : {}) });
    if (waiting) {
      if (run.status !== 'paused')
        this.options.log(
          `run ${run.id} paused before ${waiting.at}: ${waiting.blockers.map((b) => b.text).join('; ')}`,
        );
      if (run.status !== 'paused') this.status(run, 'paused');
    } else if (run.status === 'paused') {
      this.status(run, 'running');
    }
  }

  /** A step moved. Steps not in the preview (confirm, rollback) get ids as they come. */
  step(run: ActiveRun, event: StepEvent): void {
    let planned = run.ids.get(event.step);
    if (!planned) {
      planned = {
        id: `s${run.nextStep++}`,
        phase: run.phase,
        host: event.step.host,
        purpose: purposeOf(event.step),
        line: describeStep(event.step),
      };
      run.ids.set(event.step, planned);
    }
    if (event.type === 'output') {
      this.journaled(run, { type: 'output', stepId: planned.id, stream: event.stream, text: event.text });
      // Output travels to windows through the run's log stream, not as run updates.
      for (const listener of this.outputListeners)
        listener({
          runId: run.id,
          kind: 'output',
          stepId: planned.id,
          purpose: planned.purpose,
          host: planned.host,
          stream: event.stream,
          text: event.text,
          t: Date.now(),
        });
      return;
    }
    if (event.type === 'end')
      for (const listener of this.outputListeners) listener({ runId: run.id, kind: 'step-end', stepId: planned.id });
    const step: Omit<StepRecord, 'output'> =
      event.type === 'start'
        ? { ...planned, state: 'running' }
        : {
            ...planned,
            state: event.ok ? 'ok' : 'failed',
            durationMs: event.durationMs,
            ...(event.exitCode !== undefined ? { exitCode: event.exitCode } : {}),
            ...(event.detail ? { detail: event.detail } : {}),
          };
    this.journaled(run, { type: 'step', step });
    this.options.emit({ runId: run.id, kind: 'step', step });
  }

  /** A host's traffic moved to the new release (true) or back (false). */
  switched(run: ActiveRun, server: string, switched: boolean): void {
    this.journaled(run, { type: 'switched', server, switched });
  }

  /** Samples VERIFY (or PREPARE's baseline) took. */
  samples(
    run: ActiveRun,
    phase: 'PREPARE' | 'VERIFY',
    baseline: readonly Sample[],
    candidate: readonly Sample[],
    record: VerificationRecord,
  ): void {
    this.journaled(run, { type: 'samples', phase, baseline, candidate, record });
    this.options.emit({ runId: run.id, kind: 'verify', baseline, candidate, verification: record });
  }

  /** VERIFY's judgement, or what was done about it. */
  judgement(run: ActiveRun, record: VerificationRecord): void {
    this.journaled(run, { type: 'verification', record });
    this.options.emit({ runId: run.id, kind: 'verify', baseline: [], candidate: [], verification: record });
  }

  /**
   * Where a run's checks journal. While the run itself works (evidence it
   * gathers), a full disk stops it as any journal write would; a person's
   * tick or sign-off on a run at rest is refused with the storage Problem.
   */
  checksOutput(runId: string, activeOf: (runId: string) => ActiveRun | undefined): ChecksOutput {
    const append = (event: JournalEvent) => {
      const run = activeOf(runId);
      if (run?.busy) this.journaled(run, event);
      else this.options.journal.append(runId, event);
    };
    return { append, emit: this.options.emit };
  }
}
