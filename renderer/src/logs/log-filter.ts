import { levelOf, type LogSource } from '../../../shared/log';
import { stripAnsi } from '../../../shared/ansi';

/** What a viewer shows of a stream; a field left out shows everything. */
export interface LogFilter {
  readonly host?: string;
  /** A container, a file or a step, as `placeOf` names it. */
  readonly place?: string;
  readonly stream?: 'stdout' | 'stderr';
  /** `error` shows errors; `warn` shows warnings and errors. */
  readonly level?: 'error' | 'warn';
  /** The run step a view is fixed to (the output under a step). */
  readonly step?: string;
}

/** Where in its host a source writes: its container, file or step. */
export function placeOf(source: LogSource): string | undefined {
  return source.container ?? source.file ?? source.purpose ?? source.step;
}

/** Does a source pass the filter's source fields (everything but the level)? */
export function sourcePasses(source: LogSource | undefined, filter: LogFilter): boolean {
  if (!source) return !filter.host && !filter.place && !filter.stream && !filter.step;
  if (filter.host && source.host !== filter.host) return false;
  if (filter.place && placeOf(source) !== filter.place) return false;
  if (filter.stream && source.stream !== filter.stream) return false;
  if (filter.step && source.step !== filter.step) return false;
  return true;
}

/** Does a line's text pass the filter's level? */
export function levelPasses(text: string, filter: LogFilter): boolean {
  if (!filter.level) return true;
  const level = levelOf(stripAnsi(text));
  return filter.level === 'error' ? level === 'error' : level !== undefined;
}

/** Is the filter showing everything? */
export function isEmptyFilter(filter: LogFilter): boolean {
  return !filter.host && !filter.place && !filter.stream && !filter.level && !filter.step;
}

/** The hosts and places a stream's sources name, sorted, for the filter's choices. */
export function filterChoices(
  sources: readonly (LogSource | undefined)[],
  step?: string,
): { hosts: string[]; places: string[]; placeKind: 'container' | 'file' | 'step' } {
  const hosts = new Set<string>();
  const places = new Set<string>();
  const kinds = { container: 0, file: 0, step: 0 };
  for (const source of sources) {
    if (!source || (step && source.step !== step)) continue;
    hosts.add(source.host);
    const place = placeOf(source);
    if (place) places.add(place);
    if (source.container) kinds.container++;
    else if (source.file) kinds.file++;
    else if (source.step) kinds.step++;
  }
  const placeKind =
    kinds.file > kinds.container && kinds.file >= kinds.step
      ? 'file'
      : kinds.step > kinds.container
        ? 'step'
        : 'container';
  return { hosts: [...hosts].sort(), places: [...places].sort(), placeKind };
}
