import type { Incident } from '../../../shared/incident';
import { describeProblem, problemOf, ProblemError } from '../../../shared/problem';
import type { Runs } from '../release/runs';
import { shipdeck, type IncidentRecords } from './incident-records';
import { RollbackFollow } from './rollback-follow';
import { RunFeed, type RunSubscription } from './run-feed';

/** How long a mitigation run is followed before the incident says how it stands. */
const followMs = 10 * 60_000;

/** What an incident's rollback works with: the runs, their updates, and the incident's records. */
export interface RollbackSources {
  readonly runs: Runs;
  /** Every run's updates as they happen: a mitigation run is followed through them. */
  readonly runUpdates: RunSubscription;
  readonly records: IncidentRecords;
  /** The incident changed: read it again and tell every window. */
  readonly changed: (id: string) => Incident;
  readonly log: (message: string) => void;
}

/**
 * MITIGATE by rollback: an emergency run back to the release live before the
 * latest confirmed one, then that run followed to its end, each turn of it
 * written in the incident's timeline.
 */
export class IncidentRollback {
  /** Rollbacks under way, so one incident does not start two. */
  private readonly mitigating = new Set<string>();

  /** Rollbacks over these runs and records. */
  constructor(private readonly sources: RollbackSources) {}

  /**
   * Roll the service back to the release that was live before the latest
   * confirmed one, as an emergency run (reduced checklist, full record): the
   * kept standby is started again and traffic moves to it. The click is the
   * decision, so the run is confirmed once VERIFY holds.
   */
  async start(incident: Incident, by: string): Promise<{ runId: string; version: string }> {
    const { id } = incident;
    const { runs, records } = this.sources;
    if (incident.status !== 'open')
      throw new ProblemError({
        code: 'conflict',
        message: `Incident "${incident.title}" is mitigated already`,
        hint: 'A second rollback would go back to the release that broke; restart, run a diagnostic, or fix forward.',
      });
    if (this.mitigating.has(id))
      throw new ProblemError({
        code: 'conflict',
        message: 'A rollback for this incident is under way already',
        hint: 'Follow it in its run; it is linked in the timeline.',
      });
    const live = runs.history.latestLive(incident.service, incident.environment);
    // A rollback of this incident that is live already: going back again would bring back the release that broke.
    const ours = live && incident.timeline.some((e) => e.step === 'mitigate' && e.runId === live.id);
    if (ours)
      throw new ProblemError({
        code: 'conflict',
        message: `${incident.service} is on ${live.version} already, by this incident's rollback (run ${live.id})`,
        hint: 'Going back again would bring back the release that broke.',
      });
    const previous = live?.hosts.find((h) => h.previous)?.previous;
    if (!live || !previous)
      throw new ProblemError({
        code: 'not-found',
        message: `${incident.service} on ${incident.environment} has no earlier release to go back to`,
        where: incident.service,
        hint: 'Shipdeck rolls back to the release live before the latest confirmed one; restart or fix forward instead.',
      });
    const reason = `Incident: ${incident.title}`;
    const preview = await runs.plan(
      incident.service,
      incident.environment,
      previous,
      {
        class: 'emergency',
        impact: `${incident.severity} incident: ${incident.title}`,
        ci: `${previous} ran live before ${live.version}`,
      },
      { reuseStandby: true },
    );
    // The click is the person's decision to go past the gates an incident meets (a freeze, the broken live release
    // that cannot be measured); each override is recorded with the incident as its reason. A step that fails still stops.
    const overrides = (['freeze', 'impact-unknown', 'no-monitoring', 'no-rollback-target'] as const).map((gate) => ({
      gate,
      reason,
    }));
    const run = await runs.start(preview.previewId, `Rollback for incident ${incident.title}`, by, overrides);
    this.mitigating.add(id);
    records.entry(id, 'mitigate', by, `Rollback to ${previous} started (from ${live.version})`, run.id);
    this.sources.changed(id);
    // Following runs on after the reply; a failure there (a full disk) is logged, never left to stop the process.
    void this.follow(id, run.id, previous)
      .catch((error: unknown) =>
        this.sources.log(
          `incident ${id}: following rollback run ${run.id} failed: ${describeProblem(problemOf(error))}`,
        ),
      )
      .finally(() => this.mitigating.delete(id));
    return { runId: run.id, version: previous };
  }

  /**
   * Follow the mitigation run through its updates. The incident is mitigated
   * when traffic is back on the previous release (DEPLOY done: that is when
   * users are served again, and what time to restore measures), not when
   * VERIFY ends; the run is confirmed once VERIFY holds. If it ends otherwise,
   * the incident is open again.
   */
  private async follow(id: string, runId: string, version: string): Promise<void> {
    const { runs, records, changed } = this.sources;
    // Listening starts before the run is read, in the same turn, so no update falls between the two.
    const feed = new RunFeed(this.sources.runUpdates, runId, followMs);
    try {
      const run = runs.history.record(runId);
      const follow = new RollbackFollow(run);
      let steps = follow.steps();
      for (;;) {
        for (const step of steps) {
          if (step.kind === 'restored') {
            records.entry(
              id,
              'mitigate',
              shipdeck,
              `Traffic is back on ${version} on ${run.hosts.map((h) => h.server).join(', ')}; VERIFY watches it`,
              runId,
            );
            if (records.get(id).status === 'open')
              records.append(id, { type: 'status', status: 'mitigated', at: step.at ?? new Date().toISOString() });
            changed(id);
          } else if (step.kind === 'confirm') {
            // The run says it waits for a decision as its last act; it takes one once that act has returned.
            await new Promise((resolve) => setImmediate(resolve));
            try {
              await runs.confirm(runId);
            } catch (error) {
              records.entry(
                id,
                'mitigate',
                shipdeck,
                `The rollback run waits for a person: ${error instanceof ProblemError ? error.problem.message : String(error)}`,
                runId,
              );
              changed(id);
              return;
            }
          } else if (step.kind === 'paused') {
            records.entry(
              id,
              'mitigate',
              shipdeck,
              `The rollback run is paused: ${step.waiting.blockers.map((b) => b.text).join('; ')}`,
              runId,
            );
            changed(id);
          } else if (step.status === 'confirmed') {
            records.entry(
              id,
              'mitigate',
              shipdeck,
              `Rolled back to ${version}: VERIFY held, the rollback run is confirmed`,
              runId,
            );
            changed(id);
          } else {
            records.entry(
              id,
              'mitigate',
              shipdeck,
              `The rollback run ended ${step.status}${step.problem ? `: ${step.problem.message}` : ''}`,
              runId,
            );
            if (step.restored && records.get(id).status === 'mitigated')
              records.append(id, { type: 'status', status: 'open', at: new Date().toISOString() });
            changed(id);
          }
        }
        if (follow.done) return;
        const update = await feed.next();
        steps = update ? follow.update(update) : follow.timedOut();
      }
    } finally {
      feed.close();
    }
  }
}
