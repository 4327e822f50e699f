import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditLine, canonical, chainEntry, entryHash, genesisHash, type AuditEntry } from '../../../shared/audit';
import { describeVerification, verificationOf, verifyChain, type AuditHead } from '../../../shared/audit-chain';
import { pendingAction, requestRecord, runRecord } from '../../../electron/engine/audit/audited-actions';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A chain of `n` entries as the trail writes it: its lines (ending with '') and its head. */
function chain(n: number): { entries: AuditEntry[]; lines: string[]; head: AuditHead } {
  const entries: AuditEntry[] = [];
  for (let i = 1; i <= n; i++) {
    entries.push(
      chainEntry(
        {
          at: `2025-06-0${1 + (i % 9)}T10:00:00.000Z`,
          who: 'ana@laptop',
          where: `lab-${i}`,
          action: 'connectServer',
          result: i % 4 === 0 ? 'unreachable' : 'ok',
        },
        entries[entries.length - 1],
        sha256,
      ),
    );
  }
  const last = entries[entries.length - 1]!;
  return { entries, lines: linesOf(entries), head: { seq: last.seq, hash: last.hash, at: last.at } };
}

const linesOf = (entries: readonly AuditEntry[]) => entries.map(auditLine).join('').split('\n');

/** An entry changed and hashed again, as someone who knows the format would. */
function rehashed(entry: AuditEntry, change: Partial<AuditEntry>): AuditEntry {
  const { hash: _old, ...content } = { ...entry, ...change };
  return { ...content, hash: entryHash(content, sha256) };
}

function breakOf(lines: readonly string[], head?: AuditHead | null) {
  const verdict = verifyChain(lines, sha256, head);
  if (verdict.ok) throw new Error('the chain verified');
  return { ...verdict.break, intact: verdict.entries.length };
}

