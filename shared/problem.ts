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

/**
 * The Problem an error stands for: its own, a storage failure that names its
 * folder, or an internal one with the error's message. The one converter, used
 * by engine and renderer alike.
 */
export function problemOf(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem;
  if (isStorageError(error) && error.path) return storageProblem(error.code, error.path);
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/**
 * The errors a full disk, a quota, a read-only mount or a lost permission give,
 * and the Problem each becomes. Pure, so the one `problemOf` can recognise them
 * wherever an error is turned into a Problem.
 */

const storageCodes: Readonly<Record<string, { what: string; hint: (dir: string) => string }>> = {
  ENOSPC: {
    what: 'the disk that holds it is full',
    hint: (dir) => `Free space on the disk that holds ${dir}, then retry.`,
  },
  EDQUOT: {
    what: 'your disk quota there is used up',
    hint: (dir) => `Free space within your quota on the disk that holds ${dir} (or have the quota raised), then retry.`,
  },
  EROFS: {
    what: 'the file system that holds it is read-only',
    hint: (dir) =>
      `Remount the file system that holds ${dir} read-write, or start Shipdeck with another --data-dir, then retry.`,
  },
  EACCES: {
    what: 'this user may not write there',
    hint: (dir) => `Give this user write permission on ${dir} (or start Shipdeck with another --data-dir), then retry.`,
  },
  EPERM: {
    what: 'this user may not write there',
    hint: (dir) => `Give this user write permission on ${dir} (or start Shipdeck with another --data-dir), then retry.`,
  },
};

/** An error from a file system call: its errno code and, where the call named one, its path. */
export interface StorageErrno {
  readonly code: string;
  readonly path?: string;
}

/** True for the errors a full disk, a quota, a read-only mount or a lost permission give. */
export function isStorageError(error: unknown): error is StorageErrno {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code in storageCodes;
}

/** The Problem for a file that could not be written: which folder, why, and what to do. */
export function storageProblem(code: string, path: string): Problem {
  const known = storageCodes[code] ?? {
    what: code,
    hint: (dir: string) => `Check that ${dir} can be written, then retry.`,
  };
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dir = cut > 0 ? path.slice(0, cut) : cut === 0 ? path.slice(0, 1) : '.';
  const name = path.slice(cut + 1);
  return {
    code: 'storage',
    message: `Could not write ${name} in ${dir}: ${known.what} (${code}); nothing was half-written`,
    where: dir,
    hint: known.hint(dir),
  };
}
