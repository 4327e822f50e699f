/**
 * The report's one stylesheet, the same for every run (what differs between
 * runs is in the HTML, never here), so that the app's Content-Security-Policy
 * can allow exactly this inline stylesheet by its hash: the Report view shows
 * the report in a sandboxed iframe, which inherits the app's policy.
 */
export const reportCss = `
@page { size: A4; margin: 14mm 14mm 16mm 14mm;
  @bottom-left { content: "Shipdeck run report"; font: 8pt system-ui, sans-serif; color: #6b7280; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; color: #6b7280; } }
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { background: #fff; }
body { margin: 0; color: #111827; font: 10pt/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media screen { body { padding: 18px 24px; max-width: 210mm; margin: 0 auto; } }
table.frame { width: 100%; border-collapse: collapse; }
table.frame > thead > tr > td, table.frame > tbody > tr > td { padding: 0; border: 0; }
.page-head { display: flex; justify-content: space-between; gap: 12px; border-bottom: 1px solid #9ca3af; padding-bottom: 2mm; margin-bottom: 5mm; font-size: 8.5pt; color: #4b5563; }
.page-head strong { color: #111827; }
h1 { font-size: 20pt; line-height: 1.2; margin: 0 0 2mm; }
h2 { font-size: 14pt; margin: 0 0 3mm; padding-bottom: 1mm; border-bottom: 2px solid #111827; break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; break-after: avoid; }
p { margin: 0 0 2mm; }
section + section { break-before: page; }
.lede { color: #4b5563; margin-bottom: 4mm; }
.outcome { border: 1px solid; border-left-width: 5px; border-radius: 3px; padding: 3mm 4mm; margin: 0 0 5mm; font-size: 11pt; break-inside: avoid; }
.outcome .word { display: block; font-size: 8pt; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; margin-bottom: 1mm; }
.tone-ok { border-color: #15803d; background: #f0fdf4; }
.tone-bad { border-color: #b91c1c; background: #fef2f2; }
.tone-warn { border-color: #b45309; background: #fffbeb; }
.tone-info { border-color: #1d4ed8; background: #eff6ff; }
table { border-collapse: collapse; width: 100%; margin: 0 0 4mm; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 2mm; border-bottom: 1px solid #e5e7eb; }
th { background: #f3f4f6; font-weight: 600; border-bottom: 1px solid #9ca3af; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
table.fixed { table-layout: fixed; }
.w-state { width: 15mm; } .w-kind { width: 22mm; } .w-by { width: 26mm; } .w-n { width: 9mm; } .w-host { width: 16mm; } .w-exit { width: 12mm; } .w-took { width: 16mm; } .w-time { width: 24mm; }
.outcome .problem { margin-top: 1.5mm; color: #374151; }
table.facts.pairs th { width: 17%; }
table.facts.pairs td { width: 33%; }
table.facts th { width: 32%; background: none; border-bottom: 1px solid #e5e7eb; font-weight: 600; color: #374151; }
code, pre { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 8pt; }
code.line { display: block; margin-top: 0.8mm; white-space: pre-wrap; overflow-wrap: anywhere; color: #1f2937; background: #f9fafb; border: 1px solid #e5e7eb; border-radius: 2px; padding: 0.8mm 1.2mm; }
pre.output { white-space: pre-wrap; overflow-wrap: anywhere; background: #111827; color: #f9fafb; padding: 2mm; border-radius: 2px; margin: 1mm 0 0; }
pre.postmortem { white-space: pre-wrap; overflow-wrap: anywhere; background: #f9fafb; border: 1px solid #e5e7eb; padding: 2mm; border-radius: 2px; }
.muted { color: #6b7280; }
.small { font-size: 8.5pt; }
.state { display: inline-block; padding: 0 1.5mm; border-radius: 2px; font-size: 8pt; font-weight: 600; white-space: nowrap; border: 1px solid #d1d5db; }
.state-ok, .state-done, .state-pass { color: #166534; background: #dcfce7; border-color: #86efac; }
.state-failed, .state-fail, .state-error { color: #991b1b; background: #fee2e2; border-color: #fca5a5; }
.state-waived, .state-inconclusive, .state-running, .state-pending { color: #92400e; background: #fef3c7; border-color: #fcd34d; }
.state-open, .state-skipped, .state-na { color: #374151; background: #f3f4f6; }
.phase-block { break-inside: auto; }
.cards { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm; margin-bottom: 4mm; }
.card { border: 1px solid #d1d5db; border-left-width: 4px; border-radius: 3px; padding: 2.5mm 3mm; break-inside: avoid; font-size: 9pt; }
.card h3 { margin: 0 0 1mm; display: flex; justify-content: space-between; gap: 2mm; font-size: 10pt; }
.card.verdict-fail, .card.verdict-error { border-left-color: #b91c1c; }
.card.verdict-inconclusive { border-left-color: #b45309; }
.card.verdict-pass { border-left-color: #15803d; }
.card dl { display: grid; grid-template-columns: auto 1fr; gap: 0.5mm 3mm; margin: 1.5mm 0 0; }
.card dt { color: #6b7280; }
.card dd { margin: 0; }
figure.chart { margin: 0 0 5mm; break-inside: avoid; }
figure.chart figcaption { font-weight: 600; margin-bottom: 1mm; }
figure.chart figcaption .muted { font-weight: 400; }
figure.chart svg { width: 100%; height: auto; display: block; }
.legend { display: flex; gap: 5mm; font-size: 8.5pt; margin-top: 1mm; }
.swatch { display: inline-block; width: 6mm; height: 2mm; vertical-align: middle; margin-right: 1.5mm; }
.swatch-baseline { background: #2563eb; }
.swatch-candidate { background: #ea580c; }
.empty { color: #6b7280; font-style: italic; }
`;

/** The CSP source that allows `reportCss` as an inline stylesheet: sha256 of its text (checked by a unit test). */
export const reportStyleSource = "'sha256-JBb71gNmPlml3KuqUhlZi7PVYqBiQpnlThg85iTH/tQ='";
