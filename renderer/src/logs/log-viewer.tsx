import {
  useCallback,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type UIEvent,
} from 'react';
import { stripAnsi } from '../../../shared/ansi';
import { levelOf } from '../../../shared/log';
import { logBuffer, useLogs, type LogStreamView } from '../stores/log-store';
import { isTyping } from '../common/is-typing';
import { filterChoices, isEmptyFilter, placeOf, type LogFilter } from './log-filter';
import { LogIndex, topKey } from './log-index';
import { LogLine, LogMarker, rowHeight } from './log-row';
import { compileSearch, type SearchQuery } from './log-search';
import { droppedHereText, earlierDroppedText, exportFileName, exportShown, type TimeZoneChoice } from './log-text';
import { LogToolbar } from './log-toolbar';
import { ProblemNotice } from '../common/problem-notice';

/** Rows drawn above and below the visible ones, so a quick scroll shows no blank. */
const overscan = 20;
const zoneKey = 'shipdeck.logZone';

export interface LogViewerProps {
  /** The stream to show (from useLogStream); null while it opens. */
  readonly streamKey: string | null;
  /** The accessible name of the list (role="log"). */
  readonly label: string;
  /** Show only this run step's lines (and no host or container choice). */
  readonly step?: string;
  /** Lines shown above and below the list, scrolling with it (a step's command line, its exit). */
  readonly header?: ReactNode;
  readonly footer?: ReactNode;
  /** What the list says before the first line. */
  readonly waitingText?: string;
  readonly className?: string;
}

/** Where the view stands while paused: a row's key and how far into it, or (key null) the header. */
interface Anchor {
  key: number | null;
  offset: number;
}

/**
 * A live log: a virtualized list of fixed-height rows (only the visible ones
 * and a few more are in the page), with follow and pause, search, filters,
 * selection, copy and export. It reads its stream's ring directly and keeps an
 * incremental index of what it shows.
 */
