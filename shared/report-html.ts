/**
 * The report as one self-contained HTML document: inline CSS for print (A4,
 * a page header on every page, a section per page), inline SVG charts, no
 * script and nothing fetched. Every value from the run is escaped. The PDF
 * is this document printed, and the Report view shows this same document.
 */
import type { ChartAxis, ReportChart } from './report-charts';
import { formatNumber } from './report-charts';
import { reportCss, reportStyleSource } from './report-style';
import { reportTime, timelineTime } from './report';
import { type Report, type ReportStep } from './report-model';

/** Escape a text for HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

const e = escapeHtml;

/** Nothing may load and nothing may run, whoever opens the file; the one stylesheet is allowed by its hash. */
const documentPolicy = `default-src 'none'; style-src ${reportStyleSource}; img-src data:; base-uri 'none'; form-action 'none'`;

/** The whole document. */
export function reportHtml(report: Report): string {
  const head = `<header class="page-head"><span><strong>${e(report.service)} ${e(report.version)}</strong> → ${e(report.environment)} · ${e(report.summary.outcome)}</span><span>Run ${e(report.runId)}</span></header>`;
  const body = [
    summarySection(report),
    timelineSection(report),
    checklistSection(report),
    planSection(report),
    verificationSection(report),
    rollbackSection(report),
    ...report.incidents.map(incidentSection),
  ]
    .filter(Boolean)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(documentPolicy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Run report: ${e(report.title)}</title>
<style>${reportCss}</style>
</head>
<body>
<table class="frame"><thead><tr><td>${head}</td></tr></thead><tbody><tr><td>
<main>
${body}
</main>
</td></tr></tbody></table>
</body>
</html>
`;
}

function stateBadge(state: string): string {
  return `<span class="state state-${e(state.replace(/[^a-z-]/g, '') || 'na')}">${e(state)}</span>`;
}

function summarySection(report: Report): string {
  const s = report.summary;
  // Two facts a row, so the summary and the outcome fit the first page.
  const pairs: string[] = [];
  for (let i = 0; i < s.facts.length; i += 2)
    pairs.push(
      s.facts
        .slice(i, i + 2)
        .map((f) => `<th scope="row">${e(f.label)}</th><td>${e(f.value)}</td>`)
        .join(''),
    );
  const facts = pairs.map((row) => `<tr>${row}</tr>`).join('');
  const hosts = s.hosts
    .map(
      (h) =>
        `<tr><td><strong>${e(h.server)}</strong></td><td>${h.previous ? e(h.previous) : '<span class="muted">none</span>'}</td><td><strong>${e(h.next)}</strong></td><td class="num">${h.port}</td><td>${h.switched ? 'yes' : 'no'}</td></tr>`,
    )
    .join('');
  const phases = s.phases
    .map(
      (p) =>
        `<tr><td><strong>${e(p.phase)}</strong></td><td>${stateBadge(p.state)}</td><td class="nowrap">${p.startedAt ? e(timelineTime(report, p.startedAt)) : '—'}</td><td class="nowrap">${p.endedAt ? e(timelineTime(report, p.endedAt)) : '—'}</td><td class="num">${e(p.duration ?? '—')}</td></tr>`,
    )
    .join('');
  const problem = s.problem
    ? `<div class="problem small">${s.problem.told ? '' : `<div>${e(s.problem.message)}</div>`}${s.problem.where ? `<div>Where: <code>${e(s.problem.where)}</code></div>` : ''}${s.problem.hint ? `<div>Next: ${e(s.problem.hint)}</div>` : ''}</div>`
    : '';
  return `<section id="summary" aria-label="Summary">
<h1>Run report: ${e(report.title)}</h1>
<p class="lede">Everything Shipdeck recorded about this run: its outcome, timeline, checklist, commands, verification and rollback. Times are UTC.</p>
<div class="outcome tone-${s.tone}"><span class="word">${e(s.outcome)}</span>${e(s.headline)}${problem}</div>
<h2>Summary</h2>
<table class="facts pairs"><tbody>${facts}</tbody></table>
<h3>Hosts</h3>
<table><thead><tr><th>Server</th><th>Before</th><th>This run</th><th class="num">Port</th><th>Traffic on the new release at the end</th></tr></thead><tbody>${hosts || '<tr><td colspan="5" class="empty">No hosts</td></tr>'}</tbody></table>
<h3>Phases</h3>
<table><thead><tr><th>Phase</th><th>State</th><th>Started</th><th>Ended</th><th class="num">Took</th></tr></thead><tbody>${phases || '<tr><td colspan="5" class="empty">No phase started</td></tr>'}</tbody></table>
</section>`;
}

function timelineSection(report: Report): string {
  const rows = report.timeline
    .map(
      (t) =>
        `<tr><td class="nowrap num">${e(timelineTime(report, t.at))}</td><td>${e(t.what)}${t.detail ? `<div class="small muted">${e(t.detail)}</div>` : ''}</td><td>${t.by ? e(t.by) : ''}</td></tr>`,
    )
    .join('');
  return `<section id="timeline" aria-label="Timeline">
<h2>Timeline</h2>
<p class="muted small">Phases, status changes, checklist ticks, stop gates and their overrides, approvals, VERIFY's decision and the sign-off, in time order (UTC, from ${e(reportTime(report.startedAt, true))}).</p>
<table class="fixed"><thead><tr><th class="num w-time">Time</th><th>What happened</th><th class="w-by">By</th></tr></thead><tbody>${rows}</tbody></table>
</section>`;
}

function checklistSection(report: Report): string {
  const sections = report.checklist
    .map((section) => {
      const rows = section.items
        .map((i) => {
          const notes = [
            i.evidence && `Evidence: ${i.evidence}`,
            i.note && `Note: ${i.note}`,
            i.reason && `Waived because: ${i.reason}`,
          ].filter((n): n is string => Boolean(n));
          return `<tr><td>${stateBadge(i.state)}</td><td>${e(i.text)}${i.required ? '' : ' <span class="muted small">(optional)</span>'}${notes.map((n) => `<div class="small muted">${e(n)}</div>`).join('')}</td><td class="small">${e(i.kind === 'auto' ? 'Shipdeck checks' : 'by hand')}</td><td class="small">${i.by ? e(i.by) : ''}${i.at ? `<div class="muted">${e(timelineTime(report, i.at))}</div>` : ''}</td></tr>`;
        })
        .join('');
      return `<h3>${e(section.title)}</h3><table class="fixed"><thead><tr><th class="w-state">State</th><th>Item</th><th class="w-kind">Kind</th><th class="w-by">By, at</th></tr></thead><tbody>${rows}</tbody></table>`;
    })
    .join('');
  const gates = report.gates.length
    ? `<h3>Stop gates</h3><table><thead><tr><th>Gate</th><th>Met at</th><th>Why</th><th>Resolution</th></tr></thead><tbody>${report.gates.map((g) => `<tr><td><strong>${e(g.title)}</strong></td><td class="nowrap">${e(timelineTime(report, g.at))}</td><td>${e(g.detail)}</td><td>${e(g.resolution)}</td></tr>`).join('')}</tbody></table>`
    : '<h3>Stop gates</h3><p class="empty">The run met no stop gate.</p>';
  const approvals = report.approvals.length
    ? `<h3>Approvals</h3><table><thead><tr><th>Decision</th><th>By</th><th>At</th><th>Note</th></tr></thead><tbody>${report.approvals.map((a) => `<tr><td>${stateBadge(a.decision === 'approve' ? 'approved' : 'rejected')}</td><td>${e(a.by)}</td><td class="nowrap">${e(timelineTime(report, a.at))}</td><td>${e(a.note)}</td></tr>`).join('')}</tbody></table>`
    : '<h3>Approvals</h3><p class="empty">No approval was given or asked for.</p>';
  const signOff = report.signOff
    ? `<h3>Sign-off</h3><p>Signed off by <strong>${e(report.signOff.by)}</strong> at ${e(reportTime(report.signOff.at, true))}${report.signOff.note ? `: ${e(report.signOff.note)}` : '.'}</p>`
    : '<h3>Sign-off</h3><p class="empty">Not signed off.</p>';
  return `<section id="checklist" aria-label="Checklist">
<h2>Checklist, gates and approvals</h2>
${sections || '<p class="empty">This run had no checklist.</p>'}
${gates}
${approvals}
${signOff}
</section>`;
}

function stepRow(step: ReportStep): string {
  const more = [
    step.detail && `<div class="small muted">${e(step.detail)}</div>`,
    step.outputTail && `<pre class="output">${e(step.outputTail)}</pre>`,
  ]
    .filter(Boolean)
    .join('');
  return `<tr><td class="num">${step.n}</td><td class="nowrap">${e(step.host)}</td><td>${e(step.purpose)}<code class="line">${e(step.line)}</code>${more}</td><td>${stateBadge(step.state)}</td><td class="num">${e(step.exit)}</td><td class="num">${e(step.duration)}</td></tr>`;
}

function planSection(report: Report): string {
  const blocks = report.plan
    .map(
      (block) =>
        `<div class="phase-block"><h3>${e(block.phase)}</h3><table class="fixed"><thead><tr><th class="num w-n">#</th><th class="w-host">Host</th><th>Purpose and exact command</th><th class="w-state">State</th><th class="num w-exit">Exit</th><th class="num w-took">Took</th></tr></thead><tbody>${block.steps.map(stepRow).join('')}</tbody></table></div>`,
    )
    .join('');
  return `<section id="plan" aria-label="Plan and commands">
<h2>Plan and commands</h2>
<p class="muted small">${report.stepCount} steps, in the order they ran, each with the exact command line (or check, or write) as previewed and run. Exit “—” marks a step that runs no process; secrets show as ***.</p>
${blocks || '<p class="empty">The run ran no step.</p>'}
</section>`;
}

