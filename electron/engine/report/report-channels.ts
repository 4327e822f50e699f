import type { Redaction } from '../../../shared/redaction';
import type { ChannelMap, WriteLog } from '../channels';
import type { Incidents } from '../incidents/incidents';
import type { Runs } from '../release/runs';
import { reportFile, statusHistory, type ReportPrinter } from './report-file';

/** What a run's report is made of: the run, its samples and status changes, and the incidents it touched. */
export interface ReportChannelParts {
  readonly dataDir: string;
  readonly runs: Runs;
  readonly incidents: Incidents;
  readonly redaction: Redaction;
  /** Prints the report's HTML as PDF; without it a PDF export is refused. */
  readonly printer?: ReportPrinter | undefined;
  readonly log: WriteLog;
}

/** The report's handler: a run's report as a file, Markdown, HTML or PDF. */
export function reportChannels({
  dataDir,
  runs,
  incidents,
  redaction,
  printer,
  log,
}: ReportChannelParts): ChannelMap<'exportRunReport'> {
  return {
    exportRunReport: async ({ runId, format }) => {
      const record = await runs.get(runId);
      // The report keeps the incidents this run caused or mitigated.
      const file = await reportFile({
        redaction,
        record,
        samples: runs.history.samples(runId),
        statuses: statusHistory(dataDir, runId),
        format,
        incidents: incidents.all(),
        ...(printer ? { printer } : {}),
      });
      log('info', `report of ${runId} exported as ${format}: ${file.fileName}`);
      return file;
    },
  };
}
