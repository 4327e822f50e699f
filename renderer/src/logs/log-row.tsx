import { memo, type CSSProperties, type MouseEvent } from 'react';
import { parseAnsi, stripAnsi, type AnsiStyle } from '../../../shared/ansi';
import { levelOf } from '../../../shared/log';
import { highlightRuns, matchRanges, type CompiledSearch } from './log-search';
import { formatLogTime, isoLogTime, type TimeZoneChoice } from './log-text';

/** The fixed height of a row in pixels (the CSS says the same: `.log-row`). */
export const rowHeight = 20;

export interface LogLineProps {
  readonly lineKey: number;
  readonly time: number;
  readonly host: string;
  readonly place: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  readonly selected: boolean;
  readonly current: boolean;
  readonly search: CompiledSearch | null;
  readonly zone: TimeZoneChoice;
  readonly columns: boolean;
  readonly onClick: (key: number, event: MouseEvent) => void;
}

/** One line: its time, host and container, and its text in its colours with the search's matches marked. */
export const LogLine = memo(function LogLine({
  lineKey,
  time,
  host,
  place,
  stream,
  text,
  selected,
  current,
  search,
  zone,
  columns,
  onClick,
}: LogLineProps) {
  const plain = stripAnsi(text);
  const level = levelOf(plain);
  const segments = highlightRuns(parseAnsi(text), search ? matchRanges(plain, search) : []);
  const classes = [
    'log-row',
    `log-${stream}`,
    level ? `log-${level}` : '',
    selected ? 'selected' : '',
    current ? 'current-match' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} data-key={lineKey} onClick={(event) => onClick(lineKey, event)}>
      <span className="log-time" title={isoLogTime(time, zone)}>
        {formatLogTime(time, zone)}
      </span>
      {columns && (
        <span className="log-host" title={host}>
          {host}
        </span>
      )}
      {columns && (
        <span className="log-place" title={place}>
          {place}
        </span>
      )}
      <span className="log-stream" title={stream}>
        {stream === 'stderr' ? 'err' : ''}
      </span>
      <span className="log-text">
        {segments.map((segment, i) => {
          const look = lookOf(segment.style);
          return segment.hit ? (
            <mark key={i} className={`log-hit ${look.className}`} style={look.style}>
              {segment.text}
            </mark>
          ) : look.className || look.style ? (
            <span key={i} className={look.className} style={look.style}>
              {segment.text}
            </span>
          ) : (
            segment.text
          );
        })}
      </span>
    </div>
  );
});

/** A marker row: where lines were dropped, and how many. */
export function LogMarker({ text }: { text: string }) {
  return <div className="log-row log-marker">{text}</div>;
}

/**
 * An ANSI style as classes (the 16 base colours follow the theme) and, for
 * 256-colour and true-colour codes only, an inline colour. React sets it
 * through the CSSOM, which the CSP's `style-src 'self'` allows.
 */
function lookOf(style: AnsiStyle): { className: string; style?: CSSProperties } {
  const classes: string[] = [];
  const inline: CSSProperties = {};
  const fg = style.inverse ? style.bg : style.fg;
  const bg = style.inverse ? style.fg : style.bg;
  if (style.inverse) classes.push(fg === undefined ? 'ansi-inverse-fg' : '', bg === undefined ? 'ansi-inverse-bg' : '');
  paint(fg, 'fg', classes, inline);
  paint(bg, 'bg', classes, inline);
  if (style.bold) classes.push('ansi-bold');
  if (style.dim) classes.push('ansi-dim');
  if (style.italic) classes.push('ansi-italic');
  if (style.underline) classes.push('ansi-underline');
  const className = classes.filter(Boolean).join(' ');
  return Object.keys(inline).length > 0 ? { className, style: inline } : { className };
}

function paint(
  colour: number | string | undefined,
  layer: 'fg' | 'bg',
  classes: string[],
  inline: CSSProperties,
): void {
  if (colour === undefined) return;
  if (typeof colour === 'number' && colour < 16) {
    classes.push(`ansi-${layer}-${colour}`);
    return;
  }
  const css = typeof colour === 'number' ? xtermColour(colour) : colour;
  if (layer === 'fg') inline.color = css;
  else inline.backgroundColor = css;
}

const cube = [0, 95, 135, 175, 215, 255];

/** A 256-colour palette index above 15, as xterm draws it: a 6×6×6 cube, then 24 greys. */
export function xtermColour(index: number): string {
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  if (index >= 232) {
    const grey = 8 + (index - 232) * 10;
    return `#${hex(grey)}${hex(grey)}${hex(grey)}`;
  }
  const i = index - 16;
  return `#${hex(cube[Math.floor(i / 36) % 6]!)}${hex(cube[Math.floor(i / 6) % 6]!)}${hex(cube[i % 6]!)}`;
}
