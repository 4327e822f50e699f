// VERIFY figures, on the lab's images with known faults: the time from the
// start of a degradation (nginx sends traffic to a 500 ms slower v2) to the old
// release serving again, with the default VERIFY settings; and the share of
// correct verdicts over repeated runs of each lab case.
import type { RunStatus } from '../../shared/run';
import type { LabHost } from '../lab/lab-state';
import { startSshd, stopSshd } from '../lab/control';
import { restoreLabHosts } from '../support/lab-cleanup';
import { lab } from '../support/lab-servers';
import { freePortPair } from '../support/ports';
import { ending, startRelease, until, value, verifySpec } from '../support/verify-lab';
import { median, type Figure } from './figures';

// The two lab hosts VERIFY runs on, read when the figures are taken: importing this module must not need the lab up.
const verifyHosts = () => lab().hosts.slice(0, 2);
const repeats = Number(process.env.SHIPDECK_BENCH_VERIFY_REPEATS ?? 3);
const only = process.env.SHIPDECK_BENCH_VERIFY_ONLY;

/**
 * From the first answer of the slow release on a host's public port to the
 * first answer of the old one again there, as a client asking every 25 ms
 * sees it; VERIFY runs with its defaults (only the probed page is set).
 */
async function timeToRestore(hosts: LabHost[], port: number): Promise<{ ms: number; reason: string }> {
  const host = hosts[0]!;
  const { engine, call, runId } = await startRelease(hosts, verifySpec(hosts, port), 'v2-slow');
  // Open loop: a request every 25 ms whatever the answers take, each dated to when it was sent.
  const answers: { sent: number; body: string }[] = [];
  const poller = setInterval(() => {
    const sent = performance.now();
    void fetch(`http://127.0.0.1:${host.publicPort}/cgi-bin/app`, { headers: { Connection: 'close' } })
      .then(
        (r) => r.text(),
        () => '',
      )
      .then((body) => answers.push({ sent, body }));
  }, 25);
  try {
    const run = await ending(call, runId, ['rolled-back'], 90_000);
    await new Promise((r) => setTimeout(r, 1500));
    clearInterval(poller);
    answers.sort((a, b) => a.sent - b.sent);
    const slowSince = answers.find((a) => a.body.includes('v2-slow'))?.sent;
    // Restored once v1 answers and the slow one never again (a reload lets old and new workers overlap briefly).
    const lastSlow = answers.filter((a) => a.body.includes('v2-slow')).at(-1)?.sent;
    const restoredAt =
      lastSlow === undefined ? undefined : answers.find((a) => a.sent > lastSlow && a.body.includes('v1'))?.sent;
    if (slowSince === undefined || restoredAt === undefined)
      throw new Error('the slow release never served, or v1 never came back');
    return { ms: restoredAt - slowSince, reason: run.problem?.message ?? '' };
  } finally {
    clearInterval(poller);
    engine.close();
  }
}

interface Case {
  readonly version: string;
  readonly expected: RunStatus;
  readonly decision: 'pass' | 'rollback' | 'ask';
  /** Cut lab-1's SSH link once VERIFY samples. */
  readonly cut?: boolean;
}

const cases: readonly Case[] = [
  { version: 'v2', expected: 'confirmed', decision: 'pass' },
  { version: 'v2-slow', expected: 'rolled-back', decision: 'rollback' },
  { version: 'v2-err15', expected: 'rolled-back', decision: 'rollback' },
  { version: 'v2-err7', expected: 'awaiting-decision', decision: 'ask' },
  { version: 'v2', expected: 'awaiting-decision', decision: 'ask', cut: true },
];

/** One run of a case: did it end as the case says, for the reason it says? */
async function verdictOf(
  hosts: LabHost[],
  kase: Case,
  port: number,
): Promise<{ ok: boolean; ms: number; got: string }> {
  // The cut needs VERIFY to be still sampling when the link goes: more samples wanted than a second gives.
  const spec = verifySpec(hosts, port, `{ duration: 20s, rate: 20, samples: ${kase.cut ? 300 : 50} }`);
  const started = performance.now();
  const { engine, call, runId } = await startRelease(hosts, spec, kase.version);
  try {
    if (kase.cut) {
      await until('VERIFY sampling', async () =>
        (await value<{ verification?: { state: string } }>(call, 'getRun', { runId })).verification?.state ===
        'sampling'
          ? true
          : undefined,
      );
      await stopSshd(hosts[0]!.name);
    }
    const run = await ending(call, runId, ['confirmed', 'rolled-back', 'awaiting-decision', 'failed'], 90_000);
    const decision = run.verification?.judgement?.decision;
    const errorShown = !kase.cut || (run.verification?.judgement?.cards.some((c) => c.verdict === 'error') ?? false);
    const ok = run.status === kase.expected && decision === kase.decision && errorShown;
    if (run.status === 'awaiting-decision')
      await value(call, 'rollbackRun', { runId, reason: 'bench: case done' }).catch(() => undefined);
    const why = ok
      ? ''
      : ` (${run.verification?.judgement?.reason ?? ''}${run.status === 'failed' ? `; then ${run.problem?.message}` : ''})`;
    return { ok, ms: performance.now() - started, got: `${run.status}/${decision ?? 'none'}${why}` };
  } finally {
    if (kase.cut) await startSshd(hosts[0]!.name);
    engine.close();
  }
}

export async function verifyFigures(): Promise<Figure[]> {
  const hosts = verifyHosts();
  const port = await freePortPair();
  try {
    const restores: number[] = [];
    for (let i = 0; i < (only ? 0 : 3); i++) restores.push((await timeToRestore(hosts, port)).ms);
    const results: { kase: Case; ok: boolean; ms: number; got: string }[] = [];
    const chosen = cases.filter((k) => !only || `${k.version}${k.cut ? '+cut' : ''}` === only);
    for (let i = 0; i < repeats; i++)
      for (const kase of chosen) results.push({ kase, ...(await verdictOf(hosts, kase, port)) });
    const correct = results.filter((r) => r.ok).length;
    const wrong = results
      .filter((r) => !r.ok)
      .map((r) => `${r.kase.version}${r.kase.cut ? ' (cut link)' : ''}: ${r.got}`);
    const perCase = cases
      .map(
        (kase) =>
          `${kase.version}${kase.cut ? '+cut' : ''} ${Math.round(median(results.filter((r) => r.kase === kase).map((r) => r.ms)) / 100) / 10} s`,
      )
      .join(', ');
    return [
      {
        metric: 'degradation start to the old release serving again (v2 500 ms slower, default VERIFY; median of 3)',
        value: `${(median(restores) / 1000).toFixed(1)} s (${restores.map((ms) => (ms / 1000).toFixed(1)).join(', ')})`,
        target: '≤ 15 s',
        met: median(restores) <= 15_000,
      },
      {
        metric: `correct verdicts: pass, slower, 15% and 7% errors, a cut link; ${repeats} runs each`,
        value: `${correct} of ${results.length}${wrong.length ? `; wrong: ${wrong.join('; ')}` : ''}`,
        target: 'all',
        met: correct === results.length,
      },
      { metric: 'run time per case, start to verdict (median)', value: perCase, target: 'for information', met: true },
    ];
  } finally {
    await restoreLabHosts(hosts);
  }
}