describe('the audit chain', () => {
  it('verifies a chain as written, with its head', () => {
    const { entries, lines, head } = chain(6);
    expect(entries[0]!.prev).toBe(genesisHash);
    expect(entries[1]!.prev).toBe(entries[0]!.hash);
    expect(verifyChain(lines, sha256, head)).toEqual({ ok: true, entries });
    expect(verifyChain([], sha256, null)).toEqual({ ok: true, entries: [] });
    expect(describeVerification(verificationOf(verifyChain(lines, sha256, head)))).toBe(
      `Audit trail intact: 6 entries, last at ${entries[5]!.at}`,
    );
  });

  it('serialises canonically: the same entry whatever order its keys were built in', () => {
    expect(canonical({ hash: 'h', seq: 1, where: 'w', at: 'a' })).toBe('{"seq":1,"at":"a","where":"w","hash":"h"}');
    expect(canonical({ zeta: 1, seq: 2, alpha: { b: 1, a: 2 }, gone: undefined })).toBe(
      '{"seq":2,"alpha":{"a":2,"b":1},"zeta":1}',
    );
  });

  it('names an edited entry, and one whose extra field was slipped in', () => {
    const { lines, head } = chain(6);
    const edited = [...lines];
    edited[2] = edited[2]!.replace('"result":"ok"', '"result":"unreachable"');
    expect(breakOf(edited, head)).toMatchObject({ line: 3, seq: 3, what: 'altered', intact: 2 });
    const added = [...lines];
    added[3] = added[3]!.replace('{"seq":4,', '{"seq":4,"note":"approved by the CTO",');
    expect(breakOf(added, head)).toMatchObject({ line: 4, seq: 4, what: 'altered' });
  });

  it('names an entry edited and hashed again: the next one no longer links to it', () => {
    const { entries, head } = chain(6);
    const forged = entries.map((e) => (e.seq === 3 ? rehashed(e, { where: 'somewhere-else' }) : e));
    expect(breakOf(linesOf(forged), head)).toMatchObject({ line: 3, seq: 3, what: 'altered', intact: 2 });
  });

  it('names a deleted entry in the middle', () => {
    const { entries, head } = chain(6);
    const b = breakOf(linesOf(entries.filter((e) => e.seq !== 4)), head);
    expect(b).toMatchObject({ line: 4, seq: 4, what: 'missing', intact: 3 });
    expect(b.message).toContain('Entry 4 is missing before entry 5');
  });

  it('names the first entries deleted', () => {
    const { entries, head } = chain(6);
    expect(breakOf(linesOf(entries.slice(2)), head)).toMatchObject({
      line: 1,
      seq: 1,
      what: 'missing',
      message: expect.stringContaining('Entries 1 to 2 are missing'),
    });
  });

  it('names the last entries deleted, through the head', () => {
    const { entries, head } = chain(6);
    expect(breakOf(linesOf(entries.slice(0, 5)), head)).toMatchObject({ line: 6, seq: 6, what: 'missing', intact: 5 });
    expect(breakOf(linesOf(entries.slice(0, 3)), head)).toMatchObject({
      line: 4,
      seq: 4,
      what: 'missing',
      message: expect.stringContaining('Entries 4 to 6 are missing from the end'),
    });
    // Without its head, a shortened chain is still a chain: that is why the head is kept.
    expect(verifyChain(linesOf(entries.slice(0, 5)), sha256).ok).toBe(true);
    expect(breakOf(linesOf(entries), null)).toMatchObject({
      what: 'missing',
      message: expect.stringContaining('head record is missing'),
    });
  });

  it('names the last entry edited and hashed again, through the head', () => {
    const { entries, head } = chain(6);
    const forged = [...entries.slice(0, 5), rehashed(entries[5]!, { result: 'unreachable' })];
    expect(breakOf(linesOf(forged), head)).toMatchObject({ line: 6, seq: 6, what: 'altered' });
  });

  it('names two entries swapped', () => {
    const { entries, head } = chain(6);
    const swapped = [entries[0]!, entries[1]!, entries[3]!, entries[2]!, entries[4]!, entries[5]!];
    const b = breakOf(linesOf(swapped), head);
    expect(b).toMatchObject({ line: 3, seq: 4, what: 'reordered', intact: 2 });
    expect(b.message).toContain('entry 3 comes later, at line 4');
    const lastTwo = [...entries.slice(0, 4), entries[5]!, entries[4]!];
    expect(breakOf(linesOf(lastTwo), head)).toMatchObject({ line: 5, seq: 6, what: 'reordered' });
  });

  it('names a forged entry inserted, hashed or not', () => {
    const { entries, head } = chain(6);
    const naive = { ...entries[2]!, where: 'prod-1', action: 'confirmRun' };
    expect(breakOf(linesOf([...entries.slice(0, 3), naive, ...entries.slice(3)]), head)).toMatchObject({
      line: 4,
      seq: 3,
      what: 'altered',
    });
    // A forger who numbers and links the entry as the trail would: it shares a seq with the real entry after it.
    const forged = chainEntry(
      { at: entries[2]!.at, who: 'ana@laptop', where: 'prod-1', action: 'confirmRun', result: 'ok' },
      entries[2],
      sha256,
    );
    const b = breakOf(linesOf([...entries.slice(0, 3), forged, ...entries.slice(3)]), head);
    expect(b).toMatchObject({ line: 4, seq: 4, what: 'inserted', intact: 3 });
    expect(b.message).toContain('the one at line 4 is not part of the chain');
    // Appended after the last one, beyond what the head allows for a crash.
    const two = chainEntry({ at: 'x', who: 'x', where: 'x', action: 'x', result: 'ok' }, entries[5], sha256);
    const three = chainEntry({ at: 'y', who: 'y', where: 'y', action: 'y', result: 'ok' }, two, sha256);
    expect(verifyChain(linesOf([...entries, two]), sha256, head).ok).toBe(true);
    expect(breakOf(linesOf([...entries, two, three]), head)).toMatchObject({ line: 8, seq: 8, what: 'inserted' });
  });

  it('names a line that is not an entry, and a last line cut short that is not a torn entry', () => {
    const { lines, head } = chain(6);
    const garbled = [...lines];
    garbled[1] = 'added by hand';
    expect(breakOf(garbled, head)).toMatchObject({ line: 2, what: 'unparseable', intact: 1 });
    expect(describeVerification(verificationOf(verifyChain(garbled, sha256, head)))).toMatch(
      /^Audit trail broken at line 2: unparseable — Line 2 is not an audit entry/,
    );
    const tail = [...lines.slice(0, -1), 'edited {"seq":7'];
    expect(breakOf(tail, head)).toMatchObject({ line: 7, what: 'truncated', intact: 6 });
  });

  describe('a write cut short by a crash or a full disk', () => {
    /** The trail as a full disk leaves it: entry `seq`'s line cut after `keep` bytes, nothing after it. */
    const tornAt = (lines: readonly string[], seq: number, keep = 40) => [
      ...lines.slice(0, seq - 1),
      lines[seq - 1]!.slice(0, keep),
    ];

    it('is an incomplete last write, not tampering, when the head never recorded it', () => {
      const { entries, lines } = chain(6);
      const torn = tornAt(lines, 6);
      const headAt5 = { seq: 5, hash: entries[4]!.hash, at: entries[4]!.at };
      const verdict = verifyChain(torn, sha256, headAt5);
      expect(verdict).toMatchObject({ ok: true, incomplete: [{ line: 6, seq: 6 }] });
      expect(verdict.entries).toHaveLength(5);
      const said = describeVerification(verificationOf(verdict));
      expect(said).toBe(
        `Audit trail intact: 5 entries, last at ${entries[4]!.at}. Line 6 holds an incomplete last write of entry 6, cut short by a crash or a full disk: it is not an entry, and no entry is missing`,
      );
      expect(said).not.toMatch(/broken|tamper|inserted|altered|added after/);
      // Torn before its seq was even written: still a torn write.
      expect(verifyChain([...lines.slice(0, 5), '{"se'], sha256, headAt5)).toMatchObject({
        ok: true,
        incomplete: [{ line: 6 }],
      });
    });

    it('names the entry lost, as incomplete and not as tampering, when the head had recorded it', () => {
      const { lines, head } = chain(6);
      const b = breakOf(tornAt(lines, 6), head);
      expect(b).toMatchObject({ line: 6, seq: 6, what: 'incomplete', intact: 5 });
      const said = describeVerification(verificationOf(verifyChain(tornAt(lines, 6), sha256, head)));
      expect(said).toMatch(
        /^Audit trail incomplete at entry 6 \(line 6\): Entry 6 \(line 6\) is incomplete: its write was cut short by a crash or a full disk/,
      );
      expect(said).not.toMatch(/broken|inserted|altered|added after/);
    });

    it('stays intact once the next entry is written on a fresh line and goes on from the last whole one', () => {
      const { entries, lines } = chain(5);
      // Entry 6 torn and rolled back by nobody (a crash); the engine restarts and writes 6 again, on a line of its own.
      const again = chainEntry(
        { at: 'later', who: 'ana@laptop', where: 'lab-6', action: 'connectServer', result: 'ok' },
        entries[4],
        sha256,
      );
      const seven = chainEntry(
        { at: 'later', who: 'ana@laptop', where: 'lab-7', action: 'connectServer', result: 'ok' },
        again,
        sha256,
      );
      const torn = auditLine({ ...again, where: 'lab-x' }).slice(0, 50);
      const trail = [...lines.slice(0, -1), torn, ...linesOf([again, seven])];
      const verdict = verifyChain(trail, sha256, { seq: 7, hash: seven.hash, at: seven.at });
      expect(verdict).toMatchObject({ ok: true, incomplete: [{ line: 6, seq: 6 }] });
      expect(verdict.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(describeVerification(verificationOf(verdict))).toMatch(
        /^Audit trail intact: 7 entries.*Line 6 holds an incomplete write of entry 6/,
      );
    });

    it('still shows tampering after a torn line', () => {
      const { entries, lines, head } = chain(6);
      const trail = [
        ...lines.slice(0, 3),
        lines[3]!.slice(0, 30),
        auditLine({ ...entries[3]!, where: 'prod-9' }).trimEnd(),
        ...lines.slice(4),
      ];
      expect(breakOf(trail, head)).toMatchObject({ line: 5, seq: 4, what: 'altered' });
      // A torn line cannot stand for an entry deleted two back.
      const hidden = [...lines.slice(0, 2), lines[2]!.slice(0, 30), ...lines.slice(4)];
      expect(breakOf(hidden, head)).toMatchObject({ what: 'missing', seq: 3 });
    });

    it('names an entry glued onto a torn one (written before appends were rolled back) as incomplete', () => {
      const { lines, head } = chain(13);
      // Entry 12 cut off, entry 13 glued onto it: what a full disk left before this fix.
      const glued = [...lines.slice(0, 11), `${lines[11]!.slice(0, 60)}${lines[12]!}`, ''];
      const b = breakOf(glued, head);
      expect(b).toMatchObject({ line: 12, seq: 12, what: 'incomplete', intact: 11 });
      expect(b.message).toContain('entry 13 was written onto the same line');
      // The same, with entry 13 on a line of its own after the torn 12 (a restart that saw the torn tail).
      const apart = [...lines.slice(0, 11), lines[11]!.slice(0, 60), lines[12]!, ''];
      expect(breakOf(apart, head)).toMatchObject({ line: 12, seq: 12, what: 'incomplete', intact: 11 });
    });
  });

  it('names a chain whose start was replaced', () => {
    const { entries, head } = chain(3);
    const first = rehashed(entries[0]!, { prev: 'f'.repeat(64) });
    expect(breakOf(linesOf([first, ...entries.slice(1)]), head)).toMatchObject({ line: 1, seq: 1, what: 'altered' });
  });
});

describe('what an entry says about an action', () => {
  const names = { serverName: (id: string) => (id === 's1' ? 'prod-1' : id), specName: () => 'web' };
  const redact = (text: string) => text.split('hunter2').join('***');

  it('never reads a secret from the request, and redacts what it writes', () => {
    const draft = {
      name: 'prod-1',
      host: '10.0.0.5',
      port: 22,
      user: 'deploy',
      auth: { kind: 'password' as const, secret: 'hunter2' },
      environment: 'production',
      labels: [],
      dockerSocket: '',
    };
    const added = requestRecord(
      pendingAction('addServer', draft, names)!,
      { ok: true, value: {} },
      'ana@laptop',
      redact,
    );
    expect(added).toMatchObject({
      who: 'ana@laptop',
      where: 'prod-1',
      action: 'addServer',
      detail: 'deploy@10.0.0.5:22 (password), environment production',
      result: 'ok',
    });
    const secret = requestRecord(
      pendingAction('setServiceSecret', { service: 'web', name: 'DB_PASSWORD', value: 'hunter2' }, names)!,
      { ok: true, value: {} },
      'ana@laptop',
      redact,
    );
    expect(secret).toMatchObject({ where: 'web', target: 'DB_PASSWORD', detail: 'set' });
    const rollback = requestRecord(
      pendingAction('rollbackRun', { runId: 'r1', reason: 'the password hunter2 leaked' }, names)!,
      { ok: false, problem: { code: 'not-found', message: 'No run r1 (hunter2)' } },
      'ana@laptop',
      redact,
    );
    expect(rollback).toMatchObject({
      where: 'r1',
      detail: 'the password *** leaked',
      result: 'not-found',
      message: 'No run r1 (***)',
    });
    expect(JSON.stringify([added, secret, rollback])).not.toContain('hunter2');
  });

  it('names the person who gave a name, the server by its name, and leaves reads out', () => {
    expect(
      requestRecord(
        pendingAction(
          'overrideGate',
          { runId: 'r1', key: 'freeze', by: 'Ana', reason: 'hotfix for the outage' },
          names,
        )!,
        { ok: true, value: {} },
        'ana@laptop',
        redact,
      ),
    ).toMatchObject({ by: 'Ana', where: 'r1', target: 'freeze', detail: 'hotfix for the outage' });
    expect(
      requestRecord(
        pendingAction('restartContainer', { serverId: 's1', containerId: 'web-v2' }, names)!,
        { ok: true, value: {} },
        'ana@laptop',
        redact,
      ),
    ).toMatchObject({ where: 'prod-1', target: 'web-v2' });
    expect(pendingAction('listServers', {}, names)).toBeUndefined();
    expect(pendingAction('getRun', { runId: 'r1' }, names)).toBeUndefined();
    expect(pendingAction('judgeAgain', { runId: 'r1' }, names)).toBeUndefined();
  });

  it('records what a run does by itself: phases and status, with why it rolled back', () => {
    expect(
      runRecord({ runId: 'r1', kind: 'phase', phase: { phase: 'DEPLOY', state: 'running' } }, 'ana@laptop', redact),
    ).toMatchObject({ where: 'r1', action: 'run-phase', target: 'DEPLOY', detail: 'DEPLOY running', result: 'ok' });
    expect(
      runRecord(
        {
          runId: 'r1',
          kind: 'status',
          status: 'rolled-back',
          problem: { code: 'verify-failed', message: 'Rolled back by Shipdeck: error rate 15%' },
        },
        'ana@laptop',
        redact,
      ),
    ).toMatchObject({
      action: 'run-status',
      target: 'rolled-back',
      result: 'verify-failed',
      message: 'Rolled back by Shipdeck: error rate 15%',
    });
    expect(runRecord({ runId: 'r1', kind: 'waiting' }, 'ana@laptop', redact)).toBeUndefined();
  });
});
