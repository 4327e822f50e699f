import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResponseOf } from '../../../shared/contract';
import { ProblemError } from '../../../shared/problem';
import { runReport } from '../../../shared/report';
import { type StatusChange } from '../../../shared/report-model';
import { reportHtml } from '../../../shared/report-html';
import { reportMarkdown } from '../../../shared/report-markdown';
import type { Incident } from '../../../shared/incident';
import type { RunRecord } from '../../../shared/run';
import type { RunSamples } from '../../../shared/verify';
import type { Redaction } from '../../../shared/redaction';

/** Turns the report's HTML into a PDF: headless Chromium in the browser host, printToPDF in Electron. */
export type ReportPrinter = (html: string) => Promise<Buffer>;

export type ReportFormat = 'markdown' | 'html' | 'pdf';

/**
 * A run's report as a file to download: Markdown and HTML as text, the PDF
 * (the HTML printed) as base64, all made from the redacted report. Without a printer, a PDF is refused plainly.
 */
export async function reportFile(input: {
  readonly redaction: Redaction;
  readonly record: RunRecord;
  readonly samples: RunSamples;
  readonly statuses: readonly StatusChange[];
  readonly format: ReportFormat;
  readonly printer?: ReportPrinter;
  readonly incidents?: readonly Incident[];
}): Promise<ResponseOf<'exportRunReport'>> {
  const { record, format } = input;
  // The model is redacted whole, so the Markdown, the HTML and the PDF printed from it hold no secret (a journal written before secrets were set included).
  const report = input.redaction.value(runReport(record, input.samples, input.statuses, input.incidents));
  const base = reportFileName(record);
  if (format === 'markdown')
    return { fileName: `${base}.md`, mimeType: 'text/markdown;charset=utf-8', text: reportMarkdown(report) };
  const html = reportHtml(report);
  if (format === 'html') return { fileName: `${base}.html`, mimeType: 'text/html;charset=utf-8', text: html };
  if (!input.printer) {
    throw new ProblemError({
      code: 'not-found',
      message: 'A PDF of the report needs a printer, and this engine has none',
      where: 'exportRunReport',
      hint: 'Export the report as Markdown or HTML, or export the PDF from the desktop app or `shipdeck serve`, which print it with Chromium.',
    });
  }
  const pdf = await input.printer(html);
  return { fileName: `${base}.pdf`, mimeType: 'application/pdf', base64: pdf.toString('base64') };
}

/** `shipdeck-report-web-v2-staging-2025-06-02T1014`: what it is, and when the run started. */
export function reportFileName(record: Pick<RunRecord, 'service' | 'version' | 'environment' | 'startedAt'>): string {
  const safe = (text: string) =>
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/-{2,}/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '') || 'run';
  const started = record.startedAt.slice(0, 16).replace(/:/g, '');
  return `shipdeck-report-${safe(record.service)}-${safe(record.version)}-${safe(record.environment)}-${safe(started)}`;
}

/**
 * Every status change a run's journal holds, with its time (the record keeps
 * only the latest). Reads the journal's `status` lines and nothing else.
 */
export function statusHistory(dataDir: string, runId: string): StatusChange[] {
  const file = join(dataDir, 'runs', `${runId}.ndjson`);
  if (!existsSync(file)) return [];
  const out: StatusChange[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('"type":"status"')) continue;
    try {
      const event = JSON.parse(line) as {
        type?: string;
        status?: StatusChange['status'];
        at?: string;
        problem?: { message?: string };
      };
      if (event.type !== 'status' || !event.status || !event.at) continue;
      out.push({
        at: event.at,
        status: event.status,
        ...(event.problem?.message ? { message: event.problem.message } : {}),
      });
    } catch {
      // A torn last line (a crash mid-write) is not a status.
    }
  }
  return out;
}
