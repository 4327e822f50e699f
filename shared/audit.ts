/**
 * The local audit trail: one entry per action, one JSON line each, and each
 * entry carries the hash of the one before it (a hash chain), so that an
 * entry edited, deleted, reordered or slipped in shows when the chain is
 * verified. The hash function is given by the caller (sha256 hex), since
 * this file runs anywhere and cannot import a crypto library.
 */
import type { ProblemCode } from './problem';

export interface AuditEntry {
  /** 1, 2, 3…: a gap or a step back shows a deleted or moved entry. */
  readonly seq: number;
  readonly at: string;
  /** The engine's login, user@machine. */
  readonly who: string;
  /** The name the person gave, when the action asks for one. */
  readonly by?: string;
  /** Where it happened: a server, a service and environment, a run. */
  readonly where: string;
  /** What was done: a channel of the contract, or what a run did by itself. */
  readonly action: string;
  /** What it was done to, within `where`: a container, a secret's name, a checklist item. */
  readonly target?: string;
  /** A short summary of the request, secrets left out. */
  readonly detail?: string;
  readonly result: 'ok' | ProblemCode;
  /** Why it failed, when the result is not ok. */
  readonly message?: string;
  /** The hash of the entry before, or `genesisHash` for the first one. */
  readonly prev: string;
  /** sha256 of this entry's canonical form without `hash`. */
  readonly hash: string;
}

/** What a caller records; the trail numbers and chains it. */
export type AuditRecord = Omit<AuditEntry, 'seq' | 'prev' | 'hash'>;

/** sha256 of a text, as 64 lowercase hex digits. */
export type HashText = (text: string) => string;

/** The `prev` of the first entry: a chain that starts anywhere else has lost its beginning. */
export const genesisHash = '0'.repeat(64);

// Fields in reading order; any other key (one slipped in) follows, sorted, so that it is hashed too.
const fieldOrder = [
  'seq',
  'at',
  'who',
  'by',
  'where',
  'action',
  'target',
  'detail',
  'result',
  'message',
  'prev',
  'hash',
];

/** One JSON text per value, whatever order its keys were built in: the known fields first, then the rest sorted; undefined left out. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined);
  const known = fieldOrder.filter((k) => keys.includes(k));
  const others = keys.filter((k) => !fieldOrder.includes(k)).sort();
  return `{${[...known, ...others].map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',')}}`;
}

/** The hash an entry must carry: of everything in it but the hash itself. */
export function entryHash(entry: Omit<AuditEntry, 'hash'> & { readonly hash?: string }, hash: HashText): string {
  const { hash: _ignored, ...content } = entry;
  return hash(canonical(content));
}

/** The next entry of a chain: numbered after `previous` and linked to its hash. */
export function chainEntry(
  record: AuditRecord,
  previous: { readonly seq: number; readonly hash: string } | undefined,
  hash: HashText,
): AuditEntry {
  const unhashed = { ...record, seq: (previous?.seq ?? 0) + 1, prev: previous?.hash ?? genesisHash };
  return { ...unhashed, hash: entryHash(unhashed, hash) };
}

/** An entry as one line of the trail file, newline included. */
export function auditLine(entry: AuditEntry): string {
  return `${canonical(entry)}\n`;
}

const hexHash = /^[0-9a-f]{64}$/;

/** An entry read back, or what is wrong with its shape. */
export function parseAuditLine(text: string): AuditEntry | string {
  if (text.trim() === '') return 'the line is empty';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'the line is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the line is not an entry';
  const e = value as Record<string, unknown>;
  if (!Number.isInteger(e.seq) || (e.seq as number) < 1) return 'it has no seq';
  for (const field of ['at', 'who', 'where', 'action', 'result'] as const)
    if (typeof e[field] !== 'string') return `it has no ${field}`;
  if (typeof e.prev !== 'string' || !hexHash.test(e.prev)) return 'it has no prev hash';
  if (typeof e.hash !== 'string' || !hexHash.test(e.hash)) return 'it has no hash';
  return value as AuditEntry;
}
