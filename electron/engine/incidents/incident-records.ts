import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Incident, IncidentStep, IncidentSummary, TimelineEntry } from '../../../shared/incident';
import { incidentSummary } from '../../../shared/incident';
import { ProblemError } from '../../../shared/problem';
import type { Redaction } from '../../../shared/redaction';
import { appendWhole, makeFolder } from '../data-file';

/** One line of an incident's journal; the incident is these events replayed in order. */
export type IncidentEvent =
  | { readonly type: 'open'; readonly incident: Omit<Incident, 'timeline' | 'updates' | 'status'> }
  | { readonly type: 'entry'; readonly entry: TimelineEntry }
  | { readonly type: 'status'; readonly status: Incident['status']; readonly at: string }
  | { readonly type: 'update'; readonly update: Incident['updates'][number] }
  | { readonly type: 'postmortem'; readonly text: string };

/** Who an entry is by when Shipdeck wrote it of its own accord. */
export const shipdeck = 'Shipdeck';

/**
 * The incidents on disk: each an append-only journal in
 * `<dataDir>/incidents/<id>.ndjson` (fsync per event), redacted before it is
 * written, read back by replaying its events.
 */
export class IncidentRecords {
  private readonly dir: string;

  /** Makes the incidents folder if it is not there yet. */
  constructor(
    dataDir: string,
    private readonly redaction: Redaction,
  ) {
    this.dir = join(dataDir, 'incidents');
    makeFolder(this.dir);
  }

  /** Every incident as the list shows it, newest first. */
  list(): IncidentSummary[] {
    return this.all().map(incidentSummary);
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

  /** One incident, replayed from its journal; a missing one is a `not-found` Problem. */
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

  /** The incident, if it still takes steps: a resolved one is a `conflict` Problem. */
  unresolved(id: string): Incident {
    const incident = this.get(id);
    if (incident.status === 'resolved')
      throw new ProblemError({
        code: 'conflict',
        message: `Incident "${incident.title}" is resolved`,
        hint: 'Open a new incident if it happens again; a resolved one only takes its postmortem.',
      });
    return incident;
  }

  /** A dated timeline entry at a step, by a person or by Shipdeck, linked to a run when there is one. */
  entry(id: string, step: IncidentStep, by: string, text: string, runId?: string): void {
    this.append(id, {
      type: 'entry',
      entry: { at: new Date().toISOString(), step, by, text, ...(runId ? { runId } : {}) },
    });
  }

  /** One event, whole or not at all: a full disk throws a `storage` Problem naming the folder. */
  append(id: string, event: IncidentEvent): void {
    appendWhole(this.file(id), `${JSON.stringify(this.redaction.value({ t: new Date().toISOString(), ...event }))}\n`);
  }

  private file(id: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(id))
      throw new ProblemError({ code: 'bad-request', message: 'Not an incident id', where: 'id' });
    return join(this.dir, `${id}.ndjson`);
  }
}