function verificationSection(report: Report): string {
  const v = report.verification;
  if (!v && report.charts.length === 0) return '';
  const cards = (v?.cards ?? [])
    .map((c) => {
      const rows: [string, string][] = [
        ['New', c.candidate],
        ...(c.baseline ? ([['Baseline', c.baseline]] as [string, string][]) : []),
        ...(c.test
          ? ([['Test', `${c.test}${c.pValue !== undefined ? `, p-value ${formatP(c.pValue)}` : ''}`]] as [
              string,
              string,
            ][])
          : []),
        ...(c.interval
          ? ([
              [
                'Interval',
                `${Math.round(c.interval.level * 100)}%: ${formatNumber(c.interval.low)} to ${formatNumber(c.interval.high)} ${c.interval.unit}`,
              ],
            ] as [string, string][])
          : []),
        ['Threshold', c.threshold],
        ['Action', c.action],
        ['Samples', `new ${c.samples.candidate} · baseline ${c.samples.baseline} · ${c.samples.needed} needed`],
      ];
      return `<div class="card verdict-${e(c.verdict)}"><h3><span>${e(c.metric)}</span>${stateBadge(c.verdictLabel.toLowerCase())}</h3><p>${e(c.reason)}</p><dl>${rows.map(([k, value]) => `<dt>${e(k)}</dt><dd>${e(value)}</dd>`).join('')}</dl></div>`;
    })
    .join('');
  const decision = v
    ? `<table class="facts"><tbody><tr><th scope="row">Comparison</th><td>${e(v.comparison)}</td></tr><tr><th scope="row">Samples</th><td>${e(v.samples)}</td></tr>${v.decision ? `<tr><th scope="row">Decision</th><td><strong>${e(v.decision)}</strong>${v.reason ? `: ${e(v.reason)}` : ''}</td></tr>` : ''}${v.acted ? `<tr><th scope="row">What happened</th><td>${e(v.acted)}</td></tr>` : ''}</tbody></table>`
    : '';
  return `<section id="verification" aria-label="Verification">
<h2>Verification: decision cards and metrics</h2>
${decision}
<h3>Decision cards</h3>
${cards ? `<div class="cards">${cards}</div>` : '<p class="empty">VERIFY reached no judgement.</p>'}
<h3>Metrics</h3>
${report.charts.map(chartFigure).join('\n') || '<p class="empty">No samples were taken.</p>'}
</section>`;
}

