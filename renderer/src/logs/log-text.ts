/** How log lines read as text: the drop markers, the times, and the exported file. */
import { stripAnsi } from '../../../shared/ansi';
import type { LogSource } from '../../../shared/log';
import { placeOf } from './log-filter';
import type { LogIndex } from './log-index';

/** Times as the viewer shows them: the machine's own zone, or UTC. */
export type TimeZoneChoice = 'local' | 'utc';

const count = (n: number) => n.toLocaleString('en-US');

/** The top marker: how many lines were dropped before the first kept one, and the cap that dropped them. */
export function earlierDroppedText(dropped: number, capLines: number): string {
  return `… ${count(dropped)} earlier ${dropped === 1 ? 'line' : 'lines'} dropped (keeps the last ${count(capLines)})`;
}

/** A marker between two kept lines: the engine dropped these, its own ring being full. */
export function droppedHereText(dropped: number): string {
  return `… ${count(dropped)} ${dropped === 1 ? 'line' : 'lines'} dropped here`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "14:03:07.250", in the chosen zone; empty when the line has no time. */
export function formatLogTime(t: number, zone: TimeZoneChoice): string {
  if (!(t > 0)) return '';
  const d = new Date(t);
  return zone === 'utc'
    ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
    : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The full time, ISO 8601 with its offset ("2026-12-01T14:03:07.250+01:00", or "…Z" in UTC). */
export function isoLogTime(t: number, zone: TimeZoneChoice): string {
  if (!(t > 0)) return '-';
  const d = new Date(t);
  if (zone === 'utc') return d.toISOString();
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${formatLogTime(t, 'local')}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** One exported line: time, host, container (or file or step), stream and the text without escapes, tab-separated. */
export function exportLine(t: number, source: LogSource | undefined, text: string, zone: TimeZoneChoice): string {
  return [
    isoLogTime(t, zone),
    source?.host ?? '-',
    (source && placeOf(source)) ?? '-',
    source?.stream ?? '-',
    stripAnsi(text),
  ].join('\t');
}

/** The exported file's name: `shipdeck-<title>-<timestamp>.log`, with only safe characters. */
export function exportFileName(title: string, now: Date): string {
  const slug =
    title
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'log';
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `shipdeck-${slug}-${stamp}.log`;
}

/** Every row the viewer shows, as the export file holds them: lines as `exportLine` writes them, markers as they read. */
export function exportShown(
  index: LogIndex,
  sources: readonly (LogSource | undefined)[],
  zone: TimeZoneChoice,
  capLines: number,
): string {
  const ring = index.ring;
  const out: string[] = [];
  for (let i = 0; i < index.rowCount; i++) {
    const row = index.row(i);
    if (row.kind === 'line')
      out.push(exportLine(ring.timeAt(row.pos), sources[ring.srcAt(row.pos)], ring.textAt(row.pos), zone));
    else out.push(row.kind === 'gap' ? droppedHereText(row.count) : earlierDroppedText(row.count, capLines));
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
