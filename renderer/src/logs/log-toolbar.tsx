import { useId, type KeyboardEvent, type RefObject } from 'react';
import type { LogFilter } from './log-filter';
import type { SearchQuery, SearchResult } from './log-search';
import type { TimeZoneChoice } from './log-text';

export interface LogToolbarProps {
  readonly query: SearchQuery;
  readonly onQuery: (query: SearchQuery) => void;
  readonly compiled: SearchResult;
  readonly matchCount: number;
  /** Which match is current (1-based), 0 when none is. */
  readonly matchOrdinal: number;
  readonly onMatch: (backwards: boolean) => void;
  readonly searchRef: RefObject<HTMLInputElement | null>;
  readonly onSearchKey: (event: KeyboardEvent<HTMLInputElement>) => void;
  readonly filter: LogFilter;
  readonly onFilter: (filter: LogFilter) => void;
  /** Host and container choices; none shown when the view is fixed to one step. */
  readonly choices?: {
    readonly hosts: readonly string[];
    readonly places: readonly string[];
    readonly placeKind: 'container' | 'file' | 'step';
  };
  readonly onNextError: () => void;
  readonly follow: boolean;
  readonly onFollow: () => void;
  readonly zone: TimeZoneChoice;
  readonly onZone: (zone: TimeZoneChoice) => void;
  readonly selectedLines: number;
  readonly onCopy: () => void;
  readonly onExport: () => void;
  readonly shownLines: number;
}

const placeWords = { container: 'Container', file: 'File', step: 'Step' } as const;

/** Search, filters and the viewer's actions, each labelled, with its key in the title. */
export function LogToolbar(props: LogToolbarProps) {
  const {
    query,
    onQuery,
    compiled,
    matchCount,
    matchOrdinal,
    onMatch,
    searchRef,
    onSearchKey,
    filter,
    onFilter,
    choices,
  } = props;
  const id = useId();
  const placeWord = placeWords[choices?.placeKind ?? 'container'];
  return (
    <div className="log-toolbar">
      <div className="log-tools">
        <input
          ref={searchRef}
          type="search"
          className="log-search"
          aria-label="Search the log"
          placeholder="Search (/)"
          value={query.text}
          onChange={(e) => onQuery({ ...query, text: e.target.value })}
          onKeyDown={onSearchKey}
          aria-invalid={compiled.ok ? undefined : true}
          aria-describedby={`${id}-count`}
          spellCheck={false}
        />
        <label className="inline small" title="Read the search as a regular expression">
          <input
            type="checkbox"
            checked={query.regex}
            onChange={(e) => onQuery({ ...query, regex: e.target.checked })}
          />{' '}
          Regex
        </label>
        <span
          id={`${id}-count`}
          className={compiled.ok ? 'log-count muted small' : 'log-count hot small'}
          role="status"
        >
          {!compiled.ok
            ? compiled.message
            : query.text === ''
              ? ''
              : matchCount === 0
                ? 'no matching lines'
                : matchOrdinal > 0
                  ? `${matchOrdinal.toLocaleString('en-US')} of ${matchCount.toLocaleString('en-US')} matching lines`
                  : `${matchCount.toLocaleString('en-US')} matching ${matchCount === 1 ? 'line' : 'lines'}`}
        </span>
        <button
          className="small-button"
          onClick={() => onMatch(true)}
          disabled={matchCount === 0}
          title="Previous match (Shift+Enter, Shift+F3)"
        >
          Previous match
        </button>
        <button
          className="small-button"
          onClick={() => onMatch(false)}
          disabled={matchCount === 0}
          title="Next match (Enter, F3)"
        >
          Next match
        </button>
      </div>
      <div className="log-tools" role="group" aria-label="Filters and actions">
        {choices && (
          <>
            <label className="inline small">
              Host
              <select
                value={filter.host ?? ''}
                onChange={(e) => onFilter({ ...filter, host: e.target.value || undefined })}
              >
                <option value="">all</option>
                {choices.hosts.map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline small">
              {placeWord}
              <select
                value={filter.place ?? ''}
                onChange={(e) => onFilter({ ...filter, place: e.target.value || undefined })}
              >
                <option value="">all</option>
                {choices.places.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <label className="inline small">
          Stream
          <select
            value={filter.stream ?? ''}
            onChange={(e) => onFilter({ ...filter, stream: (e.target.value || undefined) as LogFilter['stream'] })}
          >
            <option value="">both</option>
            <option value="stdout">stdout</option>
            <option value="stderr">stderr</option>
          </select>
        </label>
        <label className="inline small">
          Level
          <select
            value={filter.level ?? ''}
            onChange={(e) => onFilter({ ...filter, level: (e.target.value || undefined) as LogFilter['level'] })}
          >
            <option value="">all</option>
            <option value="warn">warnings and errors</option>
            <option value="error">errors</option>
          </select>
        </label>
        <button className="small-button" onClick={props.onNextError} title="Next error (e)">
          Next error
        </button>
        <button
          className={props.follow ? 'small-button chip' : 'small-button'}
          aria-pressed={props.follow}
          onClick={props.onFollow}
          title="Keep the newest line in view (f)"
        >
          Follow
        </button>
        <button
          className="small-button"
          aria-pressed={props.zone === 'utc'}
          onClick={() => props.onZone(props.zone === 'utc' ? 'local' : 'utc')}
          title="Show times in UTC instead of this machine's zone"
        >
          UTC
        </button>
        <button
          className="small-button"
          onClick={props.onCopy}
          disabled={props.selectedLines === 0}
          title="Copy the selected lines (Ctrl+C); click a line to select it, Shift+click to extend"
        >
          Copy{props.selectedLines > 0 ? ` ${props.selectedLines.toLocaleString('en-US')}` : ''}
        </button>
        <button
          className="small-button"
          onClick={props.onExport}
          disabled={props.shownLines === 0}
          title="Save the lines shown, with time, host, container and stream, to a file"
        >
          Export
        </button>
      </div>
    </div>
  );
}
