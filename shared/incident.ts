/**
 * Incident mode: the six steps of the incident practice (detect, assess,
 * mitigate, communicate, resolve, postmortem), each leaving a dated entry in
 * the incident's timeline, so its postmortem and the delivery metrics are
 * built from what happened, not from memory.
 */

export const incidentSteps = ['detect', 'assess', 'mitigate', 'communicate', 'resolve', 'postmortem'] as const;
export type IncidentStep = (typeof incidentSteps)[number];

export const severities = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof severities)[number];

/** One dated thing that happened in an incident. */
export interface TimelineEntry {
  readonly at: string;
  readonly step: IncidentStep;
  /** Who did it: a person's name, or Shipdeck for what it did or saw itself. */
  readonly by: string;
  readonly text: string;
  /** A run it refers to (the release that caused it, the rollback that mitigated it). */
  readonly runId?: string;
}

export type IncidentStatus = 'open' | 'mitigated' | 'resolved';

export interface Incident {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** The service and environment it hits (the delivery metrics count incidents per service and environment). */
  readonly service: string;
  readonly environment: string;
  readonly openedAt: string;
  readonly openedBy: string;
  /** When and how it was noticed (an alert, a user report), which may be before it was opened here. */
  readonly detectedAt: string;
  readonly detection: string;
  /** The release run it follows, when a release caused it (counted as a change failure). */
  readonly causedBy?: string;
  readonly status: IncidentStatus;
  readonly mitigatedAt?: string;
  readonly resolvedAt?: string;
  readonly timeline: readonly TimelineEntry[];
  /** Status updates drafted and marked sent, in order. */
  readonly updates: readonly { readonly at: string; readonly by: string; readonly text: string }[];
  /** The postmortem as written (Markdown), prefilled from the timeline until edited. */
  readonly postmortem?: string;
}

export type IncidentSummary = Pick<
  Incident,
  | 'id'
  | 'title'
  | 'severity'
  | 'service'
  | 'environment'
  | 'openedAt'
  | 'detectedAt'
  | 'status'
  | 'mitigatedAt'
  | 'resolvedAt'
  | 'causedBy'
>;

/** An incident as the list shows it: its facts without the timeline, the updates and the postmortem. */
export function incidentSummary(incident: Incident): IncidentSummary {
  const { id, title, severity, service, environment, openedAt, detectedAt, status, mitigatedAt, resolvedAt, causedBy } =
    incident;
  return {
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
  };
}

/** What an assessment saw on each host of the service's environment, live. */
export interface Assessment {
  readonly at: string;
  readonly service: string;
  readonly environment: string;
  readonly hosts: readonly {
    readonly server: string;
    readonly reachable: boolean;
    /** The release the host says is live, its container and whether that runs. */
    readonly live?: string;
    readonly container?: string;
    readonly running?: boolean;
    /** The live release's health check, asked just now. */
    readonly health?: { readonly status: number; readonly ms: number; readonly healthy: boolean };
    readonly problem?: string;
  }[];
  /** One line: how many hosts are healthy, which are not. */
  readonly summary: string;
}

/** The diagnostics incident mode offers on a host, beside the fleet's read-only ones. */
export const incidentDiagnostics = ['docker-ps', 'logs', 'systemctl-status', 'journal', 'disk-free', 'memory'] as const;
export type IncidentDiagnostic = (typeof incidentDiagnostics)[number];

function hhmm(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}

function minutesBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
}

