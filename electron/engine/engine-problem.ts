import { problemOf, ProblemError, type Problem } from '../../shared/problem';

/** An error at the engine's boundary as a Problem; one that carries none says it was unexpected and where to look. */
export function toProblem(error: unknown): Problem {
  const problem = problemOf(error);
  if (error instanceof ProblemError || problem.code !== 'internal') return problem;
  return {
    code: 'internal',
    message: `Unexpected error: ${problem.message}`,
    hint: 'See the engine log in the data folder; please report it.',
  };
}
