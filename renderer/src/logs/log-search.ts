import type { AnsiRun, AnsiStyle } from '../../../shared/ansi';

/** What the search box holds. */
export interface SearchQuery {
  readonly text: string;
  readonly regex: boolean;
}

/** A search ready to run: `test` says whether a line matches, `all` finds every match in it. */
export interface CompiledSearch {
  readonly test: RegExp;
  readonly all: RegExp;
}

/** A query compiled, none (an empty box), or why it cannot be (a regex that does not parse). */
export type SearchResult =
  { readonly ok: true; readonly search: CompiledSearch | null } | { readonly ok: false; readonly message: string };

/** Matches in one line are marked up to here: a line of a thousand hits reads no better. */
export const maxRangesPerLine = 200;

/** Compile what the user typed; both modes ignore case. An invalid regex says why rather than throws. */
export function compileSearch(query: SearchQuery): SearchResult {
  if (query.text === '') return { ok: true, search: null };
  const source = query.regex ? query.text : query.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    return { ok: true, search: { test: new RegExp(source, 'i'), all: new RegExp(source, 'gi') } };
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
    return { ok: false, message: `Not a valid regular expression: ${reason}` };
  }
}

/** Where the search matches in a line, as [start, end) pairs; empty matches (`a*`) are skipped. */
export function matchRanges(text: string, search: CompiledSearch): [number, number][] {
  const ranges: [number, number][] = [];
  const pattern = search.all;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match && ranges.length < maxRangesPerLine; match = pattern.exec(text)) {
    if (match[0].length === 0) {
      pattern.lastIndex++;
      if (pattern.lastIndex > text.length) break;
      continue;
    }
    ranges.push([match.index, match.index + match[0].length]);
  }
  return ranges;
}

/** A piece of a line to render: one style, inside a match or not. */
export interface Segment {
  readonly text: string;
  readonly style: AnsiStyle;
  readonly hit: boolean;
}

/** Cut styled runs where matches begin and end, so a match shows across colours. */
export function highlightRuns(runs: readonly AnsiRun[], ranges: readonly (readonly [number, number])[]): Segment[] {
  const segments: Segment[] = [];
  let offset = 0;
  let r = 0;
  for (const run of runs) {
    const end = offset + run.text.length;
    let at = offset;
    while (at < end) {
      while (r < ranges.length && ranges[r]![1] <= at) r++;
      const range = ranges[r];
      if (!range || range[0] >= end) {
        segments.push({ text: run.text.slice(at - offset), style: run.style, hit: false });
        at = end;
      } else if (range[0] > at) {
        segments.push({ text: run.text.slice(at - offset, range[0] - offset), style: run.style, hit: false });
        at = range[0];
      } else {
        const stop = Math.min(end, range[1]);
        segments.push({ text: run.text.slice(at - offset, stop - offset), style: run.style, hit: true });
        at = stop;
      }
    }
    offset = end;
  }
  return segments;
}
