import { describe, expect, it } from 'vitest';
import { parseAnsi } from '../../../../shared/ansi';
import { compileSearch, highlightRuns, matchRanges } from '../../../../renderer/src/logs/log-search';

function compiled(text: string, regex: boolean) {
  const result = compileSearch({ text, regex });
  if (!result.ok || !result.search) throw new Error('expected a search');
  return result.search;
}

describe('compileSearch', () => {
  it('reads plain text literally and ignores case', () => {
    const search = compiled('a.b (x)', false);
    expect(search.test.test('A.B (X) here')).toBe(true);
    expect(search.test.test('aXb (x)')).toBe(false);
  });

  it('reads a regex as one', () => {
    expect(compiled('^GET /api/\\d+', true).test.test('GET /api/42 200')).toBe(true);
  });

  it('says why a regex is invalid instead of throwing', () => {
    const result = compileSearch({ text: 'level=(warn', regex: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^Not a valid regular expression: .*(group|\()/);
  });

  it('is empty for an empty box', () => {
    expect(compileSearch({ text: '', regex: true })).toEqual({ ok: true, search: null });
  });
});

describe('matchRanges', () => {
  it('finds every match', () => {
    expect(matchRanges('error: an Error, errors', compiled('error', false))).toEqual([
      [0, 5],
      [10, 15],
      [17, 22],
    ]);
  });

  it('skips empty matches without looping forever', () => {
    expect(matchRanges('baaab', compiled('a*', true))).toEqual([[1, 4]]);
    expect(matchRanges('abc', compiled('^', true))).toEqual([]);
  });
});

describe('highlightRuns', () => {
  it('cuts styled runs where a match starts and ends, across colours', () => {
    const runs = parseAnsi('\x1b[31mred \x1b[32mgreen\x1b[0m plain');
    const text = runs.map((r) => r.text).join('');
    const segments = highlightRuns(runs, matchRanges(text, compiled('d gr', false)));
    expect(segments.map((s) => [s.text, s.hit, s.style.fg])).toEqual([
      ['re', false, 1],
      ['d ', true, 1],
      ['gr', true, 2],
      ['een', false, 2],
      [' plain', false, undefined],
    ]);
  });

  it('keeps the text whole without matches', () => {
    expect(highlightRuns(parseAnsi('plain'), [])).toEqual([{ text: 'plain', style: {}, hit: false }]);
  });
});