function formatP(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : String(Number(p.toPrecision(2)));
}

function rollbackSection(report: Report): string {
  const r = report.rollback;
  if (!r) return '';
  const hosts = r.hosts
    .map(
      (h) =>
        `<tr><td><strong>${e(h.server)}</strong></td><td>${e(h.from)}</td><td><strong>${e(h.to)}</strong></td><td>${e(h.result)}</td></tr>`,
    )
    .join('');
  return `<section id="rollback" aria-label="Rollback">
<h2>Rollback</h2>
<table class="facts"><tbody>
<tr><th scope="row">Why</th><td>${e(r.why)}</td></tr>
<tr><th scope="row">Decided by</th><td>${e(r.decidedBy)}</td></tr>
${r.at ? `<tr><th scope="row">Started</th><td>${e(reportTime(r.at, true))}${r.took ? ` (took ${e(r.took)})` : ''}</td></tr>` : ''}
<tr><th scope="row">Steps</th><td>${r.steps.length ? `${r.steps.length} (numbers ${e(ranges(r.steps))} under Plan and commands)` : 'none'}</td></tr>
</tbody></table>
<h3>Hosts</h3>
<table><thead><tr><th>Server</th><th>From</th><th>Back to</th><th>Result</th></tr></thead><tbody>${hosts}</tbody></table>
</section>`;
}

