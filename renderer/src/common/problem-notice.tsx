import type { Problem } from '../../../shared/problem';

/** A problem as a person reads it: what failed, where, what to do. */
export function ProblemNotice({ problem, title }: { problem: Problem; title?: string }) {
  const loud = problem.code === 'host-key-changed';
  return (
    <div className={loud ? 'problem loud' : 'problem'} role="alert" data-code={problem.code}>
      {title && <strong className="problem-title">{title}</strong>}
      <p className="problem-message">{problem.message}</p>
      {problem.where && (
        <p className="problem-where">
          Where: <code>{problem.where}</code>
        </p>
      )}
      {problem.hint && <p className="problem-hint">Next: {problem.hint}</p>}
    </div>
  );
}
