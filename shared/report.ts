/**
 * The run report: one model of a run, built from its record and samples, that
 * the Markdown, the HTML and (through the HTML) the PDF are all written from.
 * It reads only what the run recorded; secrets were redacted before that.
 */
import { postmortemDraft, type Incident } from './incident';
import { sectionTitles, sections } from './checklist';
import { gateTitles } from './gates';
import { phases, type Phase, type RunRecord, type RunStatus, type StepRecord } from './run';
import { reportCharts } from './report-charts';
import type {
  Report,
  ReportIncident,
  ReportRollback,
  ReportStep,
  ReportStepBlock,
  ReportSummary,
  ReportVerification,
  StatusChange,
  TimelineEntry,
} from './report-model';
import { judgedSamples } from './judge';
import type { RunSamples, VerdictState } from './verify';

const outcomeWords: Record<RunStatus, string> = {
  running: 'running',
  paused: 'paused',
  'awaiting-decision': 'awaiting a decision',
  confirmed: 'confirmed',
  'rolled-back': 'rolled back',
  failed: 'failed',
  interrupted: 'interrupted',
  unreadable: 'unreadable: its journal holds no run',
};

const verdictLabels: Record<VerdictState, string> = {
  pass: 'Pass',
  fail: 'Fail',
  inconclusive: 'Inconclusive',
  error: 'Error',
};
const verdictOrder: Record<VerdictState, number> = { fail: 0, error: 1, inconclusive: 2, pass: 3 };

/** Lines of a failed step's output kept in the report. */
const tailLines = 20;

/**
 * Build the report of a run from its record, its samples and (when the journal
 * has them) its status changes. The charts draw the samples the judgement
 * weighed, so a caption and its decision card quote the same baseline.
 */
export function runReport(
  record: RunRecord,
  samples: RunSamples,
  statuses: readonly StatusChange[] = [],
  incidents: readonly Incident[] = [],
): Report {
  const steps = record.steps.map(reportStep);
  const previous = [...new Set(record.hosts.map((h) => h.previous).filter((p): p is string => p !== undefined))];
  const rollback = rollbackOf(record, steps, previous);
  return {
    runId: record.id,
    service: record.service,
    version: record.version,
    environment: record.environment,
    title: `${record.service} ${record.version} → ${record.environment}`,
    startedAt: record.startedAt,
    summary: summaryOf(record, previous),
    timeline: timelineOf(record, statuses),
    checklist: sections
      .map((section) => ({
        section,
        title: sectionTitles[section],
        items: record.checklist.items.filter((i) => i.section === section),
      }))
      .filter((s) => s.items.length > 0),
    gates: record.gates.map((g) => ({
      title: gateTitles[g.gate],
      detail: g.detail,
      at: g.at,
      resolution: g.override
        ? `Overridden by ${g.override.by} at ${reportTime(g.override.at)}: ${g.override.reason}`
        : g.cleared
          ? `Cleared at ${reportTime(g.cleared.at)}: ${g.cleared.why}`
          : 'Open',
    })),
    approvals: record.approvals,
    ...(record.signOff ? { signOff: record.signOff } : {}),
    plan: blocksOf(steps),
    stepCount: steps.length,
    ...(record.verification ? { verification: verificationOf(record) } : {}),
    charts: reportCharts(judgedSamples(samples, record.verification?.comparison ?? 'concurrent'), {
      baseline: previous.length ? `baseline ${previous.join(', ')}` : 'baseline',
      candidate: `new ${record.version}`,
    }),
    ...(rollback ? { rollback } : {}),
    incidents: incidents.flatMap((incident): ReportIncident[] => {
      const relation =
        incident.causedBy === record.id
          ? 'caused'
          : incident.timeline.some((t) => t.runId === record.id && t.step === 'mitigate')
            ? 'mitigated'
            : undefined;
      if (!relation) return [];
      const { id, title, severity, status, detectedAt, mitigatedAt, resolvedAt } = incident;
      return [
        {
          id,
          title,
          severity,
          status,
          relation,
          detectedAt,
          ...(mitigatedAt ? { mitigatedAt } : {}),
          ...(resolvedAt ? { resolvedAt } : {}),
          timeline: incident.timeline.map(({ at, step, by, text }) => ({ at, step, by, text })),
          postmortem: incident.postmortem ?? postmortemDraft(incident),
        },
      ];
    }),
  };
}