function incidentSection(incident: Report['incidents'][number]): string {
  const rows = incident.timeline
    .map(
      (t) =>
        `<tr><td class="num">${e(reportTime(t.at, true))}</td><td>${e(t.step)}</td><td>${e(t.by)}</td><td>${e(t.text.split('\n')[0]!)}</td></tr>`,
    )
    .join('');
  const when = [
    ['Detected', incident.detectedAt],
    ['Mitigated', incident.mitigatedAt],
    ['Resolved', incident.resolvedAt],
  ].filter((w): w is [string, string] => w[1] !== undefined);
  return `<section class="incident" aria-label="Incident ${e(incident.title)}">
<h2>Incident: ${e(incident.title)}</h2>
<p>This run ${incident.relation === 'caused' ? 'is the release the incident follows' : 'rolled the service back for it'}.</p>
<table class="facts"><tbody>
<tr><th scope="row">Severity</th><td>${e(incident.severity)}</td></tr>
<tr><th scope="row">Status</th><td>${e(incident.status)}</td></tr>
${when.map(([label, at]) => `<tr><th scope="row">${label}</th><td>${e(reportTime(at, true))}</td></tr>`).join('\n')}
</tbody></table>
<h3>Timeline</h3>
<table><thead><tr><th>Time</th><th>Step</th><th>Who</th><th>What</th></tr></thead><tbody>${rows}</tbody></table>
<h3>Postmortem</h3>
<pre class="postmortem">${e(incident.postmortem)}</pre>
</section>`;
}

/** 23, 24, 25, 30 → "23–25, 30". */
function ranges(ns: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ns.length;) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
    out.push(j > i ? `${ns[i]}–${ns[j]}` : String(ns[i]));
    i = j + 1;
  }
  return out.join(', ');
}

const colors = { baseline: '#2563eb', candidate: '#ea580c' } as const;
const size = { width: 680, height: 190, left: 58, right: 14, top: 10, bottom: 38 };

