import { decisionCards, type JudgeInput } from './judge-rules';
import type { Comparison, Judgement, RunSamples, Sample } from './verify';

export type { JudgeInput };

/**
 * The samples a run's judgement weighs: the candidate, and the baseline beside
 * it (concurrent) or PREPARE's (before-after). The live judge, Judge again and
 * the report all take them from here, so they quote the same baseline.
 */
export function judgedSamples(
  samples: RunSamples,
  comparison: Comparison,
): { readonly baseline: readonly Sample[]; readonly candidate: readonly Sample[] } {
  return { baseline: comparison === 'concurrent' ? samples.baseline : samples.prepared, candidate: samples.candidate };
}

/**
 * Judge a release on its samples: each rule gives a card (pass, fail,
 * inconclusive or error, with its values, test, interval and threshold), and
 * the cards add up to pass, roll back, ask a person, or wait for more samples.
 * Pure: the same samples and rules always give the same judgement, so a past
 * run can be judged again with other rules.
 */
export function judge(input: JudgeInput): Judgement {
  const cards = decisionCards(input);
  const rollback = cards.find((c) => c.action === 'rollback');
  const error = cards.find((c) => c.verdict === 'error');
  const ask = cards.find((c) => c.action === 'ask');
  const waiting = cards.find((c) => c.action === 'wait');
  const base = { at: input.now, comparison: input.comparison, cards };
  if (rollback) return { ...base, decision: 'rollback', reason: rollback.reason };
  // A metric that could not be measured (a lost link) is never by itself a reason to roll back: a person decides.
  if (error && (input.final || cards.every((c) => c.action !== 'wait' || c.verdict === 'error')))
    return { ...base, decision: 'ask', reason: error.reason };
  if (ask) return { ...base, decision: 'ask', reason: ask.reason };
  if (waiting && !input.final) return { ...base, decision: 'wait', reason: waiting.reason };
  if (waiting || error) return { ...base, decision: 'ask', reason: (waiting ?? error)!.reason };
  return { ...base, decision: 'pass', reason: 'Every rule passed.' };
}
