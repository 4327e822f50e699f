import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunUpdate } from '../../../../shared/contract';
import type { RunRecord, StepRecord } from '../../../../shared/run';

// The run store against a stand-in api: reads answer when the test says, updates arrive when it sends them.
const engine = vi.hoisted(() => {
  const listeners: ((update: unknown) => void)[] = [];
  const reads: { resolve: (record: unknown) => void }[] = [];
  return {
    listeners,
    reads,
    send: (update: unknown) => listeners.forEach((l) => l(update)),
    api: {
      on: (event: string, listener: (update: unknown) => void) => {
        if (event === 'runUpdate') listeners.push(listener);
        return () => undefined;
      },
      getRun: () => new Promise((resolve) => reads.push({ resolve })),
      listRuns: async () => [],
    },
  };
});
vi.mock('../../../../renderer/src/api', () => ({ api: engine.api, onLinkState: () => () => undefined }));
const { useRun } = await import('../../../../renderer/src/stores/run-store');

const step = (id: string, state: StepRecord['state']): StepRecord => ({
  id,
  phase: 'DEPLOY',
  host: 'lab-1',
  purpose: `step ${id}`,
  line: `line ${id}`,
  state,
  output: [],
});
const record = (steps: StepRecord[]): RunRecord =>
  ({
    id: 'run-1',
    status: 'running',
    steps,
    phases: [],
    checklist: { templateVersion: 'x', items: [] },
    gates: [],
    approvals: [],
  }) as unknown as RunRecord;
const stepUpdate = (s: StepRecord): RunUpdate => ({ runId: 'run-1', kind: 'step', step: s });
const stateOf = (id: string) => useRun.getState().record?.steps.find((s) => s.id === id)?.state;

beforeEach(() => {
  engine.reads.length = 0;
  useRun.getState().close();
});

describe('the run store', () => {
  it('applies the updates that came while the run was being read, after the read: a step never stays running', async () => {
    const opened = useRun.getState().open('run-1');
    // The read caught s4 running; meanwhile s4 ended and s5 started.
    engine.send(stepUpdate(step('s4', 'running')));
    engine.send(stepUpdate(step('s4', 'ok')));
    engine.send(stepUpdate(step('s5', 'running')));
    engine.reads[0]!.resolve(record([step('s4', 'running'), step('s5', 'pending')]));
    await opened;
    expect(stateOf('s4')).toBe('ok');
    expect(stateOf('s5')).toBe('running');
    expect(useRun.getState().loading).toBe(false);
  });

  it('replaces a step by its id when it runs again: one copy, in its latest state', async () => {
    const opened = useRun.getState().open('run-1');
    engine.reads[0]!.resolve(record([step('s4', 'unfinished')]));
    await opened;
    engine.send(stepUpdate(step('s4', 'running')));
    engine.send(stepUpdate(step('s4', 'ok')));
    expect(useRun.getState().record?.steps.map((s) => `${s.id} ${s.state}`)).toEqual(['s4 ok']);
  });

  it('keeps nothing of another run', async () => {
    const opened = useRun.getState().open('run-1');
    engine.send({ ...stepUpdate(step('s9', 'running')), runId: 'run-2' });
    engine.reads[0]!.resolve(record([step('s4', 'ok')]));
    await opened;
    expect(useRun.getState().record?.steps.map((s) => s.id)).toEqual(['s4']);
  });
});