function summaryOf(record: RunRecord, previous: readonly string[]): ReportSummary {
  const hostNames = record.hosts.map((h) => h.server).join(', ');
  const back = previous.length ? previous.join(', ') : 'the previous release';
  const failedPhase = record.phases.find((p) => p.state === 'failed')?.phase;
  const { headline, tone } = ((): { headline: string; tone: ReportSummary['tone'] } => {
    switch (record.status) {
      case 'confirmed':
        return { headline: `Confirmed: ${record.version} is live on ${hostNames}.`, tone: 'ok' };
      case 'rolled-back':
        return {
          headline: `Rolled back to ${back}${record.verification?.acted === 'rolled-back' ? ' by Shipdeck itself' : ''}${record.problem ? `: ${reasonOf(record.problem.message)}` : '.'}`,
          tone: 'bad',
        };
      case 'failed':
        return {
          headline: `Failed${failedPhase ? ` in ${failedPhase}` : ''}${record.problem ? `: ${record.problem.message}` : '.'}`,
          tone: 'bad',
        };
      case 'interrupted':
        return {
          headline: 'Interrupted: Shipdeck stopped while the run was under way, before a decision.',
          tone: 'warn',
        };
      default:
        return { headline: `Not ended: the run is ${outcomeWords[record.status]}.`, tone: 'info' };
    }
  })();
  const total = record.endedAt ? formatMs(Date.parse(record.endedAt) - Date.parse(record.startedAt)) : undefined;
  const change = record.change;
  const facts: { label: string; value: string }[] = [
    { label: 'Service', value: record.service },
    { label: 'Version', value: record.version },
    { label: 'Environment', value: record.environment },
    { label: 'Run', value: record.id },
    {
      label: 'Started by',
      value: record.startedBy && record.startedBy !== record.who ? `${record.startedBy} (${record.who})` : record.who,
    },
    { label: 'Started', value: reportTime(record.startedAt, true) },
    {
      label: 'Ended',
      value: record.endedAt ? `${reportTime(record.endedAt, true)}${total ? ` (${total})` : ''}` : 'not yet',
    },
    {
      label: 'Change class',
      value: `${record.discipline.class}${record.discipline.classified ? '' : ' (unclassified, treated as high)'}`,
    },
    {
      label: 'Discipline',
      value: [
        `${record.discipline.checklist} checklist`,
        record.discipline.approval ? 'a second person approves' : 'no approval needed',
        record.discipline.staging ? 'staging first' : 'no staging run needed',
      ].join('; '),
    },
    { label: 'Business impact', value: change.impact || 'not given' },
    { label: 'CI', value: change.ci || 'not given' },
    { label: 'Database change', value: change.database ? 'yes' : 'no' },
  ];
  if (record.promotedFrom)
    facts.push({
      label: 'Promoted from',
      value: `staging run ${record.promotedFrom.runId}, ended ${reportTime(record.promotedFrom.endedAt, true)} (${record.promotedFrom.who})`,
    });
  if (record.notes) facts.push({ label: 'Notes', value: record.notes });
  return {
    outcome: outcomeWords[record.status],
    headline,
    tone,
    facts,
    hosts: record.hosts,
    phases: phases
      .map((phase) => record.phases.find((p) => p.phase === phase))
      .filter((p): p is NonNullable<typeof p> => p !== undefined)
      .map((p) => ({
        phase: p.phase,
        state: p.state,
        ...(p.startedAt ? { startedAt: p.startedAt } : {}),
        ...(p.endedAt ? { endedAt: p.endedAt } : {}),
        ...(p.startedAt && p.endedAt ? { duration: formatMs(Date.parse(p.endedAt) - Date.parse(p.startedAt)) } : {}),
      })),
    ...(record.problem
      ? {
          problem: {
            message: record.problem.message,
            ...(record.problem.where ? { where: record.problem.where } : {}),
            ...(record.problem.hint ? { hint: record.problem.hint } : {}),
            told: headline.includes(reasonOf(record.problem.message)),
          },
        }
      : {}),
  };
}