/** A status update to send, drafted from what is known now (times in UTC). */
export function statusUpdateDraft(incident: Incident, now: string): string {
  const state =
    incident.status === 'resolved'
      ? `Resolved at ${hhmm(incident.resolvedAt!)}.`
      : incident.status === 'mitigated'
        ? `Mitigated at ${hhmm(incident.mitigatedAt!)}; we are watching it and working on the cause.`
        : 'We are investigating and working to restore service.';
  const last = [...incident.timeline].reverse().find((e) => e.step === 'mitigate' || e.step === 'assess');
  return [
    `[${incident.severity.toUpperCase()}] ${incident.title}`,
    `${incident.service} (${incident.environment}): detected at ${hhmm(incident.detectedAt)}, ${minutesBetween(incident.detectedAt, now)} min ago.`,
    state,
    ...(last ? [`Latest: ${last.text}`] : []),
    `Next update by ${hhmm(new Date(Date.parse(now) + 30 * 60_000).toISOString())}.`,
  ].join('\n');
}

/** The postmortem template, prefilled from the incident's timeline. */
export function postmortemDraft(incident: Incident): string {
  const restored = incident.mitigatedAt ?? incident.resolvedAt;
  return [
    `# Postmortem: ${incident.title}`,
    '',
    `- Service: ${incident.service} (${incident.environment})`,
    `- Severity: ${incident.severity}`,
    `- Detected: ${incident.detectedAt} (${incident.detection})`,
    `- Opened: ${incident.openedAt} by ${incident.openedBy}`,
    ...(incident.causedBy ? [`- Follows release run: ${incident.causedBy}`] : []),
    ...(restored
      ? [
          `- Time to restore: ${minutesBetween(incident.detectedAt, restored)} min (detected to ${incident.mitigatedAt ? 'mitigated' : 'resolved'})`,
        ]
      : []),
    ...(incident.resolvedAt ? [`- Resolved: ${incident.resolvedAt}`] : []),
    '',
    '## Summary',
    '',
    '_What happened, in two or three sentences._',
    '',
    '## Timeline (UTC)',
    '',
    // A diagnostic's output continues its entry, indented, so the list stays one bullet per entry.
    ...incident.timeline.map((e) => {
      const [first, ...more] = e.text.split('\n');
      return [
        `- ${e.at.slice(0, 19).replace('T', ' ')} — ${e.step}: ${first} (${e.by})`,
        ...more.map((line) => `  ${line}`),
      ].join('\n');
    }),
    '',
    '## Impact',
    '',
    '_Who was affected, how, and for how long._',
    '',
    '## Root cause',
    '',
    '_Why it happened._',
    '',
    '## What went well, what did not',
    '',
    '## Action items',
    '',
    '- [ ] _Owner: what, by when_',
    '',
  ].join('\n');
}

/** The whole incident as Markdown: facts, timeline, updates sent, and its postmortem. */
export function incidentMarkdown(incident: Incident): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [
    `# Incident: ${incident.title}`,
    '',
    `| | |`,
    `|---|---|`,
    `| Status | ${incident.status} |`,
    `| Severity | ${incident.severity} |`,
    `| Service | ${cell(incident.service)} (${cell(incident.environment)}) |`,
    `| Detected | ${incident.detectedAt} — ${cell(incident.detection)} |`,
    `| Opened | ${incident.openedAt} by ${cell(incident.openedBy)} |`,
    ...(incident.causedBy ? [`| Follows run | ${incident.causedBy} |`] : []),
    ...(incident.mitigatedAt ? [`| Mitigated | ${incident.mitigatedAt} |`] : []),
    ...(incident.resolvedAt ? [`| Resolved | ${incident.resolvedAt} |`] : []),
    '',
    '## Timeline',
    '',
    '| Time (UTC) | Step | What | Who |',
    '|---|---|---|---|',
    ...incident.timeline.map(
      (e) => `| ${e.at.slice(0, 19).replace('T', ' ')} | ${e.step} | ${cell(e.text)} | ${cell(e.by)} |`,
    ),
    '',
    '## Status updates',
    '',
    ...(incident.updates.length
      ? incident.updates.map((u) => `### ${u.at.slice(0, 19).replace('T', ' ')} by ${u.by}\n\n${u.text}\n`)
      : ['_None sent._', '']),
    '',
    incident.postmortem ?? postmortemDraft(incident),
  ].join('\n');
}
