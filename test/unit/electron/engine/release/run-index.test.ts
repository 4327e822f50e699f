import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disciplineOf } from '../../../../../shared/checklist';
import { redactionOf } from '../../../../../shared/redaction';
import { RunIndex } from '../../../../../electron/engine/release/run-index';
import { RunJournal, type JournalEvent } from '../../../../../electron/engine/release/run-journal';

function started(id: string, startedAt: string): JournalEvent {
  return {
    type: 'run',
    run: {
      id,
      service: 'web',
      environment: 'staging',
      version: 'v2',
      notes: '',
      who: 'ana',
      startedBy: 'ana',
      startedAt,
      spec: {} as never,
      change: {},
      discipline: disciplineOf({ class: 'low' }),
      checklist: { templateVersion: 'x', items: [] },
    },
    steps: [],
    hosts: [],
  };
}

function setUp() {
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-run-index-'));
  const journal = new RunJournal(dataDir, redactionOf([]));
  const file = join(dataDir, 'run-index.ndjson');
  return { dataDir, journal, file, index: () => new RunIndex(file, journal) };
}

describe('the run index', () => {
  it('is built from the journals when missing, one line per run, and then answers without them', () => {
    const { journal, file, index } = setUp();
    journal.append('r1', started('r1', '2026-01-01T00:00:00.000Z'));
    journal.append('r2', started('r2', '2026-01-02T00:00:00.000Z'));
    expect(existsSync(file)).toBe(false);
    expect(
      index()
        .summaries()
        .map((s) => [s.id, s.status]),
    ).toEqual([
      ['r1', 'running'],
      ['r2', 'running'],
    ]);
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; summary: { status: string } });
    expect(lines.map((l) => [l.id, l.summary.status])).toEqual([
      ['r1', 'running'],
      ['r2', 'running'],
    ]);
    // A line the index holds for an unchanged journal is what is listed: the journal is not read again.
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('"notes":""', '"notes":"from the index"'));
    expect(
      index()
        .summaries()
        .map((s) => s.notes),
    ).toEqual(['from the index', 'from the index']);
  });

  it('reads a journal again when it changed since, or when the index does not know the run, and drops runs removed', () => {
    const { journal, file, index, dataDir } = setUp();
    journal.append('r1', started('r1', '2026-01-01T00:00:00.000Z'));
    journal.append('r2', started('r2', '2026-01-02T00:00:00.000Z'));
    index().summaries();
    journal.append('r1', { type: 'status', status: 'confirmed', at: '2026-01-01T00:10:00.000Z' });
    journal.append('r3', started('r3', '2026-01-03T00:00:00.000Z'));
    rmSync(join(dataDir, 'runs', 'r2.ndjson'));
    expect(
      index()
        .summaries()
        .map((s) => [s.id, s.status]),
    ).toEqual([
      ['r1', 'confirmed'],
      ['r3', 'running'],
    ]);
    expect(
      readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id)
        .sort(),
    ).toEqual(['r1', 'r3']);
  });

  it('is rebuilt from a torn index, lists an unreadable journal with why, and is noted when a run changes', async () => {
    const { journal, file, index, dataDir } = setUp();
    journal.append('r1', started('r1', '2026-01-01T00:00:00.000Z'));
    writeFileSync(file, '{"id":"r1","si');
    writeFileSync(join(dataDir, 'runs', 'r0.ndjson'), '');
    const runs = index();
    expect(
      runs
        .summaries()
        .map((s) => [s.id, s.status])
        .sort(),
    ).toEqual([
      ['r0', 'unreadable'],
      ['r1', 'running'],
    ]);
    appendFileSync(
      journal.file('r1'),
      `${JSON.stringify({ type: 'status', status: 'failed', at: '2026-01-01T00:05:00.000Z' })}\n`,
    );
    runs.note('r1');
    runs.note('r1');
    // Written just after the caller's turn, once.
    expect(readFileSync(file, 'utf8')).not.toContain('"failed"');
    await new Promise((r) => setImmediate(r));
    expect(JSON.parse(readFileSync(file, 'utf8').trimEnd().split('\n')[0]!)).toMatchObject({
      id: 'r1',
      summary: { status: 'failed', endedAt: '2026-01-01T00:05:00.000Z' },
    });
  });
});
