import { useState } from 'react';
import type { ResponseOf } from '../../../shared/contract';
import { type Problem, problemOf } from '../../../shared/problem';
import type { RunRecord } from '../../../shared/run';
import { api } from '../api';
import { ProblemNotice } from './problem-notice';
import { ReportView } from './report-view';

type Exported = ResponseOf<'exportRunReport'>;

/** Save an exported report the way the browser saves any download: through a Blob and a link. */
export function saveReport(file: Exported): void {
  const bytes = file.base64 !== undefined ? Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0)) : file.text ?? '';
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** An export under way or refused; the format says which button it belongs to. */
export interface ReportExport {
  readonly format: 'markdown' | 'pdf';
  readonly pending: boolean;
  readonly problem?: Problem;
}

/** Export the run's report as a file; resolves with how it went. */
export async function exportReport(runId: string, format: 'markdown' | 'pdf', onChange: (state: ReportExport) => void): Promise<void> {
  onChange({ format, pending: true });
  try {
    saveReport(await api.exportRunReport({ runId, format }));
    onChange({ format, pending: false });
  } catch (error) {
    onChange({ format, pending: false, problem: problemOf(error) });
  }
}

/** The run view's report buttons: see the report as it prints, or export it as Markdown or PDF. */
export function ReportActions({ record }: { record: RunRecord }) {
  const [state, setState] = useState<ReportExport | null>(null);
  const [viewing, setViewing] = useState(false);
  const busy = state?.pending === true;
  return (
    <>
      <span className="report-actions" role="group" aria-label="Run report">
        <button onClick={() => setViewing(true)} title="The report as the PDF prints it">Report</button>
        <button onClick={() => void exportReport(record.id, 'markdown', setState)} disabled={busy} title="Save the report as Markdown">
          {busy && state.format === 'markdown' ? 'Exporting…' : 'Export Markdown'}
        </button>
        <button onClick={() => void exportReport(record.id, 'pdf', setState)} disabled={busy} title="Save the report as a PDF">
          {busy && state.format === 'pdf' ? 'Rendering PDF…' : 'Export PDF'}
        </button>
      </span>
      {busy && state.format === 'pdf' && <span className="muted small" role="status">Rendering the PDF…</span>}
      {state?.problem && (
        <div className="report-problem">
          <ProblemNotice problem={state.problem} title={state.format === 'pdf' ? 'The PDF was not made' : 'The report was not exported'} />
        </div>
      )}
      {viewing && <ReportView record={record} onClose={() => setViewing(false)} />}
    </>
  );
}
