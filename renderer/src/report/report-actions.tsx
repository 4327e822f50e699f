import { useState } from 'react';
import type { RunRecord } from '../../../shared/run';
import { ProblemNotice } from '../common/problem-notice';
import { exportReport, type ReportExport } from './report-export';
import { ReportView } from './report-view';

/** The run view's report buttons: see the report as it prints, or export it as Markdown or PDF. */
export function ReportActions({ record }: { record: RunRecord }) {
  const [state, setState] = useState<ReportExport | null>(null);
  const [viewing, setViewing] = useState(false);
  const busy = state?.pending === true;
  return (
    <>
      <span className="report-actions" role="group" aria-label="Run report">
        <button onClick={() => setViewing(true)} title="The report as the PDF prints it">
          Report
        </button>
        <button
          onClick={() => void exportReport(record.id, 'markdown', setState)}
          disabled={busy}
          title="Save the report as Markdown"
        >
          {busy && state.format === 'markdown' ? 'Exporting…' : 'Export Markdown'}
        </button>
        <button
          onClick={() => void exportReport(record.id, 'pdf', setState)}
          disabled={busy}
          title="Save the report as a PDF"
        >
          {busy && state.format === 'pdf' ? 'Rendering PDF…' : 'Export PDF'}
        </button>
      </span>
      {busy && state.format === 'pdf' && (
        <span className="muted small" role="status">
          Rendering the PDF…
        </span>
      )}
      {state?.problem && (
        <div className="report-problem">
          <ProblemNotice
            problem={state.problem}
            title={state.format === 'pdf' ? 'The PDF was not made' : 'The report was not exported'}
          />
        </div>
      )}
      {viewing && <ReportView record={record} onClose={() => setViewing(false)} />}
    </>
  );
}
