import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from '../../../shared/commands/command';
import { containerLogs } from '../../../shared/commands/container';
import { diagnostics } from '../../../shared/diagnostics';
import type {
  Assessment,
  Incident,
  IncidentDiagnostic,
  IncidentStep,
  IncidentSummary,
  Severity,
  TimelineEntry,
} from '../../../shared/incident';
import { describeProblem, problemOf, ProblemError } from '../../../shared/problem';
import type { Server } from '../../../shared/server';
import type { Fleet } from '../fleet/fleet';
import { noteOnHost } from '../fleet/host-audit';
import { httpGetOverLink } from '../fleet/http-over-link';
import type { Inventory } from '../inventory';
import { homeOf, readHostState } from '../release/host-state';
import type { Runs } from '../release/runs';
import type { ServiceStore } from '../release/service-store';
import type { Redaction } from '../../../shared/redaction';
import { appendWhole, makeFolder } from '../data-file';
import { RollbackFollow } from './rollback-follow';
import { RunFeed, type RunSubscription } from './run-feed';

export interface IncidentsOptions {
  readonly dataDir: string;
  readonly runs: Runs;
  /** Every run's updates as they happen: a mitigation run is followed through them. */
  readonly runUpdates: RunSubscription;
  readonly fleet: Fleet;
  readonly inventory: Inventory;
  readonly services: ServiceStore;
  /** The incident changed: tell every window. */
  readonly emit: (incident: Incident) => void;
  readonly log: (message: string) => void;
  /** The engine's redaction: text from a host, and every event before it is written. */
  readonly redaction: Redaction;
  /** Who this engine acts as (user@host), for the hosts' audit lines. */
  readonly who: string;
}

type IncidentEvent =
  | { readonly type: 'open'; readonly incident: Omit<Incident, 'timeline' | 'updates' | 'status'> }
  | { readonly type: 'entry'; readonly entry: TimelineEntry }
  | { readonly type: 'status'; readonly status: Incident['status']; readonly at: string }
  | { readonly type: 'update'; readonly update: Incident['updates'][number] }
  | { readonly type: 'postmortem'; readonly text: string };

const shipdeck = 'Shipdeck';

/** A time as people read it in a timeline: 2026-12-01 09:52:07 UTC. */
function utc(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}
/** How much of a diagnostic's output an incident keeps in its timeline. */
const keptOutputChars = 4000;
/** How long a mitigation run is followed before the incident says how it stands. */
const followMs = 10 * 60_000;

/**
 * Incident mode: each incident an append-only journal in
 * `<dataDir>/incidents/<id>.ndjson` (fsync per event). Every step a person
 * takes here, and what Shipdeck saw or did for it, is a dated entry.
 */
export class Incidents {
  private readonly dir: string;
  /** Rollbacks under way, so one incident does not start two. */
  private readonly mitigating = new Set<string>();

  constructor(private readonly options: IncidentsOptions) {
    this.dir = join(options.dataDir, 'incidents');
    makeFolder(this.dir);
  }

  list(): IncidentSummary[] {
    return this.all().map(
      ({
        id,
        title,
        severity,
        service,
        environment,
        openedAt,
        detectedAt,
        status,
        mitigatedAt,
        resolvedAt,
        causedBy,
      }) => ({
        id,
        title,
        severity,
        service,
        environment,
        openedAt,
        detectedAt,
        status,
        ...(mitigatedAt ? { mitigatedAt } : {}),
        ...(resolvedAt ? { resolvedAt } : {}),
        ...(causedBy ? { causedBy } : {}),
      }),
    );
  }

  /** Every incident whole, newest first; one whose journal cannot be read is left out. */
  all(): Incident[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.ndjson'))
      .flatMap((f) => {
        try {
          return [this.get(f.slice(0, -'.ndjson'.length))];
        } catch {
          return [];
        }
      })
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  }

