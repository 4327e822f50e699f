import { useEffect, useState } from 'react';
import { type Problem, problemOf } from '../../../shared/problem';
import type { RunRecord } from '../../../shared/run';
import { api } from '../api';
import { Dialog } from '../common/dialog';
import { ProblemNotice } from '../common/problem-notice';
import { exportReport, type ReportExport } from './report-export';

/**
 * The report exactly as the PDF prints it: the engine's HTML in a sandboxed
 * iframe (no script, its own opaque origin), with the two exports beside it.
 */
export function ReportView({ record, onClose }: { record: RunRecord; onClose: () => void }) {
  const [html, setHtml] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [state, setState] = useState<ReportExport | null>(null);
  // Read again when the run moves on (a status, a tick), so the view is never older than the run.
  const version = `${record.status}|${record.endedAt ?? ''}|${record.signOff?.at ?? ''}|${record.steps.length}`;

  useEffect(() => {
    let live = true;
    api.exportRunReport({ runId: record.id, format: 'html' }).then(
      (file) => live && (setHtml(file.text ?? ''), setProblem(null)),
      (error: unknown) => live && setProblem(problemOf(error)),
    );
    return () => {
      live = false;
    };
  }, [record.id, version]);

  const busy = state?.pending === true;
  return (
    <Dialog label={`Report: ${record.service} ${record.version} → ${record.environment}`} onClose={onClose} wide>
      <div className="report-view">
        <div className="actions">
          <button onClick={() => void exportReport(record.id, 'markdown', setState)} disabled={busy}>
            {busy && state.format === 'markdown' ? 'Exporting…' : 'Export Markdown'}
          </button>
          <button className="primary" onClick={() => void exportReport(record.id, 'pdf', setState)} disabled={busy}>
            {busy && state.format === 'pdf' ? 'Rendering PDF…' : 'Export PDF'}
          </button>
          {busy && state.format === 'pdf' && (
            <span className="muted small" role="status">
              Rendering the PDF…
            </span>
          )}
        </div>
        {state?.problem && (
          <ProblemNotice
            problem={state.problem}
            title={state.format === 'pdf' ? 'The PDF was not made' : 'The report was not exported'}
          />
        )}
        {problem && <ProblemNotice problem={problem} title="Could not make the report" />}
        {html === null && !problem && (
          <p className="muted" role="status">
            Making the report…
          </p>
        )}
        {html !== null && <iframe className="report-frame" title="Run report" sandbox="" srcDoc={html} />}
      </div>
    </Dialog>
  );
}
