import { entryHash, genesisHash, parseAuditLine, type AuditEntry, type HashText } from './audit';

/**
 * Reading a trail back: whether its chain is whole, where it first breaks,
 * and the verdict people are shown.
 */

/**
 * The chain's head, kept in a second file beside the trail and rewritten
 * after each entry. The chain alone cannot show that its LAST entries were
 * deleted (what is left is still a valid chain), nor that the last entry was
 * edited and its hash computed again; the head, which records the last seq
 * and hash, does. Someone who rewrites both files consistently defeats any
 * unkeyed chain: this detects editing, not a determined forger.
 */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
}

export type AuditBreakKind =
  'altered' | 'missing' | 'reordered' | 'inserted' | 'unparseable' | 'truncated' | 'incomplete';

/** The first place where the trail is not what Shipdeck wrote. */
export interface AuditBreak {
  /** The line of the trail file (1-based); one past the end for entries missing from the end. */
  readonly line: number;
  /** The seq of the entry at that line, or of the first missing one. */
  readonly seq?: number;
  /** `incomplete`: a write cut short by a crash or a full disk lost an entry; every other kind shows tampering. */
  readonly what: AuditBreakKind;
  /** One sentence a person can act on. */
  readonly message: string;
  readonly expected?: string;
  readonly found?: string;
}

/**
 * A line that holds the start of an entry and nothing more: a write cut
 * short by a crash or a full disk. It is no entry, and the chain around it
 * shows that none is missing, so it does not break the trail.
 */
export interface AuditIncomplete {
  readonly line: number;
  /** The seq its first bytes name, when they got that far. */
  readonly seq?: number;
  readonly message: string;
}

export type ChainVerdict =
  | { readonly ok: true; readonly entries: readonly AuditEntry[]; readonly incomplete?: readonly AuditIncomplete[] }
  /** `entries` holds the intact entries before the break. */
  | {
      readonly ok: false;
      readonly entries: readonly AuditEntry[];
      readonly break: AuditBreak;
      readonly incomplete?: readonly AuditIncomplete[];
    };

/** The verdict as the renderer and the command line show it. */
export interface AuditVerification {
  readonly ok: boolean;
  /** Intact entries: all of them, or those before the break. */
  readonly entries: number;
  readonly lastAt?: string;
  readonly break?: AuditBreak;
  /** Torn writes the chain shows were abandoned whole (no entry lost). */
  readonly incomplete?: readonly AuditIncomplete[];
}

const short = (hash: string) => `${hash.slice(0, 12)}…`;

