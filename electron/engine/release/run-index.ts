import { readFileSync, statSync } from 'node:fs';
import { problemOf } from '../../../shared/problem';
import type { RunSummary } from '../../../shared/run';
import { writeWhole } from '../data-file';
import type { RunJournal } from './run-journal';
import { summaryOf, unreadableSummary } from './run-summary';

/** One run in the index: its summary, and the size and time of the journal it was read from. */
interface Entry {
  readonly id: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly summary: RunSummary;
}

/**
 * Every run's summary, one line per run in a small file beside the run
 * journals, so the run list does not read every journal whole. It is only a
 * copy: a run whose journal is not the size and time the index read it at
 * (or that the index does not know) is read again from its journal, and a
 * missing or torn index is rebuilt, so nothing depends on it for truth.
 */
export class RunIndex {
  private entries: Map<string, Entry> | undefined;
  /** The index as last read or written, so an unchanged one is not written again. */
  private saved = '';
  /** Runs noted since the index was last written. */
  private readonly noted = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly journal: RunJournal,
  ) {}

  /** Every journaled run's summary, in the folder's order; one whose journal cannot be read is `unreadable`, with why. */
  summaries(): RunSummary[] {
    const entries = this.load();
    const ids = this.journal.ids();
    let changed = ids.length !== entries.size;
    const summaries = ids.map((id) => {
      const known = entries.get(id);
      const stat = this.stat(id);
      if (known && stat && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.summary;
      changed = true;
      return this.read(id, stat);
    });
    if (changed) {
      for (const id of [...entries.keys()]) if (!ids.includes(id)) entries.delete(id);
      this.save();
    }
    return summaries;
  }

  /**
   * A run started or changed its status: its line is read again from its
   * journal and the index written, just after the caller's turn (a click
   * answers first; notes that come together are written once).
   */
  note(runId: string): void {
    this.noted.add(runId);
    if (this.noted.size === 1) setImmediate(() => this.flush());
  }

  /** Write what was noted. */
  flush(): void {
    const ids = [...this.noted];
    this.noted.clear();
    if (ids.length === 0) return;
    this.load();
    for (const id of ids) this.read(id, this.stat(id));
    this.save();
  }

  /** The run's summary from its journal, kept in the index when it reads (an unreadable one is read again each time). */
  private read(id: string, stat: { size: number; mtimeMs: number } | undefined): RunSummary {
    const entries = this.load();
    try {
      // The journal's size and time are taken before it is read, so a line appended meanwhile makes the entry stale, never wrong.
      const summary = summaryOf(this.journal.read(id).record);
      if (stat) entries.set(id, { id, ...stat, summary });
      else entries.delete(id);
      return summary;
    } catch (error) {
      entries.delete(id);
      return unreadableSummary(id, problemOf(error));
    }
  }

  private stat(id: string): { size: number; mtimeMs: number } | undefined {
    try {
      const { size, mtimeMs } = statSync(this.journal.file(id));
      return { size, mtimeMs };
    } catch {
      return undefined;
    }
  }

  private load(): Map<string, Entry> {
    if (this.entries) return this.entries;
    const entries = new Map<string, Entry>();
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      // No index yet: it is built from the journals.
    }
    for (const line of text.split('\n')) {
      try {
        const entry = JSON.parse(line) as Entry;
        if (
          typeof entry.id === 'string' &&
          typeof entry.size === 'number' &&
          typeof entry.mtimeMs === 'number' &&
          entry.summary
        )
          entries.set(entry.id, entry);
      } catch {
        // A torn or foreign line: that run is read from its journal.
      }
    }
    this.entries = entries;
    this.saved = text;
    return entries;
  }

  private save(): void {
    const lines = [...this.load().values()].map((e) => `${JSON.stringify(e)}\n`).join('');
    if (lines === this.saved || lines === '') return;
    try {
      writeWhole(this.file, lines);
      this.saved = lines;
    } catch {
      // A disk that cannot take the index (full, read-only) costs only speed: the journals are the truth.
    }
  }
}