export function LogViewer({ streamKey, label, step, header, footer, waitingText, className }: LogViewerProps) {
  const stream = useLogs((s) => (streamKey ? s.streams[streamKey] : undefined));
  const ring = logBuffer(streamKey);
  const [filter, setFilter] = useState<LogFilter>({});
  const [query, setQuery] = useState<SearchQuery>({ text: '', regex: false });
  const [zone, setZoneState] = useState<TimeZoneChoice>(() =>
    localStorage.getItem(zoneKey) === 'utc' ? 'utc' : 'local',
  );
  const [follow, setFollow] = useState(true);
  const [currentMatch, setCurrentMatch] = useState<number | undefined>(undefined);
  const [selection, setSelection] = useState<{ from: number; to: number } | null>(null);
  const [viewportHeight, setViewportHeight] = useState(400);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const anchor = useRef<Anchor>({ key: null, offset: 0 });
  const scroller = useRef<HTMLDivElement>(null);
  const headerBox = useRef<HTMLDivElement>(null);
  const footerBox = useRef<HTMLDivElement>(null);
  const chrome = useRef({ header: 0, footer: 0 });
  const expectedTop = useRef<number | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const indexRef = useRef<LogIndex | null>(null);

  // The index belongs to one ring: a stream opened afresh (after a lost link) starts a new one.
  if (ring && indexRef.current?.ring !== ring) indexRef.current = new LogIndex(ring);
  const index = ring ? indexRef.current : null;
  const compiled = useMemo(() => compileSearch(query), [query]);
  const shownFilter = useMemo<LogFilter>(
    () => (step ? { ...filter, step, host: undefined, place: undefined } : filter),
    [filter, step],
  );
  const sources = stream?.sources ?? noSources;
  index?.setFilter(shownFilter);
  index?.setSearch(compiled.ok ? compiled.search : null);
  index?.sync(sources);

  const rowCount = index?.rowCount ?? 0;
  const listHeight = rowCount * rowHeight;
  const contentHeight = chrome.current.header + listHeight + chrome.current.footer;
  const maxTop = Math.max(0, contentHeight - viewportHeight);
  // The browser clamps what it scrolls to; the window of rows must be cut from the same place.
  const top = follow
    ? maxTop
    : Math.min(
        maxTop,
        anchor.current.key === null
          ? anchor.current.offset
          : chrome.current.header + (index ? index.rowOf(anchor.current.key) : 0) * rowHeight + anchor.current.offset,
      );
  const firstRow = Math.max(0, Math.floor((top - chrome.current.header) / rowHeight) - overscan);
  const lastRow = Math.min(rowCount, Math.ceil((top - chrome.current.header + viewportHeight) / rowHeight) + overscan);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measured = { header: headerBox.current?.offsetHeight ?? 0, footer: footerBox.current?.offsetHeight ?? 0 };
    if (measured.header !== chrome.current.header || measured.footer !== chrome.current.footer) {
      chrome.current = measured;
      rerender();
    }
    const target = follow ? el.scrollHeight - el.clientHeight : top;
    if (Math.abs(el.scrollTop - target) > 1) {
      expectedTop.current = target;
      el.scrollTop = target;
    }
  });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewportHeight(el.clientHeight));
    observer.observe(el);
    setViewportHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  /** Where a scroll position falls: the row there and how far into it. */
  const anchorAt = useCallback((scrollTop: number): Anchor => {
    const idx = indexRef.current;
    const inList = scrollTop - chrome.current.header;
    if (!idx || inList < 0 || idx.rowCount === 0) return { key: null, offset: scrollTop };
    const row = Math.min(idx.rowCount - 1, Math.floor(inList / rowHeight));
    return { key: idx.row(row).key, offset: inList - row * rowHeight };
  }, []);

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const el = event.currentTarget;
    if (expectedTop.current !== null && Math.abs(el.scrollTop - expectedTop.current) <= 1) {
      expectedTop.current = null;
      return;
    }
    expectedTop.current = null;
    // Scrolling up pauses; scrolling back to the bottom follows again.
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < rowHeight / 2;
    anchor.current = anchorAt(el.scrollTop);
    setFollow(atBottom);
    rerender();
  };

  /** Pause with `key` in view, a few rows below the top. */
  const reveal = useCallback((key: number) => {
    const idx = indexRef.current;
    if (!idx) return;
    const row = Math.max(0, idx.rowOf(key) - 3);
    anchor.current = { key: idx.row(row).key, offset: 0 };
    setFollow(false);
    rerender();
  }, []);

  const toggleFollow = () => {
    if (follow) anchor.current = anchorAt(scroller.current?.scrollTop ?? 0);
    setFollow(!follow);
  };

  /** The key of the top line in view, where next-match and next-error start when nothing is chosen. */
  const viewTopKey = (): number | undefined => {
    const idx = indexRef.current;
    if (!idx || idx.rowCount === 0) return undefined;
    const row = Math.max(0, Math.min(idx.rowCount - 1, Math.floor((top - chrome.current.header) / rowHeight)));
    const key = idx.row(row).key;
    return key === topKey ? undefined : key;
  };

  const goToMatch = (backwards: boolean) => {
    if (!index) return;
    const from = currentMatch ?? (backwards ? viewTopKey() : (viewTopKey() ?? 0) - 1);
    const key = index.nextMatch(from, backwards);
    if (key === undefined) return;
    setCurrentMatch(key);
    reveal(key);
  };

  const goToError = () => {
    if (!index) return;
    const from = selection?.to ?? currentMatch ?? viewTopKey();
    const key = index.nextLine(from, (text) => levelOf(stripAnsi(text)) === 'error');
    if (key === undefined) return;
    setSelection({ from: key, to: key });
    reveal(key);
  };

  const onQuery = (next: SearchQuery) => {
    setQuery(next);
    setCurrentMatch(undefined);
  };

  const onFilter = (next: LogFilter) => {
    setFilter(next);
    setCurrentMatch(undefined);
    setSelection(null);
  };

  const setZone = (next: TimeZoneChoice) => {
    localStorage.setItem(zoneKey, next);
    setZoneState(next);
  };

  const selectedText = (): string => {
    if (!index || !selection) return '';
    return index
      .linesBetween(selection.from, selection.to)
      .map((key) => stripAnsi(index.ring.textAt(index.posOf(key))))
      .join('\n');
  };
  const selectedLines = index && selection ? index.linesBetween(selection.from, selection.to).length : 0;

  const copy = () => {
    const text = selectedText();
    if (text) void copyText(text);
  };

  const exportShownLines = () => {
    if (!index || !stream) return;
    const blob = new Blob([exportShown(index, sources, zone, stream.capLines)], { type: 'text/plain;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = exportFileName(stream.title, new Date());
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const onRowClick = useCallback((key: number, event: MouseEvent) => {
    // A drag that selected text is the browser's own selection: leave the rows alone.
    const native = window.getSelection();
    if (native && !native.isCollapsed && native.toString() !== '') return;
    setSelection((before) =>
      event.shiftKey && before
        ? { from: before.from, to: key }
        : before && before.from === key && before.to === key
          ? null
          : { from: key, to: key },
    );
  }, []);

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      goToMatch(event.shiftKey);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      scroller.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const mod = event.ctrlKey || event.metaKey;
    const typing = isTyping(event.target);
    if ((event.key === '/' && !typing && !mod) || (mod && !event.altKey && event.key.toLowerCase() === 'f')) {
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
      return;
    }
    if (event.key === 'F3') {
      event.preventDefault();
      goToMatch(event.shiftKey);
      return;
    }
    if (typing || event.altKey) return;
    if (mod && event.key.toLowerCase() === 'c') {
      const native = window.getSelection();
      if ((native && native.toString() !== '') || !selection) return;
      event.preventDefault();
      copy();
    } else if (
      mod &&
      event.key.toLowerCase() === 'a' &&
      event.target === scroller.current &&
      index &&
      index.lineCount > 0
    ) {
      event.preventDefault();
      const first = index.nextLine(undefined, () => true);
      const last = index.row(index.rowCount - 1).key;
      if (first !== undefined) setSelection({ from: first, to: last });
    } else if (mod) {
      return;
    } else if (event.key === 'f') {
      event.preventDefault();
      toggleFollow();
    } else if (event.key === 'e') {
      event.preventDefault();
      goToError();
    } else if (event.key === 'Escape' && selection) {
      event.preventDefault();
      event.stopPropagation();
      setSelection(null);
    }
  };

  const rows: ReactNode[] = [];
  if (index && stream) {
    const lo = selection ? Math.min(selection.from, selection.to) : -1;
    const hi = selection ? Math.max(selection.from, selection.to) : -1;
    for (let i = firstRow; i < lastRow; i++) {
      const row = index.row(i);
      if (row.kind === 'earlier')
        rows.push(<LogMarker key="earlier" text={earlierDroppedText(row.count, stream.capLines)} />);
      else if (row.kind === 'gap') rows.push(<LogMarker key={row.key} text={droppedHereText(row.count)} />);
      else {
        const source = sources[index.ring.srcAt(row.pos)];
        rows.push(
          <LogLine
            key={row.key}
            lineKey={row.key}
            time={index.ring.timeAt(row.pos)}
            host={source?.host ?? ''}
            place={(source && placeOf(source)) ?? ''}
            stream={source?.stream ?? 'stdout'}
            text={index.ring.textAt(row.pos)}
            selected={row.key >= lo && row.key <= hi}
            current={row.key === currentMatch}
            search={compiled.ok ? compiled.search : null}
            zone={zone}
            columns={!step}
            onClick={onRowClick}
          />,
        );
      }
    }
  }

  const choices = useMemo(() => (step ? undefined : filterChoices(sources)), [sources, step]);
  const lineCount = index?.lineCount ?? 0;
  const kept = ring?.size ?? 0;

  return (
    <div className={`log-viewer${className ? ` ${className}` : ''}`} onKeyDown={onKeyDown}>
      <LogToolbar
        query={query}
        onQuery={onQuery}
        compiled={compiled}
        matchCount={index?.matchCount ?? 0}
        matchOrdinal={index?.matchOrdinal(currentMatch) ?? 0}
        onMatch={goToMatch}
        searchRef={searchRef}
        onSearchKey={onSearchKey}
        filter={filter}
        onFilter={onFilter}
        choices={choices}
        onNextError={goToError}
        follow={follow}
        onFollow={toggleFollow}
        zone={zone}
        onZone={setZone}
        selectedLines={selectedLines}
        onCopy={copy}
        onExport={exportShownLines}
        shownLines={lineCount}
      />
      <LogNotices stream={stream} />
      <div className="log-scroll" ref={scroller} role="log" aria-label={label} tabIndex={0} onScroll={onScroll}>
        <div ref={headerBox} className="log-chrome">
          {header}
        </div>
        <div className="log-rows" style={{ height: listHeight }}>
          <div className="log-window" style={{ transform: `translateY(${firstRow * rowHeight}px)` }}>
            {rows}
          </div>
        </div>
        <div ref={footerBox} className="log-chrome">
          {stream && lineCount === 0 && stream.state !== 'failed' && (
            <p className="log-waiting">{emptyText(stream, kept, !isEmptyFilter(filter), waitingText)}</p>
          )}
          {footer}
        </div>
      </div>
      <p className="log-foot muted small" data-testid="log-counts">
        <span>
          {lineCount.toLocaleString('en-US')} {lineCount === 1 ? 'line' : 'lines'} shown
          {lineCount !== kept ? ` of ${kept.toLocaleString('en-US')}` : ''}
        </span>
        {!follow && <span className="log-paused"> · paused (f or Follow to follow again)</span>}
        {stream?.state === 'ended' && <span className="log-ended"> · ended: the output is complete</span>}
        {stream && stream.following.length > 0 && <span> · following {stream.following.join(', ')}</span>}
      </p>
    </div>
  );
}

const noSources: readonly never[] = [];

/** What an empty list says: still waiting, nothing came, or the filters hide it all. */
function emptyText(stream: LogStreamView, kept: number, filtered: boolean, waitingText: string | undefined): string {
  if (filtered && kept > 0) return 'No line passes the filters.';
  if (waitingText && (kept > 0 || stream.state !== 'ended')) return waitingText;
  return stream.state === 'ended' ? 'No lines: the output is complete.' : 'waiting for lines…';
}

/** The stream's own problems: it could not open, or some sources cannot be read (each with where and what to do). */
function LogNotices({ stream }: { stream: LogStreamView | undefined }) {
  if (!stream) return null;
  return (
    <>
      {stream.openProblem && <ProblemNotice problem={stream.openProblem} title="Could not follow the log" />}
      {stream.problems.map((problem) => (
        <div key={`${problem.where}:${problem.message}`} className="problem log-problem" role="alert">
          <p className="problem-message">
            <strong>{problem.where}</strong>: {problem.message}
          </p>
          {problem.hint && <p className="problem-hint">Next: {problem.hint}</p>}
        </div>
      ))}
    </>
  );
}

/** Put text on the clipboard; where the async clipboard is refused, through a copy event instead. */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Fall through: an insecure context or a denied permission.
  }
  const onCopy = (event: ClipboardEvent) => {
    event.clipboardData?.setData('text/plain', text);
    event.preventDefault();
  };
  document.addEventListener('copy', onCopy, { once: true });
  document.execCommand('copy');
  document.removeEventListener('copy', onCopy);
}