  get(id: string): Incident {
    let text: string;
    try {
      text = readFileSync(this.file(id), 'utf8');
    } catch {
      throw new ProblemError({
        code: 'not-found',
        message: `No incident ${id}`,
        hint: 'It may have been removed from the data folder; choose another one.',
      });
    }
    let incident: Incident | undefined;
    for (const line of text.split('\n')) {
      if (!line) continue;
      let event: IncidentEvent;
      try {
        event = JSON.parse(line) as IncidentEvent;
      } catch {
        continue; // a torn last line (a crash mid-write)
      }
      if (event.type === 'open') incident = { ...event.incident, status: 'open', timeline: [], updates: [] };
      else if (!incident) continue;
      else if (event.type === 'entry') incident = { ...incident, timeline: [...incident.timeline, event.entry] };
      else if (event.type === 'update') incident = { ...incident, updates: [...incident.updates, event.update] };
      else if (event.type === 'postmortem') incident = { ...incident, postmortem: event.text };
      else if (event.type === 'status') {
        // Open again (a mitigation that did not hold) forgets when it was mitigated.
        const { mitigatedAt: _, ...rest } = incident;
        incident = {
          ...(event.status === 'open' ? rest : incident),
          status: event.status,
          ...(event.status === 'mitigated' ? { mitigatedAt: event.at } : {}),
          ...(event.status === 'resolved' ? { resolvedAt: event.at } : {}),
        };
      }
    }
    if (!incident)
      throw new ProblemError({
        code: 'not-found',
        message: `Incident ${id} has no start in its journal`,
        where: this.file(id),
      });
    return incident;
  }

  /** DETECT: open an incident on a service's environment; the release live there now is linked when none is named. */
  open(request: {
    title: string;
    severity: Severity;
    service: string;
    environment: string;
    detection: string;
    detectedAt?: string;
    causedBy?: string;
    by: string;
  }): Incident {
    const spec = this.options.services.get(request.service);
    if (!spec.servers[request.environment])
      throw new ProblemError({
        code: 'bad-request',
        message: `${request.service} has no environment ${request.environment}`,
        where: 'environment',
        hint: `Choose one of: ${Object.keys(spec.servers).join(', ')}.`,
      });
    const now = new Date().toISOString();
    if (request.detectedAt && Date.parse(request.detectedAt) > Date.now() + 60_000)
      throw new ProblemError({
        code: 'bad-request',
        message: 'The incident cannot be detected in the future',
        where: 'detectedAt',
        hint: 'Give the time it was noticed, or leave it out for now.',
      });
    const cause = request.causedBy
      ? this.options.runs.record(request.causedBy)
      : this.options.runs.latestLive(request.service, request.environment);
    const id = `${now.replace(/[:.]/g, '-')}-${request.service}`;
    this.append(id, {
      type: 'open',
      incident: {
        id,
        title: request.title,
        severity: request.severity,
        service: request.service,
        environment: request.environment,
        openedAt: now,
        openedBy: request.by,
        detectedAt: request.detectedAt ?? now,
        detection: request.detection,
        ...(cause ? { causedBy: cause.id } : {}),
      },
    });
    this.entry(id, 'detect', request.by, `Detected: ${request.detection}`);
    if (cause)
      this.entry(
        id,
        'detect',
        shipdeck,
        `Follows the release of ${cause.version} to ${cause.environment} by ${cause.startedBy}, confirmed ${utc(cause.endedAt ?? cause.startedAt)}`,
        cause.id,
      );
    this.options.log(`incident ${id} opened by ${request.by}: ${request.title} (${request.severity})`);
    return this.changed(id);
  }

