import { describe, expect, it } from 'vitest';
import { LogRing, type LogSource } from '../../../../shared/log';
import { filterChoices } from '../../../../renderer/src/logs/log-filter';
import { LogIndex } from '../../../../renderer/src/logs/log-index';
import {
  droppedHereText,
  earlierDroppedText,
  exportFileName,
  exportLine,
  exportShown,
  formatLogTime,
  isoLogTime,
} from '../../../../renderer/src/logs/log-text';

const sources: LogSource[] = [
  { id: 0, host: 'lab-1', container: 'web-v1', stream: 'stdout' },
  { id: 1, host: 'lab-2', container: 'web-v1', stream: 'stderr' },
];
const t = Date.UTC(2026, 11, 1, 14, 3, 7, 250);

describe('drop markers', () => {
  it('say how many lines were dropped, with the cap', () => {
    expect(earlierDroppedText(12_345, 100_000)).toBe('… 12,345 earlier lines dropped (keeps the last 100,000)');
    expect(earlierDroppedText(1, 1000)).toBe('… 1 earlier line dropped (keeps the last 1,000)');
    expect(droppedHereText(7)).toBe('… 7 lines dropped here');
    expect(droppedHereText(1)).toBe('… 1 line dropped here');
  });
});

describe('times', () => {
  it('show in UTC or the local zone', () => {
    expect(formatLogTime(t, 'utc')).toBe('14:03:07.250');
    expect(isoLogTime(t, 'utc')).toBe('2026-12-01T14:03:07.250Z');
    expect(Date.parse(isoLogTime(t, 'local'))).toBe(t);
    expect(formatLogTime(0, 'utc')).toBe('');
  });
});

describe('export', () => {
  it('writes time, host, container, stream and the text without escapes, tab-separated', () => {
    expect(exportLine(t, sources[1], '\x1b[31mERROR\x1b[0m boom', 'utc')).toBe(
      '2026-12-01T14:03:07.250Z\tlab-2\tweb-v1\tstderr\tERROR boom',
    );
    expect(exportLine(0, undefined, 'x', 'utc')).toBe('-\t-\t-\t-\tx');
  });

  it('holds exactly the rows shown: filtered lines and the markers', () => {
    const ring = new LogRing(3);
    const index = new LogIndex(ring);
    for (const seq of [0, 1, 2, 3, 9, 10]) ring.push(seq, t + seq, seq % 2, `line ${seq}`);
    index.sync(sources);
    expect(exportShown(index, sources, 'utc', 3).split('\n')).toEqual([
      '… 3 earlier lines dropped (keeps the last 3)',
      '2026-12-01T14:03:07.253Z\tlab-2\tweb-v1\tstderr\tline 3',
      '… 5 lines dropped here',
      '2026-12-01T14:03:07.259Z\tlab-2\tweb-v1\tstderr\tline 9',
      '2026-12-01T14:03:07.260Z\tlab-1\tweb-v1\tstdout\tline 10',
      '',
    ]);
    // A filter hides lines, never a marker: the engine's drops belong to no one source.
    index.setFilter({ host: 'lab-1' });
    index.sync(sources);
    expect(exportShown(index, sources, 'utc', 3)).toBe(
      '… 3 earlier lines dropped (keeps the last 3)\n… 5 lines dropped here\n2026-12-01T14:03:07.260Z\tlab-1\tweb-v1\tstdout\tline 10\n',
    );
  });

  it('names the file after the log and the time', () => {
    expect(exportFileName('web staging (lab-1, lab-2)', new Date(2026, 11, 1, 9, 5, 3))).toBe(
      'shipdeck-web-staging-lab-1-lab-2-20261201-090503.log',
    );
    expect(exportFileName('///', new Date(2026, 0, 2, 3, 4, 5))).toBe('shipdeck-log-20260102-030405.log');
  });
});

describe('filterChoices', () => {
  it('lists hosts and places, and names the place by what the sources are', () => {
    expect(filterChoices([sources[1], undefined, sources[0]])).toEqual({
      hosts: ['lab-1', 'lab-2'],
      places: ['web-v1'],
      placeKind: 'container',
    });
    expect(filterChoices([{ id: 0, host: 'h', file: '/var/log/nginx/access.log', stream: 'stdout' }]).placeKind).toBe(
      'file',
    );
  });
});
