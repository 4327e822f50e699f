import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { redactionOf } from '../../../shared/redaction';
import { disciplineOf } from '../../../shared/checklist';
import { judge } from '../../../shared/judge';
import type { RunRecord } from '../../../shared/run';
import { defaultThresholds, defaultVerify, type Comparison, type Sample } from '../../../shared/verify';
import { Engine } from '../../../electron/engine/engine';
import { fileLog } from '../../../electron/engine/log';
import { RunJournal } from '../../../electron/engine/release/run-journal';
import { confSettingsStore } from '../../../electron/engine/settings-store';
import { keyFileCipher } from '../../../electron/engine/vault';

// The report's latency caption and VERIFY's latency card must quote one baseline: the samples the judge weighed.
const engines: Engine[] = [];
afterEach(() => engines.splice(0).forEach((e) => e.close()));

const start = Date.UTC(2025, 5, 2, 10, 0, 0);
const http = (role: 'baseline' | 'candidate', i: number, ms: number): Sample => ({
  kind: 'http',
  t: start + i * 50,
  host: 'lab-1',
  role,
  path: '/',
  status: 200,
  ms,
});
/** PREPARE's baseline (147 answers, slower), then VERIFY's old release beside the new one (70 answers each). */
const prepared = Array.from({ length: 147 }, (_, i) => http('baseline', i, 4 + (i % 9) * 0.25));
const besideBaseline = Array.from({ length: 70 }, (_, i) => http('baseline', 3000 + i, 5 + (i % 5) * 0.2));
const candidate = Array.from({ length: 70 }, (_, i) => http('candidate', 3000 + i, 5.1 + (i % 5) * 0.2));

/** A finished run journaled as Runs writes it: its samples, and the judgement VERIFY made of them. */
function journaledRun(dataDir: string, comparison: Comparison, verifyBaseline: readonly Sample[]): string {
  const id = `2025-06-02T10-00-00-000Z-web-v2-${comparison}`;
  const journal = new RunJournal(dataDir, redactionOf([]));
  const spec = {
    service: 'web',
    verification: { verify: defaultVerify, thresholds: defaultThresholds },
  } as unknown as RunRecord['spec'];
  const at = new Date(start).toISOString();
  journal.append(id, {
    type: 'run',
    run: {
      id,
      service: 'web',
      environment: 'staging',
      version: 'v2',
      notes: '',
      who: 'test',
      startedAt: at,
      spec,
      startedBy: 'test',
      change: {},
      discipline: disciplineOf({}),
      checklist: { templateVersion: 'none', items: [] },
    },
    steps: [],
    hosts: [
      {
        serverId: 'lab-1',
        server: 'lab-1',
        home: '/root',
        previous: { release: 'v1', container: 'web-v1', port: 3000 },
        next: { release: 'v2', container: 'web-v2', port: 3001 },
        upstreamFile: '/tmp/up.conf',
        reload: 'true',
      },
    ],
  });
  journal.append(id, { type: 'samples', phase: 'PREPARE', baseline: prepared, candidate: [] });
  journal.append(id, { type: 'samples', phase: 'VERIFY', baseline: verifyBaseline, candidate });
  const judgement = judge({
    candidate,
    baseline: comparison === 'concurrent' ? verifyBaseline : prepared,
    comparison,
    thresholds: defaultThresholds,
    verify: defaultVerify,
    final: true,
    now: start + 10_000,
  });
  const baselineSamples = (comparison === 'concurrent' ? verifyBaseline : prepared).length;
  journal.append(id, {
    type: 'verification',
    record: {
      comparison,
      thresholds: defaultThresholds,
      state: 'decided',
      baselineSamples,
      candidateSamples: candidate.length,
      needed: defaultVerify.minSamples,
      judgement,
      acted: 'asked',
    },
  });
  journal.append(id, { type: 'status', status: 'rolled-back', at: new Date(start + 20_000).toISOString() });
  return id;
}

/** The exported Markdown's latency caption for the baseline, and the latency card's baseline and sample count. */
async function captionAndCard(comparison: Comparison, verifyBaseline: readonly Sample[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-report-baseline-'));
  const runId = journaledRun(dataDir, comparison, verifyBaseline);
  const engine = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: 'test',
    cipher: keyFileCipher(dataDir),
  });
  engines.push(engine);
  const reply = await engine.handle('exportRunReport', { runId, format: 'markdown' });
  if (!reply.ok) throw new Error(reply.problem.message);
  const text = (reply.value as { text: string }).text;
  const caption = /\*\*Latency distribution\*\*: baseline v1: (median [^;]+) over (\d+) answers/.exec(text);
  const card =
    /#### latency shift[\s\S]*?- Baseline: (median [^\n]+)\n[\s\S]*?- Samples: new \d+ · baseline (\d+) ·/.exec(text);
  if (!caption || !card) throw new Error(`no latency caption or card in:\n${text}`);
  return {
    caption: { figures: caption[1], count: Number(caption[2]) },
    card: { figures: card[1], count: Number(card[2]) },
  };
}

describe("the report's latency caption and the latency card", () => {
  it('quote the same baseline median and count when old and new ran side by side', async () => {
    const { caption, card } = await captionAndCard('concurrent', besideBaseline);
    expect(card.count).toBe(70);
    expect(caption).toEqual(card);
  });

  it("quote PREPARE's baseline, both, in a before/after comparison", async () => {
    const { caption, card } = await captionAndCard('before-after', []);
    expect(card.count).toBe(147);
    expect(caption).toEqual(card);
  });
});
