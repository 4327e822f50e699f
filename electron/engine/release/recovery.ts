import { readUpstream, reloadProxy } from '../../../shared/commands/proxy';
import { servicePaths, type Step } from '../../../shared/deploy-plan';
import { stepsTowards } from '../../../shared/commands/release-steps';
import { problemOf, ProblemError } from '../../../shared/problem';
import type { HostActual, Phase, RunRecord } from '../../../shared/run';
import type { Server } from '../../../shared/server';
import type { Fleet } from '../fleet/fleet';
import type { DeployPlan } from './host-plan';
import { readLockHolder } from './deploy-lock';
import { hookSteps } from '../../../shared/commands/hooks';
import { verifySteps } from './run-plan';
import { RunChecks, type ChecksOutput } from './run-checks';
import type { JournalHost, RunJournal } from './run-journal';
import { isFinal } from './run-journal';
import { ResumedSteps } from './resumed-steps';
import type { ActiveRun } from './run-state';

/** What reopening needs: the journal, the servers as the inventory has them now, where checks journal, the log. */
export interface RecoveryOptions {
  readonly journal: RunJournal;
  readonly servers: () => readonly Server[];
  readonly checksOutput: (runId: string) => ChecksOutput;
  readonly log: (message: string) => void;
}

/**
 * A run that was under way when Shipdeck stopped is marked interrupted: the
 * hosts still hold its lock and maybe its traffic, so it waits for a person
 * to roll it back or confirm it, from the journal's record of each host.
 */
export function reopenInterrupted(options: RecoveryOptions): ActiveRun[] {
  const { journal } = options;
  const reopened: ActiveRun[] = [];
  for (const id of journal.ids()) {
    let read;
    try {
      read = journal.read(id);
    } catch {
      continue;
    }
    const { record, hosts } = read;
    if (isFinal(record.status)) continue;
    if (endedBeforeDeploy(options, id, record)) continue;
    const servers = hosts.map((h) => ({ host: h, server: options.servers().find((s) => s.id === h.serverId) }));
    if (servers.some((s) => !s.server)) continue;
    const plan: DeployPlan = {
      spec: record.spec,
      release: record.version,
      holder: { who: record.who, since: record.startedAt, release: record.version, runId: id },
      hosts: servers.map(({ host, server }) => ({
        server: server!,
        input: {
          host: host.server,
          home: host.home,
          ...(host.previous ? { live: host.previous } : {}),
          standby: [],
          proxy: { upstreamFile: host.upstreamFile, reload: reloadProxy(host.reload) },
          port: host.next.port,
        },
        state: { service: record.service, standby: [], history: [] },
        steps: [],
        next: host.next,
      })),
    };
    const lastStep = Math.max(0, ...record.steps.map((s) => Number(s.id.slice(1)) || 0));
    const checks = RunChecks.of(record, options.checksOutput(id), () => new Date());
    reopened.push({
      id,
      plan,
      ids: new Map(),
      environment: record.environment,
      ...(record.promotedFrom ? { promotedFrom: record.promotedFrom } : {}),
      phase: 'DEPLOY',
      status: 'interrupted',
      busy: false,
      phaseStarts: new Map(record.phases.map((p) => [p.phase, p.startedAt ?? record.startedAt])),
      nextStep: lastStep + 1,
      checks,
      change: record.change,
      overrides: [],
    });
    if (record.status !== 'interrupted') {
      // The steps under way when Shipdeck stopped never ended: the journal says so, whatever is decided next.
      markUnfinished(journal, id, record);
      journal.append(id, {
        type: 'status',
        status: 'interrupted',
        problem: {
          code: 'disconnected',
          message: 'Shipdeck stopped while this run was under way',
          hint: 'The hosts may still hold the deploy lock and the new release. Roll back to the previous release, or confirm the new one.',
        },
        at: new Date().toISOString(),
      });
    }
    options.log(`run ${id} reopened as interrupted`);
  }
  return reopened;
}

/**
 * A run that stopped before DEPLOY began took no lock and moved nothing, so it
 * has nothing to resume, roll back or confirm: it ends as failed, saying so.
 * (Rolling it back would rewrite nginx and remove a lock that another run may hold by now.)
 */
export function endedBeforeDeploy(
  options: Pick<RecoveryOptions, 'journal' | 'log'>,
  id: string,
  record: RunRecord,
): boolean {
  const deploy = record.phases.find((p) => p.phase === 'DEPLOY');
  if (deploy && deploy.state !== 'pending') return false;
  const stoppedIn = [...record.phases].reverse().find((p) => p.state === 'running')?.phase ?? 'PREPARE';
  markUnfinished(options.journal, id, record);
  options.journal.append(id, {
    type: 'status',
    status: 'failed',
    problem: {
      code: 'disconnected',
      message: `Shipdeck stopped in ${stoppedIn}, before DEPLOY: nothing was deployed and no deploy lock was taken`,
      where: stoppedIn,
      hint: 'The hosts serve what they served before. Start the release again.',
    },
    at: new Date().toISOString(),
  });
  options.log(`run ${id} stopped in ${stoppedIn} before DEPLOY: ended as failed`);
  return true;
}