  /** ASSESS: every host of the service's environment, read now: reachable, which release is live, whether it runs and answers its health check. */
  async assess(id: string, by: string): Promise<Assessment> {
    const incident = this.openOne(id);
    const spec = this.options.services.get(incident.service);
    const hosts = await Promise.all(
      (spec.servers[incident.environment] ?? []).map((name) =>
        this.assessHost(name, incident.service, spec.healthcheck),
      ),
    );
    const healthy = hosts.filter((h) => h.health?.healthy).length;
    const sick = hosts
      .filter((h) => !h.health?.healthy)
      .map((h) => `${h.server} (${h.problem ?? (h.health ? `health ${h.health.status}` : 'no answer')})`);
    const summary = `${healthy} of ${hosts.length} hosts healthy${sick.length ? `; not: ${sick.join(', ')}` : ''}`;
    const assessment: Assessment = {
      at: new Date().toISOString(),
      service: incident.service,
      environment: incident.environment,
      hosts,
      summary,
    };
    this.entry(
      id,
      'assess',
      by,
      `Assessed ${incident.service} on ${incident.environment}: ${summary}. ${hosts.map((h) => `${h.server}: ${h.live ?? 'nothing'} live${h.running === false ? ' (not running)' : ''}${h.health ? `, health ${h.health.status} in ${h.health.ms} ms` : ''}`).join('; ')}`,
    );
    this.changed(id);
    return assessment;
  }

