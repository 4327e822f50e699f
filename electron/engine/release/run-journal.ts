import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendWhole, makeFolder } from '../data-file';
import { disciplineOf, type ChecklistItem } from '../../../shared/checklist';
import { type Approval, type GateRecord, type SignOff } from '../../../shared/gates';
import { ProblemError, type Problem } from '../../../shared/problem';
import type {
  PhaseRecord,
  PlannedStep,
  RunRecord,
  RunStatus,
  StepRecord,
  VerificationRecord,
  Waiting,
} from '../../../shared/run';
import type { Sample } from '../../../shared/verify';
import type { Redaction } from '../../../shared/redaction';

/** What the journal needs to roll a run back after a crash, host by host. */
export interface JournalHost {
  readonly serverId: string;
  readonly server: string;
  readonly home: string;
  readonly previous?: { readonly release: string; readonly container: string; readonly port: number };
  readonly next: { readonly release: string; readonly container: string; readonly port: number };
  readonly upstreamFile: string;
  readonly reload: string;
}

export type JournalEvent =
  | {
      readonly type: 'run';
      readonly run: Omit<
        RunRecord,
        'status' | 'phases' | 'steps' | 'hosts' | 'problem' | 'endedAt' | 'gates' | 'approvals' | 'signOff' | 'waiting'
      >;
      readonly steps: readonly PlannedStep[];
      readonly hosts: readonly JournalHost[];
    }
  | { readonly type: 'phase'; readonly phase: PhaseRecord }
  | { readonly type: 'step'; readonly step: Omit<StepRecord, 'output'> }
  | { readonly type: 'output'; readonly stepId: string; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'switched'; readonly server: string; readonly switched: boolean }
  | { readonly type: 'status'; readonly status: RunStatus; readonly problem?: Problem; readonly at: string }
  | {
      readonly type: 'samples';
      readonly phase: 'PREPARE' | 'VERIFY';
      readonly baseline: readonly Sample[];
      readonly candidate: readonly Sample[];
      readonly record?: VerificationRecord;
    }
  | { readonly type: 'verification'; readonly record: VerificationRecord }
  | { readonly type: 'checklist'; readonly item: ChecklistItem }
  | { readonly type: 'gate'; readonly gate: GateRecord }
  | { readonly type: 'approval'; readonly approval: Approval }
  | { readonly type: 'sign-off'; readonly signOff: SignOff }
  | { readonly type: 'waiting'; readonly waiting: Waiting | null };

/**
 * Each run's append-only record, one JSON event per line in
 * `<dataDir>/runs/<id>.ndjson`, synced to disk per event: a crash loses
 * nothing that was shown, and the run can be rebuilt from it.
 */
export class RunJournal {
  private readonly dir: string;

  constructor(
    dataDir: string,
    /** Every event goes through it before it is written: output, command lines, problems, the spec. */
    private readonly redaction: Redaction,
  ) {
    this.dir = join(dataDir, 'runs');
    makeFolder(this.dir);
  }

  /** One event, whole or not at all (a full disk throws a `storage` Problem and leaves the journal as it was). */
  append(runId: string, event: JournalEvent): void {
    appendWhole(
      this.file(runId),
      `${JSON.stringify(this.redaction.value({ t: new Date().toISOString(), ...event }))}\n`,
    );
  }

  /** Where a run's journal is. */
  file(runId: string): string {
    return join(this.dir, `${runId}.ndjson`);
  }

  /** A run's samples: PREPARE's baseline, then VERIFY's baseline and candidate. */
  samples(runId: string): { prepared: Sample[]; baseline: Sample[]; candidate: Sample[] } {
    return samplesOf(readFileSync(join(this.dir, `${runId}.ndjson`), 'utf8').split('\n'));
  }

  ids(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.ndjson'))
      .map((f) => f.slice(0, -'.ndjson'.length));
  }

