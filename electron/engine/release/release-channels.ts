import type { ChannelMap } from '../channels';
import type { Runs } from './runs';

/** The releases' channels: plan, run, decide, and read runs past and present. */
export type ReleaseChannel =
  | 'planRelease'
  | 'startRun'
  | 'tickItem'
  | 'waiveItem'
  | 'overrideGate'
  | 'decideApproval'
  | 'signOffRun'
  | 'confirmRun'
  | 'rollbackRun'
  | 'resumeRun'
  | 'forceUnlock'
  | 'listRuns'
  | 'getRun'
  | 'getRunSamples'
  | 'judgeAgain';

/** The releases' handlers: each one a call of the runs. */
export function releaseChannels(runs: Runs): ChannelMap<ReleaseChannel> {
  return {
    planRelease: async ({ service, environment, version, change }) => runs.plan(service, environment, version, change),
    startRun: async ({ previewId, notes, by, overrides }) => runs.start(previewId, notes, by, overrides),
    tickItem: async ({ runId, itemId, by, note }) => runs.checklist.tick(runId, itemId, by, note),
    waiveItem: async ({ runId, itemId, by, reason }) => runs.checklist.waive(runId, itemId, by, reason),
    overrideGate: async ({ runId, key, by, reason }) => runs.checklist.overrideGate(runId, key, by, reason),
    decideApproval: async ({ runId, by, decision, note }) => runs.decide(runId, by, decision, note),
    signOffRun: async ({ runId, by, note }) => runs.checklist.signOff(runId, by, note),
    confirmRun: async ({ runId }) => runs.confirm(runId),
    rollbackRun: async ({ runId, reason }) => runs.rollback(runId, reason),
    resumeRun: async ({ runId }) => runs.resume(runId),
    forceUnlock: async ({ service, environment, reason }) => runs.forceUnlock(service, environment, reason),
    listRuns: async () => runs.history.list(),
    getRun: async ({ runId }) => runs.get(runId),
    getRunSamples: async ({ runId }) => {
      // The charts draw PREPARE's samples and VERIFY's baseline as one series.
      const { prepared, baseline, candidate } = runs.history.samples(runId);
      return { baseline: [...prepared, ...baseline], candidate };
    },
    judgeAgain: async ({ runId, thresholds }) => runs.history.judgeAgain(runId, thresholds),
  };
}
