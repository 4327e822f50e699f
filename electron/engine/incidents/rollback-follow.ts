import type { RunUpdate } from '../../../shared/contract';
import type { Problem } from '../../../shared/problem';
import type { PhaseRecord, RunRecord, RunStatus, Waiting } from '../../../shared/run';

/** What following an incident's rollback run calls for, as the run moves. */
export type FollowStep =
  /** DEPLOY is done: traffic is back on the previous release (`at`: when DEPLOY ended). */
  | { readonly kind: 'restored'; readonly at: string | undefined }
  /** The run waits for a decision: the click was the decision, so it is confirmed. */
  | { readonly kind: 'confirm' }
  /** The run paused for something a person must do; following stops. */
  | { readonly kind: 'paused'; readonly waiting: Waiting }
  /** The run ended (or following gave up on it); `restored` says whether traffic had come back. */
  | { readonly kind: 'ended'; readonly status: RunStatus; readonly problem?: Problem; readonly restored: boolean };

/** The run as its events show it: the parts of its record that following reads. */
type Seen = {
  readonly status: RunStatus;
  readonly problem?: Problem;
  readonly waiting?: Waiting;
  readonly deploy?: PhaseRecord;
};

const ended: readonly RunStatus[] = ['confirmed', 'failed', 'rolled-back'];

/**
 * Following a mitigation run, as pure logic: it starts from the run as
 * journaled, takes each of the run's updates as it comes, and says what the
 * incident records or does next. Each step comes once; after `paused` or
 * `ended` nothing more does.
 */
export class RollbackFollow {
  private seen: Seen;
  private restored = false;
  private confirmAsked = false;
  private over = false;

  constructor(record: Pick<RunRecord, 'status' | 'problem' | 'waiting' | 'phases'>) {
    const deploy = record.phases.find((p) => p.phase === 'DEPLOY');
    this.seen = {
      status: record.status,
      ...(record.problem ? { problem: record.problem } : {}),
      ...(record.waiting ? { waiting: record.waiting } : {}),
      ...(deploy ? { deploy } : {}),
    };
  }

  /** Following is over: the run paused or ended, or following gave up. */
  get done(): boolean {
    return this.over;
  }

  /** What the run, as seen so far, calls for now. */
  steps(): FollowStep[] {
    if (this.over) return [];
    const steps: FollowStep[] = [];
    const { status, problem, waiting, deploy } = this.seen;
    if (!this.restored && deploy?.state === 'done') {
      this.restored = true;
      steps.push({ kind: 'restored', at: deploy.endedAt });
    }
    if (status === 'awaiting-decision' && !this.confirmAsked) {
      this.confirmAsked = true;
      steps.push({ kind: 'confirm' });
    }
    if (ended.includes(status)) {
      this.over = true;
      steps.push({ kind: 'ended', status, ...(problem ? { problem } : {}), restored: this.restored });
    } else if (status === 'paused' && waiting) {
      this.over = true;
      steps.push({ kind: 'paused', waiting });
    }
    return steps;
  }

  /** One update of the run, kept as its journal keeps it, then what it calls for. */
  update(update: RunUpdate): FollowStep[] {
    const seen = this.seen;
    if (update.kind === 'status')
      this.seen = { ...seen, status: update.status, ...(update.problem ? { problem: update.problem } : {}) };
    else if (update.kind === 'waiting') {
      const { waiting: _, ...rest } = seen;
      this.seen = { ...rest, ...(update.waiting ? { waiting: update.waiting } : {}) };
    } else if (update.kind === 'phase' && update.phase.phase === 'DEPLOY')
      this.seen = { ...seen, deploy: update.phase };
    return this.steps();
  }

  /** Following gives up (the run took too long): it ends as the run stands. */
  timedOut(): FollowStep[] {
    if (this.over) return [];
    this.over = true;
    const { status, problem } = this.seen;
    return [{ kind: 'ended', status, ...(problem ? { problem } : {}), restored: this.restored }];
  }
}
