/**
 * The report as Markdown (GitHub-flavoured): the same sections as the HTML,
 * with each chart as the sentence that sums it up. Text is escaped so that a
 * value can neither break a table (`|`, a newline) nor become markup.
 */
import { formatNumber } from './report-charts';
import { reportTime, timelineTime } from './report';
import { type Report } from './report-model';

/** Escape a text for Markdown: the characters that make markup get a backslash. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`);
}

/** A table cell: escaped, on one line (line breaks as <br>). */
export function markdownCell(text: string): string {
  return escapeMarkdown(text).replace(/\r?\n/g, '<br>');
}

/** A fenced code block whose fence no backtick run inside can close. */
function codeBlock(text: string, info = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${head.map(markdownCell).join(' | ')} |`,
    `|${head.map(() => ' --- ').join('|')}|`,
    ...rows.map((row) => `| ${row.map(markdownCell).join(' | ')} |`),
  ].join('\n');
}

/** The whole report as one Markdown document. */
export function reportMarkdown(report: Report): string {
  const m = escapeMarkdown;
  const s = report.summary;
  const out: string[] = [];
  out.push(`# Run report: ${m(report.title)}`, '');
  out.push(`**${m(s.outcome.toUpperCase())}:** ${m(s.headline)}`, '');
  out.push('Times are UTC.', '');

  out.push('## Summary', '');
  out.push(
    table(
      ['', ''],
      s.facts.map((f) => [f.label, f.value]),
    ),
    '',
  );
  out.push('### Hosts', '');
  out.push(
    table(
      ['Server', 'Before', 'This run', 'Port', 'Traffic on the new release at the end'],
      s.hosts.map((h) => [h.server, h.previous ?? 'none', h.next, String(h.port), h.switched ? 'yes' : 'no']),
    ),
    '',
  );
  out.push('### Phases', '');
  out.push(
    table(
      ['Phase', 'State', 'Started', 'Ended', 'Took'],
      s.phases.map((p) => [
        p.phase,
        p.state,
        p.startedAt ? timelineTime(report, p.startedAt) : '—',
        p.endedAt ? timelineTime(report, p.endedAt) : '—',
        p.duration ?? '—',
      ]),
    ),
    '',
  );
  if (s.problem) {
    out.push('### Problem', '');
    if (!s.problem.told) out.push(m(s.problem.message), '');
    if (s.problem.where) out.push(`Where: ${m(s.problem.where)}`, '');
    if (s.problem.hint) out.push(`Next: ${m(s.problem.hint)}`, '');
  }

  out.push('## Timeline', '');
  out.push(
    table(
      ['Time', 'What happened', 'By', 'Detail'],
      report.timeline.map((t) => [timelineTime(report, t.at), t.what, t.by ?? '', t.detail ?? '']),
    ),
    '',
  );

  out.push('## Checklist, gates and approvals', '');
  for (const section of report.checklist) {
    out.push(`### ${m(section.title)}`, '');
    out.push(
      table(
        ['State', 'Item', 'Kind', 'Evidence, note or reason', 'By', 'At'],
        section.items.map((i) => [
          i.state,
          `${i.text}${i.required ? '' : ' (optional)'}`,
          i.kind === 'auto' ? 'Shipdeck checks' : 'by hand',
          [i.evidence, i.note && `Note: ${i.note}`, i.reason && `Waived because: ${i.reason}`]
            .filter(Boolean)
            .join('\n'),
          i.by ?? '',
          i.at ? timelineTime(report, i.at) : '',
        ]),
      ),
      '',
    );
  }
  out.push('### Stop gates', '');
  out.push(
    report.gates.length
      ? table(
          ['Gate', 'Met at', 'Why', 'Resolution'],
          report.gates.map((g) => [g.title, timelineTime(report, g.at), g.detail, g.resolution]),
        )
      : 'The run met no stop gate.',
    '',
  );
  out.push('### Approvals', '');
  out.push(
    report.approvals.length
      ? table(
          ['Decision', 'By', 'At', 'Note'],
          report.approvals.map((a) => [
            a.decision === 'approve' ? 'approved' : 'rejected',
            a.by,
            timelineTime(report, a.at),
            a.note,
          ]),
        )
      : 'No approval was given or asked for.',
    '',
  );
  out.push('### Sign-off', '');
  out.push(
    report.signOff
      ? `Signed off by **${m(report.signOff.by)}** at ${m(reportTime(report.signOff.at, true))}${report.signOff.note ? `: ${m(report.signOff.note)}` : '.'}`
      : 'Not signed off.',
    '',
  );

  out.push('## Plan and commands', '');
  out.push(
    `${report.stepCount} steps, in the order they ran. Exit “—” marks a step that runs no process; secrets show as \\*\\*\\*.`,
    '',
  );
  for (const block of report.plan) {
    out.push(`### ${m(block.phase)}`, '');
    out.push(
      table(
        ['#', 'Host', 'Purpose', 'State', 'Exit', 'Took', 'Detail'],
        block.steps.map((st) => [String(st.n), st.host, st.purpose, st.state, st.exit, st.duration, st.detail ?? '']),
      ),
      '',
    );
    out.push(
      codeBlock(block.steps.map((st) => `# ${st.n} · ${st.host} · exit ${st.exit}\n${st.line}`).join('\n'), 'sh'),
      '',
    );
    for (const st of block.steps.filter((x) => x.outputTail))
      out.push(`Output of step ${st.n} (last lines):`, '', codeBlock(st.outputTail!), '');
  }

  const v = report.verification;
  if (v || report.charts.length) {
    out.push('## Verification: decision cards and metrics', '');
    if (v) {
      out.push(
        table(
          ['', ''],
          [
            ['Comparison', v.comparison],
            ['Samples', v.samples],
            ...(v.decision ? [['Decision', `${v.decision}${v.reason ? `: ${v.reason}` : ''}`]] : []),
            ...(v.acted ? [['What happened', v.acted]] : []),
          ],
        ),
        '',
      );
      out.push('### Decision cards', '');
      if (v.cards.length === 0) out.push('VERIFY reached no judgement.', '');
      for (const c of v.cards) {
        out.push(`#### ${m(c.metric)}: ${m(c.verdictLabel)}`, '', m(c.reason), '');
        const rows = [
          `- New: ${m(c.candidate)}`,
          ...(c.baseline ? [`- Baseline: ${m(c.baseline)}`] : []),
          ...(c.test
            ? [
                `- Test: ${m(c.test)}${c.pValue !== undefined ? `, p-value ${m(c.pValue < 0.0001 ? c.pValue.toExponential(1) : String(Number(c.pValue.toPrecision(2))))}` : ''}`,
              ]
            : []),
          ...(c.interval
            ? [
                `- Interval: ${Math.round(c.interval.level * 100)}%: ${m(formatNumber(c.interval.low))} to ${m(formatNumber(c.interval.high))} ${m(c.interval.unit)}`,
              ]
            : []),
          `- Threshold: ${m(c.threshold)}`,
          `- Action: ${m(c.action)}`,
          `- Samples: new ${c.samples.candidate} · baseline ${c.samples.baseline} · ${c.samples.needed} needed`,
        ];
        out.push(rows.join('\n'), '');
      }
    }
    out.push('### Metrics', '');
    out.push(
      report.charts.length
        ? report.charts.map((c) => `- **${m(c.title)}**: ${m(c.summary)}`).join('\n')
        : 'No samples were taken.',
      '',
    );
  }

  const r = report.rollback;
  if (r) {
    out.push('## Rollback', '');
    out.push(
      table(
        ['', ''],
        [
          ['Why', r.why],
          ['Decided by', r.decidedBy],
          ...(r.at ? [['Started', `${reportTime(r.at, true)}${r.took ? ` (took ${r.took})` : ''}`]] : []),
          ['Steps', r.steps.length ? r.steps.join(', ') : 'none'],
        ],
      ),
      '',
    );
    out.push(
      table(
        ['Server', 'From', 'Back to', 'Result'],
        r.hosts.map((h) => [h.server, h.from, h.to, h.result]),
      ),
      '',
    );
  }
  for (const incident of report.incidents) {
    out.push(`## Incident: ${m(incident.title)}`, '');
    out.push(
      `This run ${incident.relation === 'caused' ? 'is the release the incident follows' : 'rolled the service back for it'}.`,
      '',
    );
    out.push(
      table(
        ['', ''],
        [
          ['Severity', incident.severity],
          ['Status', incident.status],
          ['Detected', reportTime(incident.detectedAt, true)],
          ...(incident.mitigatedAt ? [['Mitigated', reportTime(incident.mitigatedAt, true)]] : []),
          ...(incident.resolvedAt ? [['Resolved', reportTime(incident.resolvedAt, true)]] : []),
        ],
      ),
      '',
    );
    out.push(
      table(
        ['Time', 'Step', 'Who', 'What'],
        incident.timeline.map((t) => [reportTime(t.at, true), t.step, t.by, t.text.split('\n')[0]!]),
      ),
      '',
    );
    out.push('### Postmortem', '', codeBlock(incident.postmortem, 'markdown'), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