function markUnfinished(journal: RunJournal, id: string, record: RunRecord): void {
  for (const { output: _output, ...step } of record.steps.filter((s) => s.state === 'running'))
    journal.append(id, {
      type: 'step',
      step: { ...step, state: 'unfinished', detail: 'Shipdeck stopped while this step ran' },
    });
}

/** What a host of an interrupted run really does now: which release nginx sends traffic to, and who holds the lock. */
export async function actualOf(
  fleet: Fleet,
  servers: readonly Server[],
  service: string,
  host: JournalHost,
): Promise<HostActual> {
  const server = servers.find((s) => s.id === host.serverId);
  if (!server)
    return {
      server: host.server,
      problem: { code: 'not-found', message: `${host.server} is no longer in the inventory` },
    };
  try {
    const link = await fleet.link(server);
    let upstream = '';
    await link.exec(readUpstream(host.upstreamFile), { onStdout: (t) => (upstream += t) });
    const { heldBy } = await readLockHolder(link, servicePaths(host.home, service).lock);
    const port = Number(/server\s+[^:\s]+:(\d+)/.exec(upstream)?.[1]);
    const serving =
      port === host.next.port
        ? host.next.release
        : port === host.previous?.port
          ? host.previous.release
          : Number.isFinite(port)
            ? `port ${port}`
            : undefined;
    return { server: host.server, ...(serving ? { serving } : {}), ...(heldBy ? { lockHeldBy: heldBy } : {}) };
  } catch (error) {
    return { server: host.server, problem: problemOf(error) };
  }
}

/** What every host of a run really does now (see `actualOf`), read at once. */
export function actualHosts(
  fleet: Fleet,
  servers: readonly Server[],
  service: string,
  hosts: readonly JournalHost[],
): Promise<HostActual[]> {
  return Promise.all(hosts.map((h) => actualOf(fleet, servers, service, h)));
}

/** What its hosts serve now, for resuming a run: every host must be read, or the resume is refused with why. */
export async function hostsForResume(
  fleet: Fleet,
  servers: readonly Server[],
  service: string,
  hosts: readonly JournalHost[],
): Promise<HostActual[]> {
  const actual = await actualHosts(fleet, servers, service, hosts);
  const unreadable = actual.find((a) => a.problem);
  if (unreadable)
    throw new ProblemError({
      ...unreadable.problem!,
      hint: `Resume needs every host; ${unreadable.problem!.hint ?? ''}`.trim(),
    });
  return actual;
}

/** What a resume runs: the deploy steps each host still needs, the hosts already serving, and VERIFY's steps. */
export interface ResumePlan {
  readonly deploy: DeployPlan;
  readonly servingBefore: ReadonlySet<string>;
  readonly verify: readonly Step[];
}

/**
 * Every host whose nginx does not yet point at the new release gets the
 * deploy steps again (they are idempotent); VERIFY's health checks run again
 * and the post-deploy hooks that never started. A step run again takes the
 * id of its earlier copy (set into `run.ids`).
 */
export function resumePlan(
  run: ActiveRun,
  record: RunRecord,
  actual: readonly HostActual[],
  secrets: Readonly<Record<string, string>>,
): ResumePlan {
  const { spec, release } = run.plan;
  const earlier = new ResumedSteps(record.steps);
  /** How the journaled copy of a step run again last stood; the step takes its id. */
  const adopt = (phase: Phase, step: Step) => {
    const repeat = earlier.repeat(phase, step);
    if (repeat) run.ids.set(step, repeat.planned);
    return repeat?.state;
  };
  const deploySteps = (h: DeployPlan['hosts'][number], i: number): Step[] => {
    const steps = stepsTowards(spec, h.next, h.input, secrets);
    const states = steps.map((step) => adopt('DEPLOY', step));
    if (actual[i]!.serving !== h.next.release) return steps;
    // nginx's upstream already names the new release: only what did not finish runs again (a reload cut off after the write).
    const unfinished = states.findIndex((state) => state !== 'ok');
    return unfinished === -1 ? [] : steps.slice(unfinished);
  };
  const deploy: DeployPlan = { ...run.plan, hosts: run.plan.hosts.map((h, i) => ({ ...h, steps: deploySteps(h, i) })) };
  // Hosts already on the new release get no steps, but are recorded with the others at the end.
  const servingBefore = new Set(deploy.hosts.filter((h) => h.steps.length === 0).map((h) => h.server.name));
  // A hook runs once: again only if it never started (one cut off by the stop stays unfinished).
  const hooks = run.plan.hosts
    .flatMap((h) => hookSteps(spec.hooks.postDeploy, release, h.server, 'post-deploy'))
    .filter((step) => adopt('VERIFY', step) === 'pending');
  const checks = run.plan.hosts.flatMap((h) => verifySteps(spec, h.server, h.next));
  checks.forEach((step) => adopt('VERIFY', step));
  return { deploy, servingBefore, verify: [...checks, ...hooks] };
}