  /**
   * Rebuild a run from its events; a torn line (a crash or a full disk cut
   * its write short) is skipped. A journal that cannot be read, or holds no
   * start, is a Problem naming its file.
   */
  read(runId: string): { record: RunRecord; hosts: readonly JournalHost[] } {
    const file = this.file(runId);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ProblemError({
        code: 'not-found',
        message: `The journal of run ${runId} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        where: file,
        hint: 'Check the file and its permissions; the other runs are not affected.',
      });
    }
    const lines = text.split('\n').filter(Boolean);
    let record: RunRecord | undefined;
    let hosts: readonly JournalHost[] = [];
    const steps = new Map<string, StepRecord>();
    for (const line of lines) {
      let event: JournalEvent;
      try {
        event = JSON.parse(line) as JournalEvent;
      } catch {
        continue;
      }
      if (event.type === 'run') {
        hosts = event.hosts;
        for (const s of event.steps) steps.set(s.id, { ...s, state: 'pending', output: [] });
        // Runs recorded before checklists existed read with an empty one.
        const started = event.run as Partial<RunRecord> & typeof event.run;
        record = {
          ...event.run,
          startedBy: started.startedBy ?? event.run.who,
          change: started.change ?? {},
          discipline: started.discipline ?? disciplineOf({}),
          checklist: started.checklist ?? { templateVersion: 'none', items: [] },
          gates: [],
          approvals: [],
          status: 'running',
          phases: [],
          steps: [],
          hosts: event.hosts.map((h) => ({
            server: h.server,
            ...(h.previous ? { previous: h.previous.release } : {}),
            next: h.next.release,
            port: h.next.port,
            switched: false,
          })),
        };
        continue;
      }
      if (!record) continue;
      switch (event.type) {
        case 'phase':
          record = { ...record, phases: [...record.phases.filter((p) => p.phase !== event.phase.phase), event.phase] };
          break;
        case 'step': {
          const before = steps.get(event.step.id);
          steps.set(event.step.id, { ...event.step, output: before?.output ?? [] });
          break;
        }
        case 'output': {
          // Appended in place: a chatty step has many thousands of chunks.
          const step = steps.get(event.stepId);
          if (step)
            (step.output as StepRecord['output'][number][]).push({
              stream: event.stream,
              text: event.text,
              t: (event as { t?: string }).t ?? record.startedAt,
            });
          break;
        }
        case 'switched':
          record = {
            ...record,
            hosts: record.hosts.map((h) => (h.server === event.server ? { ...h, switched: event.switched } : h)),
          };
          break;
        case 'verification':
          record = { ...record, verification: event.record };
          break;
        case 'samples':
          // Each batch carries the verification's state after it: a run that stops in PREPARE or DEPLOY still shows its baseline.
          if (event.record) record = { ...record, verification: event.record };
          break;
        case 'checklist':
          record = {
            ...record,
            checklist: {
              ...record.checklist,
              items: record.checklist.items.map((i) => (i.id === event.item.id ? event.item : i)),
            },
          };
          break;
        case 'gate':
          record = {
            ...record,
            gates: record.gates.some((g) => g.key === event.gate.key)
              ? record.gates.map((g) => (g.key === event.gate.key ? event.gate : g))
              : [...record.gates, event.gate],
          };
          break;
        case 'approval':
          record = { ...record, approvals: [...record.approvals, event.approval] };
          break;
        case 'sign-off':
          record = { ...record, signOff: event.signOff };
          break;
        case 'waiting': {
          const { waiting: _, ...rest } = record;
          record = event.waiting ? { ...rest, waiting: event.waiting } : rest;
          break;
        }
        case 'status':
          record = {
            ...record,
            status: event.status,
            ...(event.problem ? { problem: event.problem } : {}),
            ...(isFinal(event.status) ? { endedAt: event.at } : {}),
          };
          break;
      }
    }
    if (!record) {
      const what = text.trim() === '' ? 'is empty' : 'holds no start';
      throw new ProblemError({
        code: 'not-found',
        message: `The journal of run ${runId} ${what}: the run's first write never reached the disk (a full disk or a crash as it started), so there is nothing to show`,
        where: file,
        hint: 'Nothing of this run was recorded, and it changed no host. Remove the file to hide it from Runs and History.',
      });
    }
    return { record: { ...record, steps: [...steps.values()] }, hosts };
  }
}

/** A run's samples, as journaled batch by batch. */
export function samplesOf(lines: readonly string[]): { prepared: Sample[]; baseline: Sample[]; candidate: Sample[] } {
  const out = { prepared: [] as Sample[], baseline: [] as Sample[], candidate: [] as Sample[] };
  for (const line of lines) {
    if (!line.includes('"type":"samples"')) continue;
    let event: JournalEvent;
    try {
      event = JSON.parse(line) as JournalEvent;
    } catch {
      continue;
    }
    if (event.type !== 'samples') continue;
    if (event.phase === 'PREPARE') out.prepared.push(...event.baseline);
    else {
      out.baseline.push(...event.baseline);
      out.candidate.push(...event.candidate);
    }
  }
  return out;
}

export function isFinal(status: RunStatus): boolean {
  return status === 'confirmed' || status === 'rolled-back' || status === 'failed';
}

/** For tests: the raw journal lines. */
export function journalText(dataDir: string, runId: string): string {
  return readFileSync(join(dataDir, 'runs', `${runId}.ndjson`), 'utf8');
}