/** One chart as a figure: its title, an inline SVG and a legend. */
function chartFigure(chart: ReportChart): string {
  const { width, height, left, right, top, bottom } = size;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const sx = scale(chart.x, left, left + plotW);
  const sy = scale(chart.y, top + plotH, top);
  const xTicks = ticks(chart.x);
  const yTicks = ticks(chart.y);
  const grid = [
    ...yTicks.map(
      (t) =>
        `<line x1="${left}" x2="${left + plotW}" y1="${r(sy(t))}" y2="${r(sy(t))}" stroke="#e5e7eb" stroke-width="1"/><text x="${left - 6}" y="${r(sy(t) + 3.5)}" text-anchor="end" font-size="10" fill="#4b5563">${e(tickText(t, chart.y))}</text>`,
    ),
    ...xTicks.map(
      (t) =>
        `<line x1="${r(sx(t))}" x2="${r(sx(t))}" y1="${top + plotH}" y2="${top + plotH + 4}" stroke="#6b7280" stroke-width="1"/><text x="${r(sx(t))}" y="${top + plotH + 15}" text-anchor="middle" font-size="10" fill="#4b5563">${e(tickText(t, chart.x))}</text>`,
    ),
  ].join('');
  const axes = `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#6b7280" stroke-width="1"/><line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#6b7280" stroke-width="1"/>`;
  const labels = `<text x="${left + plotW / 2}" y="${height - 4}" text-anchor="middle" font-size="10" fill="#374151">${e(chart.x.label)}</text><text x="12" y="${top + plotH / 2}" text-anchor="middle" font-size="10" fill="#374151" transform="rotate(-90 12 ${top + plotH / 2})">${e(chart.y.label)}</text>`;
  const lines = chart.series
    .map((series) => {
      const pts = series.points.map((p) => [r(sx(clampTo(p.x, chart.x))), r(sy(clampTo(p.y, chart.y)))] as const);
      if (pts.length === 0) return '';
      const color = colors[series.role];
      const path =
        chart.kind === 'ecdf'
          ? `M${pts[0]![0]},${r(sy(0))} ` + pts.map(([x, y], i) => (i === 0 ? `L${x},${y}` : `H${x} V${y}`)).join(' ')
          : 'M' + pts.map(([x, y]) => `${x},${y}`).join(' L');
      const dots =
        chart.kind === 'time' && pts.length <= 40
          ? pts.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="2.2" fill="${color}"/>`).join('')
          : '';
      return `<path d="${path}" fill="none" stroke="${color}" stroke-width="1.8" stroke-linejoin="round"/>${dots}`;
    })
    .join('');
  const label = `${chart.title}: ${chart.summary}`;
  const legend = chart.series
    .map((s) => `<span><span class="swatch swatch-${s.role}"></span>${e(s.label)}</span>`)
    .join('');
  return `<figure class="chart" id="chart-${chart.id}">
<figcaption>${e(chart.title)} <span class="muted small">— ${e(chart.summary)}</span></figcaption>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${e(label)}"><title>${e(label)}</title>${grid}${axes}${lines}${labels}</svg>
<div class="legend">${legend}</div>
</figure>`;
}

function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function clampTo(v: number, axis: ChartAxis): number {
  return Math.min(axis.max, Math.max(axis.min, v));
}

function scale(axis: ChartAxis, from: number, to: number): (v: number) => number {
  if (axis.log) {
    const lo = Math.log10(axis.min);
    const span = Math.log10(axis.max) - lo || 1;
    return (v) => from + ((Math.log10(Math.max(v, axis.min)) - lo) / span) * (to - from);
  }
  const span = axis.max - axis.min || 1;
  return (v) => from + ((v - axis.min) / span) * (to - from);
}

/** About five round ticks on a linear axis; 1, 2 and 5 times powers of ten on a log one. */
function ticks(axis: ChartAxis): number[] {
  if (axis.log) {
    const out: number[] = [];
    const wide = Math.log10(axis.max / axis.min) > 3;
    for (let p = Math.floor(Math.log10(axis.min)); p <= Math.ceil(Math.log10(axis.max)); p++) {
      for (const m of wide ? [1] : [1, 2, 5]) {
        const v = Number((m * 10 ** p).toPrecision(3));
        if (v >= axis.min * 0.999 && v <= axis.max * 1.001) out.push(v);
      }
    }
    return out;
  }
  const raw = (axis.max - axis.min) / 5;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = axis.min; v <= axis.max + step * 1e-9; v += step) out.push(Number(v.toPrecision(6)));
  return out;
}

function tickText(v: number, axis: ChartAxis): string {
  if (axis.share) return `${Math.round(v * 100)}%`;
  return formatNumber(v);
}