/** The seq named by the first bytes of a torn entry (`{"seq":12,"at":…`), if it got that far. */
function tornSeq(text: string): number | undefined {
  const match = /^\{"seq":(\d+)[,}]/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/**
 * Does a line that is not JSON hold the first bytes of an entry, and only
 * that: what a write cut short leaves (entries are written in canonical form,
 * so they start with `{"seq":`). A line with other text is not a torn write.
 */
function isTorn(text: string): boolean {
  const start = '{"seq":';
  return text.length > 0 && (start.startsWith(text) || text.startsWith(start)) && !text.slice(1).includes('{"seq":');
}

/** A torn entry with a whole one written straight after it on the same line (a full disk, before appends were rolled back). */
function gluedAfterTorn(text: string): { readonly torn: string; readonly entry: AuditEntry } | undefined {
  for (let at = text.indexOf('{"seq":', 1); at > 0; at = text.indexOf('{"seq":', at + 1)) {
    const entry = parseAuditLine(text.slice(at));
    if (typeof entry !== 'string' && isTorn(text.slice(0, at))) return { torn: text.slice(0, at), entry };
  }
  return undefined;
}

const lostEntry = (seq: number | undefined, line: number, after: string) =>
  `${seq !== undefined ? `Entry ${seq}` : 'An entry'} (line ${line}) is incomplete: its write was cut short by a crash or a full disk, so it is lost${after}; this is not tampering, and the entries before it are intact`;

/**
 * Check a trail: `lines` is the file's text split on '\n' (so a file that
 * ends with its newline gives a last '' element). Each entry must hash to
 * its `hash`, number one more than the one before and link to its hash; the
 * first links to `genesisHash`. With `head` (null: the trail has no head
 * file), the chain must also end where the head says. A line holding only
 * the first bytes of an entry (a crash or a full disk cut its write short)
 * is an incomplete write, not tampering: it is skipped when the chain shows
 * no entry lost with it, and named as the loss of that entry otherwise.
 * Returns every entry, or the first break, naming its line and seq.
 */
export function verifyChain(lines: readonly string[], hash: HashText, head?: AuditHead | null): ChainVerdict {
  const terminated = lines.length === 0 || lines[lines.length - 1] === '';
  const body = terminated ? lines.slice(0, -1) : lines;
  const parsed = body.map(parseAuditLine);
  // Where each seq first appears, to tell a moved entry from a deleted one.
  const lineOf = new Map<number, number>();
  parsed.forEach((p, i) => typeof p !== 'string' && !lineOf.has(p.seq) && lineOf.set(p.seq, i + 1));
  const entries: AuditEntry[] = [];
  const entryLines: number[] = [];
  const incomplete: AuditIncomplete[] = [];
  const broken = (atLine: number, found: AuditBreak): ChainVerdict => ({
    ok: false,
    entries: entries.filter((_, k) => entryLines[k]! < atLine),
    break: found,
    ...(incomplete.length > 0 ? { incomplete } : {}),
  });
  // Does the chain go on from line i's entry: the next entry links to it, or (the last one) the head names it?
  const confirmed = (i: number): boolean => {
    const entry = parsed[i] as AuditEntry;
    let j = i + 1;
    while (j < parsed.length && typeof parsed[j] === 'string' && isTorn(body[j]!)) j++;
    const next = parsed[j];
    if (next !== undefined) return typeof next !== 'string' && next.prev === entry.hash;
    return head?.seq === entry.seq && head.hash === entry.hash;
  };
  // The torn write just before the entry being checked, if any.
  let tornBefore: AuditIncomplete | undefined;

  for (const [i, entry] of parsed.entries()) {
    const line = i + 1;
    if (typeof entry === 'string') {
      const text = body[i]!;
      const glued = gluedAfterTorn(text);
      if (glued) {
        const seq = tornSeq(glued.torn) ?? glued.entry.seq - 1;
        return broken(line, {
          line,
          seq,
          what: 'incomplete',
          message: lostEntry(
            seq,
            line,
            `, and entry ${glued.entry.seq} was written onto the same line, so it cannot be checked against it`,
          ),
        });
      }
      if (isTorn(text)) {
        const seq = tornSeq(text);
        const last = !terminated && i === body.length - 1;
        tornBefore = {
          line,
          ...(seq !== undefined ? { seq } : {}),
          message: `Line ${line} holds an incomplete ${last ? 'last ' : ''}write${seq !== undefined ? ` of entry ${seq}` : ''}, cut short by a crash or a full disk: it is not an entry, and no entry is missing`,
        };
        incomplete.push(tornBefore);
        continue;
      }
      if (!terminated && i === body.length - 1)
        return broken(line, {
          line,
          what: 'truncated',
          message: `Line ${line} ends mid-entry (${entry}): the trail was cut short, by a crash mid-write or by hand`,
        });
      return broken(line, { line, what: 'unparseable', message: `Line ${line} is not an audit entry: ${entry}` });
    }
    const torn = tornBefore;
    tornBefore = undefined;
    const computed = entryHash(entry, hash);
    if (computed !== entry.hash) {
      return broken(line, {
        line,
        seq: entry.seq,
        what: 'altered',
        message: `Entry ${entry.seq} (line ${line}) was altered: its content no longer matches its hash`,
        expected: computed,
        found: entry.hash,
      });
    }
    const before = entries[entries.length - 1];
    const expectedSeq = (before?.seq ?? 0) + 1;
    if (entry.seq > expectedSeq) {
      if (torn && entry.seq === expectedSeq + 1 && (torn.seq === undefined || torn.seq === expectedSeq)) {
        // The torn write was that entry, recorded before appends were rolled back on failure: lost, not deleted.
        incomplete.pop();
        return broken(torn.line, {
          line: torn.line,
          seq: expectedSeq,
          what: 'incomplete',
          message: lostEntry(
            expectedSeq,
            torn.line,
            `, and entry ${entry.seq} (line ${line}) cannot be checked against it`,
          ),
        });
      }
      const movedSeq = [...lineOf.keys()]
        .filter((s) => s >= expectedSeq && s < entry.seq && lineOf.get(s)! > line)
        .sort((a, b) => a - b)[0];
      if (movedSeq !== undefined) {
        return broken(line, {
          line,
          seq: entry.seq,
          what: 'reordered',
          message: `Entry ${entry.seq} is at line ${line}, where entry ${expectedSeq} belongs; entry ${movedSeq} comes later, at line ${lineOf.get(movedSeq)}: entries were reordered`,
          expected: `seq ${expectedSeq}`,
          found: `seq ${entry.seq}`,
        });
      }
      const gap =
        expectedSeq === entry.seq - 1 ? `Entry ${expectedSeq} is` : `Entries ${expectedSeq} to ${entry.seq - 1} are`;
      return broken(line, {
        line,
        seq: expectedSeq,
        what: 'missing',
        message: `${gap} missing before entry ${entry.seq} (line ${line}): deleted from the trail`,
        expected: `seq ${expectedSeq}`,
        found: `seq ${entry.seq}`,
      });
    }
    if (entry.seq < expectedSeq) {
      const first = lineOf.get(entry.seq)!;
      if (first < line) {
        // Two entries share a seq and both link to the same entry: the one the chain goes on from is Shipdeck's.
        const forged = confirmed(i) ? first : line;
        return broken(forged, {
          line: forged,
          seq: entry.seq,
          what: 'inserted',
          message: `Entry ${entry.seq} appears twice, at lines ${first} and ${line}; the one at line ${forged} is not part of the chain: it was inserted`,
          expected: `seq ${expectedSeq}`,
          found: `seq ${entry.seq}`,
        });
      }
      return broken(line, {
        line,
        seq: entry.seq,
        what: 'reordered',
        message: `Entry ${entry.seq} (line ${line}) comes after entry ${before!.seq}: entries were reordered`,
        expected: `seq ${expectedSeq}`,
        found: `seq ${entry.seq}`,
      });
    }
    const expectedPrev = before?.hash ?? genesisHash;
    if (entry.prev !== expectedPrev) {
      if (!before)
        return broken(line, {
          line,
          seq: entry.seq,
          what: 'altered',
          message: `Entry 1 (line ${line}) does not start a chain: it links to ${short(entry.prev)}, not to the genesis value`,
          expected: expectedPrev,
          found: entry.prev,
        });
      // An entry edited and hashed again is self-consistent; what gives it away is that the next one no longer links to it.
      const rewritten = confirmed(i)
        ? { line: entryLines[entryLines.length - 1]!, seq: before.seq }
        : { line, seq: entry.seq };
      return broken(rewritten.line, {
        ...rewritten,
        what: 'altered',
        message: `Entry ${rewritten.seq} (line ${rewritten.line}) was rewritten and hashed again: entry ${entry.seq} links to ${short(entry.prev)}, but entry ${before.seq} hashes to ${short(before.hash)}`,
        expected: expectedPrev,
        found: entry.prev,
      });
    }
    entries.push(entry);
    entryLines.push(line);
  }
  const ok: ChainVerdict = { ok: true, entries, ...(incomplete.length > 0 ? { incomplete } : {}) };
  if (head === undefined) return ok;
  // The head recorded the entry whose last write is torn: that entry was whole once (or its write was not rolled back), and is lost.
  const last = entries[entries.length - 1];
  if (tornBefore && head && head.seq === (last?.seq ?? 0) + 1 && tornBefore.seq === head.seq) {
    incomplete.pop();
    return broken(tornBefore.line, {
      line: tornBefore.line,
      seq: head.seq,
      what: 'incomplete',
      message: lostEntry(head.seq, tornBefore.line, ' (the head had recorded it)'),
    });
  }
  const headed = headBreak(entries, entryLines, body.length, head);
  return headed ? { ...headed, ...(incomplete.length > 0 ? { incomplete } : {}) } : ok;
}

/** Does the chain end where the head says? One entry beyond it is a crash between writing the entry and the head, and is accepted. */
function headBreak(
  entries: AuditEntry[],
  entryLines: readonly number[],
  lineCount: number,
  head: AuditHead | null,
): ChainVerdict | undefined {
  const last = entries[entries.length - 1];
  const broken = (found: AuditBreak): ChainVerdict => ({
    ok: false,
    entries: entries.filter((_, k) => entryLines[k]! < found.line),
    break: found,
  });
  if (head === null) {
    if (!last) return undefined;
    return broken({
      line: lineCount + 1,
      what: 'missing',
      message: `The head record is missing, so entries deleted from the end could not be told: the trail holds ${entries.length} entries but nothing records how many it should hold`,
    });
  }
  const lastSeq = last?.seq ?? 0;
  if (lastSeq < head.seq) {
    const gap = lastSeq + 1 === head.seq ? `Entry ${head.seq} is` : `Entries ${lastSeq + 1} to ${head.seq} are`;
    return broken({
      line: lineCount + 1,
      seq: lastSeq + 1,
      what: 'missing',
      message: `${gap} missing from the end: the head records entry ${head.seq} (at ${head.at}), the trail ends at entry ${lastSeq}`,
      expected: `seq ${head.seq}`,
      found: `seq ${lastSeq}`,
    });
  }
  const atIndex = entries.findIndex((e) => e.seq === head.seq);
  const atHead = entries[atIndex];
  if (atHead && atHead.hash !== head.hash) {
    return broken({
      line: entryLines[atIndex]!,
      seq: head.seq,
      what: 'altered',
      message: `Entry ${head.seq} (line ${entryLines[atIndex]}) was rewritten and hashed again: it hashes to ${short(atHead.hash)}, but the head recorded ${short(head.hash)}`,
      expected: head.hash,
      found: atHead.hash,
    });
  }
  if (lastSeq > head.seq + 1) {
    const beyond = entries.findIndex((e) => e.seq === head.seq + 2);
    return broken({
      line: entryLines[beyond] ?? head.seq + 2,
      seq: head.seq + 2,
      what: 'inserted',
      message: `Entries ${head.seq + 2} to ${lastSeq} were added after the head (entry ${head.seq}), not by Shipdeck`,
      expected: `seq ${head.seq + 1} at most`,
      found: `seq ${lastSeq}`,
    });
  }
  return undefined;
}

/** The verdict in the renderer's shape. */
export function verificationOf(verdict: ChainVerdict): AuditVerification {
  const last = verdict.entries[verdict.entries.length - 1];
  return {
    ok: verdict.ok,
    entries: verdict.entries.length,
    ...(last ? { lastAt: last.at } : {}),
    ...(verdict.ok ? {} : { break: verdict.break }),
    ...(verdict.incomplete?.length ? { incomplete: verdict.incomplete } : {}),
  };
}

/** One line for people: "Audit trail intact: 42 entries, last at …" or where and how it broke. */
export function describeVerification(v: AuditVerification): string {
  if (!v.break) {
    const intact =
      v.entries === 0
        ? 'Audit trail empty: no entries yet'
        : `Audit trail intact: ${v.entries} ${v.entries === 1 ? 'entry' : 'entries'}, last at ${v.lastAt}`;
    return [intact, ...(v.incomplete ?? []).map((i) => i.message)].join('. ');
  }
  const where = v.break.seq !== undefined ? `entry ${v.break.seq} (line ${v.break.line})` : `line ${v.break.line}`;
  // A write cut short is an accident, not tampering: it never reads as "broken".
  if (v.break.what === 'incomplete') return `Audit trail incomplete at ${where}: ${v.break.message}`;
  return `Audit trail broken at ${where}: ${v.break.what} — ${v.break.message}`;
}
