import { type ChecklistItem } from '../../../shared/checklist';
import { gateTitles, type Approval, type GateRecord, type SignOff } from '../../../shared/gates';
import { ProblemError } from '../../../shared/problem';
import { RunChecks, type ChecksOutput } from './run-checks';
import { isFinal, type RunJournal } from './run-journal';
import type { ActiveRun } from './run-state';

/** What a person's checklist work needs: the journal, the runs under way, where checks journal, the log. */
export interface RunChecklistOptions {
  readonly journal: RunJournal;
  /** The run this engine drives, if it does. */
  readonly active: (runId: string) => ActiveRun | undefined;
  readonly checksOutput: (runId: string) => ChecksOutput;
  readonly log: (message: string) => void;
}

/**
 * A person's work on a run's checklist, gates, approvals and sign-off: on
 * the live checks of a run under way, else on checks rebuilt from its
 * journal, so an ended run takes its sign-off after a restart too.
 */
export class RunChecklist {
  constructor(private readonly options: RunChecklistOptions) {}

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
    this.options.log(
      `run ${runId}: gate "${gateTitles[gate.gate]}" overridden by ${gate.override!.by}: ${gate.override!.reason}`,
    );
    return gate;
  }

  /**
   * A second person's decision. A rejection of a run still working aborts it
   * (it stops and undoes); of a run waiting for a decision, it says why to
   * roll back (`rollBack`), which the caller does.
   */
  decide(
    runId: string,
    by: string,
    decision: Approval['decision'],
    note: string,
  ): { approval: Approval; rollBack?: string } {
    const { checks, ended } = this.checksOf(runId);
    if (ended) throw endedProblem(runId);
    const approval = checks.decide(by, decision, note);
    this.options.log(
      `run ${runId}: ${decision === 'approve' ? 'approved' : 'rejected'} by ${approval.by}${approval.note ? `: ${approval.note}` : ''}`,
    );
    if (decision !== 'reject') return { approval };
    const reason = `Rejected by ${approval.by}${approval.note ? `: ${approval.note}` : ''}`;
    const run = this.options.active(runId);
    if (run?.busy) {
      run.abort = reason;
      checks.changed();
    } else if (run && (run.status === 'awaiting-decision' || run.status === 'interrupted')) {
      return { approval, rollBack: reason };
    }
    return { approval };
  }

  signOff(runId: string, by: string, note: string): SignOff {
    const { checks, ended } = this.checksOf(runId);
    if (!ended)
      throw new ProblemError({
        code: 'conflict',
        message: `Run ${runId} has not ended yet`,
        where: 'sign-off',
        hint: 'Sign off once it is confirmed or rolled back.',
      });
    const signOff = checks.sign(by, note);
    this.options.log(`run ${runId}: signed off by ${signOff.by}`);
    return signOff;
  }

  /** A run's checks: the live ones of a run this engine drives, else rebuilt from its journal. */
  private checksOf(runId: string): { checks: RunChecks; ended: boolean } {
    const run = this.options.active(runId);
    if (run && !isFinal(run.status)) return { checks: run.checks, ended: false };
    if (!this.options.journal.ids().includes(runId))
      throw new ProblemError({ code: 'not-found', message: `No run ${runId}` });
    const { record } = this.options.journal.read(runId);
    return {
      checks: RunChecks.of(record, this.options.checksOutput(runId), () => new Date()),
      ended: isFinal(record.status),
    };
  }
}

function endedProblem(runId: string): ProblemError {
  return new ProblemError({
    code: 'conflict',
    message: `Run ${runId} has ended; its checklist is read-only now`,
    hint: 'Only the sign-off checklist can still be worked.',
  });
}