  /**
   * MITIGATE: roll the service back to the release that was live before the
   * latest confirmed one, as an emergency run (reduced checklist, full
   * record): the kept standby is started again and traffic moves to it. The
   * click is the decision, so the run is confirmed once VERIFY holds.
   */
  async rollback(id: string, by: string): Promise<{ runId: string; version: string }> {
    const incident = this.openOne(id);
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
    const live = this.options.runs.latestLive(incident.service, incident.environment);
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
    const preview = await this.options.runs.plan(
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
    const run = await this.options.runs.start(
      preview.previewId,
      `Rollback for incident ${incident.title}`,
      by,
      overrides,
    );
    this.mitigating.add(id);
    this.entry(id, 'mitigate', by, `Rollback to ${previous} started (from ${live.version})`, run.id);
    this.changed(id);
    // Following runs on after the reply; a failure there (a full disk) is logged, never left to stop the process.
    void this.follow(id, run.id, previous)
      .catch((error: unknown) =>
        this.options.log(
          `incident ${id}: following rollback run ${run.id} failed: ${describeProblem(problemOf(error))}`,
        ),
      )
      .finally(() => this.mitigating.delete(id));
    return { runId: run.id, version: previous };
  }

  /** MITIGATE: restart a container, after the person confirmed it. */
  async restart(id: string, serverId: string, containerId: string, by: string): Promise<Incident> {
    this.openOne(id);
    const server = this.options.inventory.get(serverId);
    const docker = await this.options.fleet.docker(server);
    await docker.restart(containerId);
    await noteOnHost(
      this.options.fleet,
      server,
      { who: this.options.who, by, action: 'restart', container: containerId, incident: id },
      `Note in the host's audit log: ${containerId} restarted`,
    );
    this.entry(id, 'mitigate', by, `Restarted container ${containerId} on ${server.name}`);
    this.options.log(`incident ${id}: ${by} restarted ${containerId} on ${server.name}`);
    return this.changed(id);
  }

  /** A diagnostic over SSH for the incident: its output is shown and the gist kept in the timeline. */
  async diagnose(
    id: string,
    serverId: string,
    diagnostic: IncidentDiagnostic,
    by: string,
  ): Promise<{ commandLine: string; exitCode: number | null; output: string }> {
    const incident = this.openOne(id);
    const server = this.options.inventory.get(serverId);
    const link = await this.options.fleet.link(server);
    const cmd =
      diagnostic === 'logs' ? await this.logsCommand(server, incident.service) : diagnostics[diagnostic].command;
    let output = '';
    const result = await link.exec(cmd, { onStdout: (t) => (output += t), onStderr: (t) => (output += t) });
    const shown = this.options.redaction.text(output.length > 200_000 ? output.slice(-200_000) : output);
    const line = commandLine(cmd);
    const gist = shown.trim().split('\n').slice(-8).join('\n').slice(-keptOutputChars);
    this.entry(
      id,
      'mitigate',
      by,
      `Ran \`${line}\` on ${server.name}: exit ${result.exitCode ?? result.signal}${gist ? `\n${gist}` : ''}`,
    );
    this.changed(id);
    return { commandLine: line, exitCode: result.exitCode, output: shown };
  }

  /** COMMUNICATE: a status update as sent (the person sends it; Shipdeck keeps it with its time). */
  postUpdate(id: string, text: string, by: string): Incident {
    this.openOne(id);
    const update = { at: new Date().toISOString(), by, text };
    this.append(id, { type: 'update', update });
    this.entry(id, 'communicate', by, `Status update sent: ${text.split('\n')[0]}`);
    return this.changed(id);
  }

  /** RESOLVE: the cause is fixed (or the rollback holds); the incident closes. */
  resolve(id: string, summary: string, by: string): Incident {
    this.openOne(id);
    const at = new Date().toISOString();
    this.entry(id, 'resolve', by, `Resolved: ${summary}`);
    this.append(id, { type: 'status', status: 'resolved', at });
    this.options.log(`incident ${id} resolved by ${by}`);
    return this.changed(id);
  }

  /** POSTMORTEM: the text as written, kept with the incident (any time, open or resolved). */
  savePostmortem(id: string, text: string, by: string): Incident {
    const had = this.get(id).postmortem !== undefined;
    this.append(id, { type: 'postmortem', text });
    if (!had) this.entry(id, 'postmortem', by, 'Postmortem written');
    return this.changed(id);
  }

  /** Note anything else that happened, at a step. */
  note(id: string, step: IncidentStep, text: string, by: string): Incident {
    this.get(id);
    this.entry(id, step, by, text);
    return this.changed(id);
  }

  /**
   * Follow the mitigation run through its updates. The incident is mitigated
   * when traffic is back on the previous release (DEPLOY done: that is when
   * users are served again, and what time to restore measures), not when
   * VERIFY ends; the run is confirmed once VERIFY holds. If it ends otherwise,
   * the incident is open again.
   */
  private async follow(id: string, runId: string, version: string): Promise<void> {
    // Listening starts before the run is read, in the same turn, so no update falls between the two.
    const feed = new RunFeed(this.options.runUpdates, runId, followMs);
    try {
      const run = this.options.runs.record(runId);
      const follow = new RollbackFollow(run);
      let steps = follow.steps();
      for (;;) {
        for (const step of steps) {
          if (step.kind === 'restored') {
            this.entry(
              id,
              'mitigate',
              shipdeck,
              `Traffic is back on ${version} on ${run.hosts.map((h) => h.server).join(', ')}; VERIFY watches it`,
              runId,
            );
            if (this.get(id).status === 'open')
              this.append(id, { type: 'status', status: 'mitigated', at: step.at ?? new Date().toISOString() });
            this.changed(id);
          } else if (step.kind === 'confirm') {
            // The run says it waits for a decision as its last act; it takes one once that act has returned.
            await new Promise((resolve) => setImmediate(resolve));
            try {
              await this.options.runs.confirm(runId);
            } catch (error) {
              this.entry(
                id,
                'mitigate',
                shipdeck,
                `The rollback run waits for a person: ${error instanceof ProblemError ? error.problem.message : String(error)}`,
                runId,
              );
              this.changed(id);
              return;
            }
          } else if (step.kind === 'paused') {
            this.entry(
              id,
              'mitigate',
              shipdeck,
              `The rollback run is paused: ${step.waiting.blockers.map((b) => b.text).join('; ')}`,
              runId,
            );
            this.changed(id);
          } else if (step.status === 'confirmed') {
            this.entry(
              id,
              'mitigate',
              shipdeck,
              `Rolled back to ${version}: VERIFY held, the rollback run is confirmed`,
              runId,
            );
            this.changed(id);
          } else {
            this.entry(
              id,
              'mitigate',
              shipdeck,
              `The rollback run ended ${step.status}${step.problem ? `: ${step.problem.message}` : ''}`,
              runId,
            );
            if (step.restored && this.get(id).status === 'mitigated')
              this.append(id, { type: 'status', status: 'open', at: new Date().toISOString() });
            this.changed(id);
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

  private async assessHost(
    name: string,
    service: string,
    check: { path: string; status: number; timeoutMs: number },
  ): Promise<Assessment['hosts'][number]> {
    const server = this.options.inventory.findByName(name);
    if (!server) return { server: name, reachable: false, problem: 'not in the inventory' };
    try {
      const link = await this.options.fleet.link(server);
      const docker = await this.options.fleet.docker(server);
      const state = await readHostState(link, docker.docker, await homeOf(link), service);
      if (!state.live) {
        // The host's record names the release it made live last; a stopped one is no longer counted as live, but it is what broke.
        const last = state.history.at(-1);
        const meant = last ? state.standby.find((r) => r.release === last.release) : undefined;
        if (!meant) return { server: name, reachable: true, problem: 'no live release' };
        return {
          server: name,
          reachable: true,
          live: meant.release,
          container: meant.container,
          running: false,
          problem: `${meant.release} (${meant.container}) is not running`,
        };
      }
      const info = await docker.docker
        .getContainer(state.live.container)
        .inspect()
        .catch(() => undefined);
      const running = info?.State.Running === true;
      const started = Date.now();
      const health = await httpGetOverLink(link, state.live.port, check.path, check.timeoutMs).then(
        (answer) => ({ status: answer.status, ms: Date.now() - started, healthy: answer.status === check.status }),
        () => undefined,
      );
      return {
        server: name,
        reachable: true,
        live: state.live.release,
        container: state.live.container,
        running,
        ...(health ? { health } : { problem: 'the health check did not answer' }),
      };
    } catch (error) {
      return {
        server: name,
        reachable: false,
        problem: error instanceof ProblemError ? error.problem.message : String(error),
      };
    }
  }

  /** The last 100 lines of the service's live container on that host. */
  private async logsCommand(server: Server, service: string) {
    const link = await this.options.fleet.link(server);
    const docker = await this.options.fleet.docker(server);
    const state = await readHostState(link, docker.docker, await homeOf(link), service);
    if (!state.live)
      throw new ProblemError({
        code: 'not-found',
        message: `${service} has no live release on ${server.name}`,
        where: server.name,
      });
    return containerLogs(state.live.container, 100, `Show the last 100 lines ${service} ${state.live.release} wrote`);
  }

  private openOne(id: string): Incident {
    const incident = this.get(id);
    if (incident.status === 'resolved')
      throw new ProblemError({
        code: 'conflict',
        message: `Incident "${incident.title}" is resolved`,
        hint: 'Open a new incident if it happens again; a resolved one only takes its postmortem.',
      });
    return incident;
  }

  private entry(id: string, step: IncidentStep, by: string, text: string, runId?: string): void {
    this.append(id, {
      type: 'entry',
      entry: { at: new Date().toISOString(), step, by, text, ...(runId ? { runId } : {}) },
    });
  }

  private changed(id: string): Incident {
    const incident = this.get(id);
    this.options.emit(incident);
    return incident;
  }

  /** One event, whole or not at all: a full disk throws a `storage` Problem naming the folder. */
  private append(id: string, event: IncidentEvent): void {
    appendWhole(
      this.file(id),
      `${JSON.stringify(this.options.redaction.value({ t: new Date().toISOString(), ...event }))}\n`,
    );
  }

  private file(id: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(id))
      throw new ProblemError({ code: 'bad-request', message: 'Not an incident id', where: 'id' });
    return join(this.dir, `${id}.ndjson`);
  }
}
