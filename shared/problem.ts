/**
 * A problem a person can act on: what failed, where, and what to do next.
 * Every error that crosses the contract is one of these, never a bare stack trace.
 */
export type ProblemCode =
  | 'bad-request'
  | 'not-found'
  | 'conflict'
  /** VERIFY's rules said the release is worse than the one before it. */
  | 'verify-failed'
  | 'unreachable'
  | 'timeout'
  | 'auth-failed'
  | 'key-unreadable'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'docker-unavailable'
  | 'docker-permission'
  | 'command-failed'
  /** The server's sshd has no SFTP subsystem: files go over exec instead. */
  | 'sftp-unavailable'
  | 'disconnected'
  /** The data folder could not be written: the disk is full, a quota or a read-only mount, or no permission. */
  | 'storage'
  | 'internal';

export interface Problem {
  readonly code: ProblemCode;
  /** One sentence: what failed. */
  readonly message: string;
  /** Where it failed: a host, a file and line, a field. */
  readonly where?: string;
  /** What to do next. */
  readonly hint?: string;
  /** Facts the UI may show or act on, such as fingerprints. */
  readonly details?: Readonly<Record<string, string>>;
}

/** An Error that carries a Problem, so it survives any transport unchanged. */
export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.message);
    this.name = 'ProblemError';
    this.problem = problem;
  }
}

/** True when a value has the shape of a Problem (used on data from a transport). */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.message === 'string';
}

/** One line for logs and plain-text output: message, where, hint. */
export function describeProblem(problem: Problem): string {
  const parts = [problem.message];
  if (problem.where) parts.push(`(${problem.where})`);
  if (problem.hint) parts.push(`— ${problem.hint}`);
  return parts.join(' ');
}
