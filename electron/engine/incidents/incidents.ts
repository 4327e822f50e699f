import { commandLine } from '../../../shared/commands/command';
import type { RequestOf } from '../../../shared/contract';
import { diagnostics } from '../../../shared/diagnostics';
import type { Assessment, Incident, IncidentDiagnostic, IncidentStep, IncidentSummary } from '../../../shared/incident';
import { ProblemError } from '../../../shared/problem';
import type { Fleet } from '../fleet/fleet';
import { noteOnHost } from '../fleet/host-audit';
import type { Inventory } from '../inventory';
import type { Runs } from '../release/runs';
import type { ServiceStore } from '../release/service-store';
import type { Redaction } from '../../../shared/redaction';
import { assessEnvironment, assessmentText, logsCommand } from './incident-assessment';
import { IncidentRecords, shipdeck, type IncidentEvent } from './incident-records';
import { IncidentRollback } from './incident-rollback';
import type { RunSubscription } from './run-feed';

/** What incident mode works with: the data folder, the runs and their updates, the fleet, and how to tell the windows. */
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

/** A time as people read it in a timeline: 2026-12-01 09:52:07 UTC. */
function utc(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}
/** How much of a diagnostic's output an incident keeps in its timeline. */
const keptOutputChars = 4000;

/**
 * Incident mode: each incident an append-only journal (see IncidentRecords).
 * Every step a person takes here, and what Shipdeck saw or did for it, is a
 * dated entry.
 */
export class Incidents {
  private readonly records: IncidentRecords;
  private readonly rollbacks: IncidentRollback;

  constructor(private readonly options: IncidentsOptions) {
    this.records = new IncidentRecords(options.dataDir, options.redaction);
    this.rollbacks = new IncidentRollback({
      runs: options.runs,
      runUpdates: options.runUpdates,
      records: this.records,
      changed: (id) => this.changed(id),
      log: options.log,
    });
  }

  /** Every incident as the list shows it, newest first. */
  list(): IncidentSummary[] {
    return this.records.list();
  }

  /** Every incident whole, newest first; one whose journal cannot be read is left out. */
  all(): Incident[] {
    return this.records.all();
  }

  /** One incident, read from its journal. */
  get(id: string): Incident {
    return this.records.get(id);
  }

  /** DETECT: open an incident on a service's environment; the release live there now is linked when none is named. */
  open(request: RequestOf<'openIncident'>): Incident {
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
      ? this.options.runs.history.record(request.causedBy)
      : this.options.runs.history.latestLive(request.service, request.environment);
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
    const assessment = await assessEnvironment(this.options, incident.service, incident.environment);
    this.entry(id, 'assess', by, assessmentText(assessment));
    this.changed(id);
    return assessment;
  }

  /**
   * MITIGATE: roll the service back to the release that was live before the
   * latest confirmed one, as an emergency run; the run is followed and the
   * incident is mitigated once traffic is back (see IncidentRollback).
   */
  async rollback(id: string, by: string): Promise<{ runId: string; version: string }> {
    return this.rollbacks.start(this.openOne(id), by);
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
      diagnostic === 'logs'
        ? await logsCommand(this.options.fleet, server, incident.service)
        : diagnostics[diagnostic].command;
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

  private openOne(id: string): Incident {
    return this.records.unresolved(id);
  }

  private entry(id: string, step: IncidentStep, by: string, text: string, runId?: string): void {
    this.records.entry(id, step, by, text, runId);
  }

  private changed(id: string): Incident {
    const incident = this.get(id);
    this.options.emit(incident);
    return incident;
  }

  private append(id: string, event: IncidentEvent): void {
    this.records.append(id, event);
  }
}
