import { describe, expect, it } from 'vitest';
import type { RunUpdate } from '../../../../../shared/contract';
import type { PhaseRecord, RunRecord, Waiting } from '../../../../../shared/run';
import { RollbackFollow, type FollowStep } from '../../../../../electron/engine/incidents/rollback-follow';

const runId = 'r1';
const started: Pick<RunRecord, 'status' | 'phases'> = {
  status: 'running',
  phases: [{ phase: 'PREPARE', state: 'running', startedAt: '2026-12-07T10:00:00.000Z' }],
};
const phase = (p: PhaseRecord['phase'], state: PhaseRecord['state'], endedAt?: string): RunUpdate => ({
  runId,
  kind: 'phase',
  phase: { phase: p, state, startedAt: '2026-12-07T10:00:01.000Z', ...(endedAt ? { endedAt } : {}) },
});
const status = (s: Extract<RunUpdate, { kind: 'status' }>['status'], message?: string): RunUpdate => ({
  runId,
  kind: 'status',
  status: s,
  ...(message ? { problem: { code: 'conflict', message } } : {}),
});
const waiting: Waiting = {
  at: 'CONFIRM',
  since: '2026-12-07T10:01:00.000Z',
  blockers: [{ kind: 'item', id: 'smoke', text: 'Smoke test by hand' }],
};

/** Feed the updates one by one and collect what each calls for. */
function follow(
  record: Pick<RunRecord, 'status' | 'phases' | 'problem' | 'waiting'>,
  updates: readonly RunUpdate[],
): FollowStep[][] {
  const follower = new RollbackFollow(record);
  return [follower.steps(), ...updates.map((u) => follower.update(u))];
}

describe('following an incident rollback run through its updates', () => {
  it('says traffic is back when DEPLOY is done, confirms once when the run waits for a decision, and ends when it is confirmed', () => {
    const steps = follow(started, [
      phase('PREPARE', 'done', '2026-12-07T10:00:02.000Z'),
      phase('DEPLOY', 'running'),
      phase('DEPLOY', 'done', '2026-12-07T10:00:05.000Z'),
      phase('VERIFY', 'running'),
      status('awaiting-decision'),
      {
        runId,
        kind: 'checklist',
        item: {
          id: 'health-passing',
          section: 'post-deployment',
          phase: 'VERIFY',
          text: 'Health checks pass',
          kind: 'auto',
          required: true,
          state: 'done',
        },
      },
      phase('CONFIRM', 'done', '2026-12-07T10:00:09.000Z'),
      status('confirmed'),
      status('confirmed'),
    ]);
    expect(steps).toEqual([
      [],
      [],
      [],
      [{ kind: 'restored', at: '2026-12-07T10:00:05.000Z' }],
      [],
      [{ kind: 'confirm' }],
      [],
      [],
      [{ kind: 'ended', status: 'confirmed', restored: true }],
      [],
    ]);
  });

  it('starts from the run as journaled: a DEPLOY done before following began still restores', () => {
    const steps = follow(
      { status: 'running', phases: [{ phase: 'DEPLOY', state: 'done', endedAt: '2026-12-07T10:00:05.000Z' }] },
      [phase('VERIFY', 'running')],
    );
    expect(steps).toEqual([[{ kind: 'restored', at: '2026-12-07T10:00:05.000Z' }], []]);
  });

  it('ends with the problem when VERIFY rolls the run back after traffic came back', () => {
    const steps = follow(started, [
      phase('DEPLOY', 'done', '2026-12-07T10:00:05.000Z'),
      phase('VERIFY', 'failed'),
      status('rolled-back', 'health check failed'),
    ]);
    expect(steps.at(-1)).toEqual([
      {
        kind: 'ended',
        status: 'rolled-back',
        problem: { code: 'conflict', message: 'health check failed' },
        restored: true,
      },
    ]);
  });

  it('ends unrestored when the run fails before DEPLOY is done, keeping a problem an earlier status gave', () => {
    const steps = follow({ ...started, problem: { code: 'conflict', message: 'lock held' } }, [
      phase('DEPLOY', 'failed'),
      status('failed'),
    ]);
    expect(steps.flat()).toEqual([
      { kind: 'ended', status: 'failed', problem: { code: 'conflict', message: 'lock held' }, restored: false },
    ]);
  });

  it('stops at a pause that waits for a person, whichever of its two updates comes first', () => {
    expect(follow(started, [{ runId, kind: 'waiting', waiting }, status('paused'), status('running')]).flat()).toEqual([
      { kind: 'paused', waiting },
    ]);
    expect(follow(started, [status('paused'), { runId, kind: 'waiting', waiting }]).flat()).toEqual([
      { kind: 'paused', waiting },
    ]);
  });

  it('does not stop at a pause whose waiting was cleared', () => {
    expect(follow({ ...started, waiting }, [{ runId, kind: 'waiting' }, status('paused')]).flat()).toEqual([]);
  });

  it('gives up as the run stands, once', () => {
    const follower = new RollbackFollow(started);
    follower.update(phase('DEPLOY', 'done', '2026-12-07T10:00:05.000Z'));
    expect(follower.timedOut()).toEqual([{ kind: 'ended', status: 'running', restored: true }]);
    expect(follower.done).toBe(true);
    expect(follower.timedOut()).toEqual([]);
    expect(follower.update(status('confirmed'))).toEqual([]);
  });
});
