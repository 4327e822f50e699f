import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { isStorageError, ProblemError, storageProblem } from '../../shared/problem';

/**
 * Every write the engine makes into its data folder goes through here, so
 * that a full disk (or a quota, a read-only mount, a lost permission) leaves
 * each file whole, as it was before, and says which folder to look at.
 */

const newline = 0x0a;

/**
 * Append one or more whole lines to a file, synced, or nothing at all: a
 * write the disk cuts short is rolled back to the size the file had, and a
 * file this call created is removed again, so no empty journal is left. A
 * file whose last line was torn earlier (a crash mid-write) gets a newline
 * first, so the new line is never glued onto the torn one. Returns the size
 * the file had before, for a caller that must undo the append itself.
 * `sync: false` skips the fsync, for lines a crash may lose (the engine log).
 */
export function appendWhole(path: string, text: string, { sync = true }: { readonly sync?: boolean } = {}): number {
  const existed = existsSync(path);
  let fd: number;
  try {
    // a+: appends, and can read the last byte to tell a torn tail.
    fd = openSync(path, 'a+', 0o600);
  } catch (error) {
    throw storageError(error, path);
  }
  let size = 0;
  try {
    size = fstatSync(fd).size;
    const bytes = Buffer.from(size > 0 && lastByte(fd, size) !== newline ? `\n${text}` : text);
    let written = 0;
    while (written < bytes.length) {
      const n = writeSync(fd, bytes, written, bytes.length - written);
      if (n <= 0) throw Object.assign(new Error(`no space left on device, write ${path}`), { code: 'ENOSPC', path });
      written += n;
    }
    if (sync) fsyncSync(fd);
  } catch (error) {
    rollBack(fd, size);
    closeSync(fd);
    if (!existed && size === 0) removeQuietly(path);
    throw storageError(error, path);
  }
  closeSync(fd);
  return size;
}

/** Cut a file back to `size` (undo an append whose follow-up could not be written). */
export function truncateTo(path: string, size: number): void {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch {
    return; // Left as it is: the next append starts on a fresh line, and readers skip what is torn.
  }
  rollBack(fd, size);
  closeSync(fd);
}

/**
 * Replace a file whole: write beside it, sync, rename over. A crash or a
 * full disk leaves the old file or the new one, never half of one, and no
 * temporary file behind.
 */
export function writeWhole(path: string, content: string | Buffer, mode = 0o600): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, 'w', mode);
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw storageError(error, path);
  }
}

/**
 * Make a folder of the data folder (and its parents). A recursive mkdir
 * reports a read-only or full disk as ENOENT; the first missing folder is
 * made on its own to learn the real reason, which the Problem then names.
 */
export function makeFolder(dir: string, mode = 0o700): void {
  try {
    mkdirSync(dir, { recursive: true, mode });
  } catch (error) {
    let missing = dir;
    while (!existsSync(dirname(missing)) && dirname(missing) !== missing) missing = dirname(missing);
    try {
      mkdirSync(missing, { mode });
    } catch (cause) {
      throw storageError(cause, join(missing, '.'));
    }
    throw storageError(error, join(dir, '.'));
  }
}

/** A storage error as a ProblemError naming the folder; any other error unchanged. */
export function storageError(error: unknown, path: string): unknown {
  if (error instanceof ProblemError || !isStorageError(error)) return error;
  return new ProblemError(storageProblem(error.code!, error.path ?? path));
}

function lastByte(fd: number, size: number): number {
  const one = Buffer.alloc(1);
  readSync(fd, one, 0, 1, size - 1);
  return one[0]!;
}

/** Shrinking a file needs no space, so this works on a full disk; if even it fails, the next append starts on a fresh line. */
function rollBack(fd: number, size: number): void {
  try {
    ftruncateSync(fd, size);
    fsyncSync(fd);
  } catch {
    // Left as it is: readers skip a torn last line, and appendWhole starts the next line on its own.
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or the folder is read-only: an empty file is listed as such.
  }
}
