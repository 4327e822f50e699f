import { ProblemError, type Problem } from '../../../shared/problem';

/** Whatever an api call threw, as a Problem to show. */
export function problemOf(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem;
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
