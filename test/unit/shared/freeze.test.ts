import { describe, expect, it } from 'vitest';
import { checkFreezeRuleIds, defaultFreezeRules, type FreezeRule } from '../../../shared/freeze';
import { ProblemError } from '../../../shared/problem';

describe('freeze window ids', () => {
  it('takes windows that each have their own id, and none', () => {
    expect(() => checkFreezeRuleIds(defaultFreezeRules)).not.toThrow();
    expect(() => checkFreezeRuleIds([])).not.toThrow();
  });

  it('refuses the first id two windows share, naming it', () => {
    const launch: FreezeRule = {
      id: 'weekend',
      kind: 'once',
      environment: 'staging',
      label: 'Launch',
      from: '2026-12-24T00:00',
      to: '2026-12-27T00:00',
    };
    let thrown: unknown;
    try {
      checkFreezeRuleIds([...defaultFreezeRules, launch]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemError);
    expect((thrown as ProblemError).problem).toEqual({
      code: 'bad-request',
      message: 'Two freeze windows share the id weekend',
      where: 'rules.weekend',
      hint: 'Give each window its own id.',
    });
  });
});
