import type { ResponseOf } from '../../../shared/contract';
import type { Problem } from '../../../shared/problem';
import { api } from '../api';
import { attempt } from '../common/use-action';

type Exported = ResponseOf<'exportRunReport'>;

/** Save an exported report the way the browser saves any download: through a Blob and a link. */
export function saveReport(file: Exported): void {
  const bytes =
    file.base64 !== undefined ? Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0)) : (file.text ?? '');
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
export async function exportReport(
  runId: string,
  format: 'markdown' | 'pdf',
  onChange: (state: ReportExport) => void,
): Promise<void> {
  onChange({ format, pending: true });
  const problem = await attempt(async () => saveReport(await api.exportRunReport({ runId, format })));
  onChange(problem ? { format, pending: false, problem } : { format, pending: false });
}