/** Everything that happened to the run, in time order (ties keep the order things are listed in). */
function timelineOf(record: RunRecord, statuses: readonly StatusChange[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  out.push({
    at: record.startedAt,
    kind: 'run',
    what: `Run started: ${record.service} ${record.version} to ${record.environment}`,
    by: record.startedBy || record.who,
    ...(record.notes ? { detail: record.notes } : {}),
  });
  for (const p of record.phases) {
    if (p.startedAt) out.push({ at: p.startedAt, kind: 'phase', what: `${p.phase} started` });
    if (p.endedAt)
      out.push({ at: p.endedAt, kind: 'phase', what: `${p.phase} ${p.state === 'done' ? 'done' : p.state}` });
  }
  // The first status is the start itself.
  for (const [i, s] of statuses.entries()) {
    if (i === 0 && s.status === 'running') continue;
    out.push({
      at: s.at,
      kind: 'status',
      what: `Status: ${outcomeWords[s.status]}`,
      ...(s.message ? { detail: s.message } : {}),
    });
  }
  if (record.endedAt && !statuses.some((s) => s.status === record.status))
    out.push({
      at: record.endedAt,
      kind: 'status',
      what: `Status: ${outcomeWords[record.status]}`,
      ...(record.problem ? { detail: record.problem.message } : {}),
    });
  for (const item of record.checklist.items) {
    if (!item.at || item.state === 'open' || item.state === 'n/a') continue;
    const verb = item.state === 'done' ? 'Ticked' : item.state === 'waived' ? 'Waived' : 'Failed';
    const detail = [item.evidence, item.note, item.reason].filter((d): d is string => Boolean(d)).join('; ');
    out.push({
      at: item.at,
      kind: 'checklist',
      what: `${verb}: ${item.text}`,
      ...(item.by ? { by: item.by } : {}),
      ...(detail ? { detail } : {}),
    });
  }
  for (const g of record.gates) {
    out.push({ at: g.at, kind: 'gate', what: `Stop gate met: ${gateTitles[g.gate]}`, detail: g.detail });
    if (g.override)
      out.push({
        at: g.override.at,
        kind: 'gate',
        what: `Gate overridden: ${gateTitles[g.gate]}`,
        by: g.override.by,
        detail: g.override.reason,
      });
    if (g.cleared)
      out.push({ at: g.cleared.at, kind: 'gate', what: `Gate cleared: ${gateTitles[g.gate]}`, detail: g.cleared.why });
  }
  for (const a of record.approvals)
    out.push({
      at: a.at,
      kind: 'approval',
      what: a.decision === 'approve' ? 'Approved' : 'Rejected',
      by: a.by,
      ...(a.note ? { detail: a.note } : {}),
    });
  const judgement = record.verification?.judgement;
  if (judgement && record.verification?.state === 'decided')
    out.push({
      at: new Date(judgement.at).toISOString(),
      kind: 'verify',
      what: `VERIFY decided: ${judgement.decision}`,
      detail: judgement.reason,
    });
  if (record.signOff)
    out.push({
      at: record.signOff.at,
      kind: 'sign-off',
      what: 'Signed off',
      by: record.signOff.by,
      ...(record.signOff.note ? { detail: record.signOff.note } : {}),
    });
  return out
    .map((entry, i) => ({ entry, i, t: Date.parse(entry.at) }))
    .sort((a, b) => (a.t === b.t || Number.isNaN(a.t) || Number.isNaN(b.t) ? a.i - b.i : a.t - b.t))
    .map(({ entry }) => entry);
}

function reportStep(step: StepRecord, index: number): ReportStep {
  const output = step.state === 'failed' ? lastLines(step.output.map((o) => o.text).join(''), tailLines) : '';
  return {
    n: index + 1,
    id: step.id,
    phase: step.phase,
    host: step.host,
    purpose: step.purpose,
    line: step.line,
    state: step.state,
    exit: step.exitCode === undefined ? '—' : step.exitCode === null ? 'signal' : String(step.exitCode),
    duration: step.durationMs === undefined ? '—' : formatMs(step.durationMs),
    ...(step.detail ? { detail: step.detail } : {}),
    ...(output ? { outputTail: output } : {}),
  };
}

function blocksOf(steps: readonly ReportStep[]): ReportStepBlock[] {
  const blocks: { phase: Phase; steps: ReportStep[] }[] = [];
  for (const step of steps) {
    const last = blocks[blocks.length - 1];
    if (last && last.phase === step.phase) last.steps.push(step);
    else blocks.push({ phase: step.phase, steps: [step] });
  }
  return blocks;
}

function verificationOf(record: RunRecord): ReportVerification {
  const v = record.verification!;
  const judgement = v.judgement;
  const cards = [...(judgement?.cards ?? [])]
    .map((card, i) => ({ card, i }))
    .sort((a, b) => verdictOrder[a.card.verdict] - verdictOrder[b.card.verdict] || a.i - b.i)
    .map(({ card }) => ({ ...card, verdictLabel: verdictLabels[card.verdict] }));
  const acted =
    v.acted === 'rolled-back'
      ? 'Shipdeck rolled back by itself'
      : v.acted === 'confirmed'
        ? 'Shipdeck confirmed by itself'
        : v.acted === 'asked'
          ? 'Shipdeck asked a person to decide'
          : undefined;
  return {
    comparison:
      v.comparison === 'concurrent'
        ? 'Baseline compared side by side (old and new at the same time)'
        : 'Baseline measured before the release (before/after: the weaker comparison)',
    ...(judgement ? { decision: judgement.decision, reason: judgement.reason } : {}),
    ...(acted ? { acted } : {}),
    samples: `${v.baselineSamples} baseline and ${v.candidateSamples} new samples, ${v.needed} needed of each`,
    cards,
  };
}

function rollbackOf(
  record: RunRecord,
  steps: readonly ReportStep[],
  previous: readonly string[],
): ReportRollback | undefined {
  const phase = record.phases.find((p) => p.phase === 'ROLLBACK');
  if (record.status !== 'rolled-back' && !phase) return undefined;
  const rollbackSteps = steps.filter((s) => s.phase === 'ROLLBACK');
  const message = record.problem?.message ?? '';
  const decidedBy =
    record.verification?.acted === 'rolled-back'
      ? "Shipdeck, by itself: VERIFY's rules said roll back"
      : /^Aborted:/.test(message)
        ? 'A person, who stopped the run while it worked'
        : /^Rolled back:/.test(message)
          ? 'A person, with Rollback'
          : 'Shipdeck, after a step failed';
  return {
    why: message ? reasonOf(message) : 'No reason was recorded',
    decidedBy,
    ...(phase?.startedAt ? { at: phase.startedAt } : {}),
    ...(phase?.startedAt && phase.endedAt
      ? { took: formatMs(Date.parse(phase.endedAt) - Date.parse(phase.startedAt)) }
      : {}),
    hosts: record.hosts.map((h) => {
      const own = rollbackSteps.filter((s) => s.host === h.server);
      const failed = own.find((s) => s.state === 'failed');
      const to = h.previous ?? (previous.length ? previous.join(', ') : 'none');
      const result = failed
        ? `Not back: step ${failed.n} (${failed.purpose}) failed`
        : own.length === 0
          ? 'Nothing to undo: traffic never moved to the new release'
          : own.every((s) => s.state === 'ok' || s.state === 'skipped')
            ? `Back on ${to}`
            : 'Rollback not finished';
      return { server: h.server, from: h.next, to, result };
    }),
    steps: rollbackSteps.map((s) => s.n),
  };
}

/** A person's reason is recorded as "Rolled back: <reason>", Shipdeck's as "Rolled back by Shipdeck: <reason>". */
function reasonOf(message: string): string {
  return message.replace(/^Rolled back( by Shipdeck)?:\s*/, '');
}

function lastLines(text: string, n: number): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.slice(-n).join('\n');
}

/** A duration as people read it: 13 ms, 2.1 s, 1 min 05 s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return minutes < 60
    ? `${minutes} min ${String(seconds).padStart(2, '0')} s`
    : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A timeline time: the clock, with the date too when it is another day than the run's start. */
export function timelineTime(report: Pick<Report, 'startedAt'>, iso: string): string {
  return reportTime(iso, iso.slice(0, 10) !== report.startedAt.slice(0, 10));
}

/** A time in UTC, to the millisecond: `2025-06-02 10:14:03.120 UTC`, or only the clock when `withDate` is false. */
export function reportTime(iso: string, withDate = false): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = new Date(t).toISOString();
  return withDate ? `${s.slice(0, 10)} ${s.slice(11, 23)} UTC` : s.slice(11, 23);
}
