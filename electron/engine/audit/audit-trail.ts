import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Redaction } from '../../../shared/redaction';
import { appendWhole, makeFolder, truncateTo, writeWhole } from '../data-file';
import { auditLine, chainEntry, parseAuditLine, type AuditEntry, type AuditRecord } from '../../../shared/audit';
import { verificationOf, verifyChain, type AuditHead, type AuditVerification } from '../../../shared/audit-chain';

/** sha256 hex, the hash of the chain. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Where a data folder keeps its trail and the trail's head. */
export function auditPaths(dataDir: string): { trail: string; head: string } {
  return { trail: join(dataDir, 'audit.ndjson'), head: join(dataDir, 'audit.head.json') };
}

/**
 * Check a data folder's trail, reading only (the command line runs it on a
 * folder offline, with no engine). A head file that is not JSON counts as
 * absent, and is reported as such when the trail has entries.
 */
export function verifyAuditFolder(dataDir: string): AuditVerification {
  const paths = auditPaths(dataDir);
  const text = existsSync(paths.trail) ? readFileSync(paths.trail, 'utf8') : '';
  return verificationOf(verifyChain(text === '' ? [] : text.split('\n'), sha256, readHead(paths.head)));
}

/**
 * The operator's audit trail: `<dataDir>/audit.ndjson`, one hash-chained
 * entry per line (mode 0600, synced to disk per entry), and its head in
 * `audit.head.json`. Appends are synchronous, so entries of one engine are
 * written one after another in the order they happen; one engine writes a
 * data folder at a time.
 */
export class AuditTrail {
  private readonly paths: { trail: string; head: string };
  private last: { seq: number; hash: string } | undefined;

  constructor(
    private readonly dataDir: string,
    /** Every text of an entry goes through it before the entry is hashed and written. */
    private readonly redaction: Redaction,
  ) {
    makeFolder(dataDir);
    this.paths = auditPaths(dataDir);
    this.last = this.resume();
  }

  /**
   * Number, chain and write one entry, then the head: both or neither. An
   * entry the disk cannot take is rolled back whole, and so is one whose head
   * cannot be written, since entries piling up beyond the head would read as
   * slipped in by someone else. A failure throws a `storage` Problem.
   */
  append(record: AuditRecord): AuditEntry {
    const entry = chainEntry(this.redaction.value(record), this.last, sha256);
    const before = appendWhole(this.paths.trail, auditLine(entry));
    try {
      writeWhole(
        this.paths.head,
        `${JSON.stringify({ seq: entry.seq, hash: entry.hash, at: entry.at } satisfies AuditHead)}\n`,
      );
    } catch (error) {
      truncateTo(this.paths.trail, before);
      throw error;
    }
    this.last = { seq: entry.seq, hash: entry.hash };
    return entry;
  }

  verify(): AuditVerification {
    return verifyAuditFolder(this.dataDir);
  }

  /** The newest entries first, at most `limit`; lines that are not entries are left out (verify names them). */
  list(limit: number): AuditEntry[] {
    if (!existsSync(this.paths.trail)) return [];
    const lines = readFileSync(this.paths.trail, 'utf8').split('\n');
    const entries: AuditEntry[] = [];
    for (let i = lines.length - 1; i >= 0 && entries.length < limit; i--) {
      const entry = parseAuditLine(lines[i]!);
      if (typeof entry !== 'string') entries.push(entry);
    }
    return entries;
  }

  /**
   * Where the chain goes on after a restart: from the last entry in the file,
   * or from the head when the head is further on, so that entries deleted
   * from the end while Shipdeck was closed leave a gap verify names, rather
   * than being written over by new ones.
   */
  private resume(): { seq: number; hash: string } | undefined {
    const head = readHead(this.paths.head);
    const tail = readTail(this.paths.trail);
    const lines = tail.split('\n').filter((l) => l.trim() !== '');
    let fromFile: AuditEntry | undefined;
    for (let i = lines.length - 1; i >= 0 && !fromFile; i--) {
      const entry = parseAuditLine(lines[i]!);
      if (typeof entry !== 'string') fromFile = entry;
    }
    const candidates = [fromFile, head].filter((c): c is AuditEntry | AuditHead => c !== undefined && c !== null);
    const furthest = candidates.sort((a, b) => b.seq - a.seq)[0];
    return furthest && furthest.seq > 0 ? { seq: furthest.seq, hash: furthest.hash } : undefined;
  }
}

/** The head, or null when there is none (or it is not a head). */
function readHead(path: string): AuditHead | null {
  if (!existsSync(path)) return null;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as AuditHead;
    return Number.isInteger(value.seq) && typeof value.hash === 'string' && typeof value.at === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** The end of a file (entries are short: the last 64 KiB hold the last one), or '' when there is none. */
function readTail(path: string, bytes = 64 * 1024): string {
  if (!existsSync(path)) return '';
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
