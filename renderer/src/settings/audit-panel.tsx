import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry } from '../../../shared/audit';
import { describeVerification, type AuditVerification } from '../../../shared/audit-chain';
import { problemOf } from '../../../shared/problem';
import { api } from '../api';
import { formatStarted } from '../common/format';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';

const shown = 20;

/** The local audit trail: its latest entries, and a check of its hash chain that names the first entry tampered with. */
export function AuditPanel() {
  const [entries, setEntries] = useState<readonly AuditEntry[] | null>(null);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const { busy, problem, setProblem, run } = useAction();

  const load = useCallback(async () => {
    try {
      setEntries(await api.listAudit({ limit: shown }));
    } catch (error) {
      setProblem(problemOf(error));
    }
  }, [setProblem]);

  useEffect(() => {
    void load();
  }, [load]);

  const verify = () =>
    run(async () => {
      setVerification(await api.verifyAudit({}));
      await load();
    });

  const now = Date.now();
  return (
    <section className="settings-form audit-panel" aria-label="Audit trail">
      <h3>Audit trail</h3>
      <p className="muted small">
        Every action is recorded in the data folder (<code>audit.ndjson</code>) with who, when, where and the result,
        each entry chained to the one before by its hash. Secrets are never written.
      </p>
      <div className="actions">
        <button type="button" onClick={() => void verify()} disabled={busy}>
          {busy ? 'Verifying…' : 'Verify audit trail'}
        </button>
        {verification?.ok && (
          <span className={verification.incomplete ? 'status warn' : 'status ok'} role="status">
            {describeVerification(verification)}
          </span>
        )}
      </div>
      {verification?.break?.what === 'incomplete' && (
        <ProblemNotice
          title="An audit entry was lost to an incomplete write"
          problem={{
            code: 'storage',
            message: describeVerification(verification),
            where: `audit.ndjson, line ${verification.break.line}`,
            hint: `A crash or a full disk cut the write short; this is not tampering. The ${verification.entries} entries before it are intact. Keep a copy of the file as it is.`,
          }}
        />
      )}
      {verification?.break && verification.break.what !== 'incomplete' && (
        <ProblemNotice
          title="The audit trail was tampered with"
          problem={{
            code: 'conflict',
            message: describeVerification(verification),
            where: `audit.ndjson, line ${verification.break.line}`,
            hint: `The ${verification.entries} entries before it are intact. Keep a copy of the file as it is, and find out who changed it.`,
          }}
        />
      )}
      {problem && <ProblemNotice problem={problem} title="Could not read the audit trail" />}
      {entries && entries.length === 0 && <p className="muted small">No entries yet.</p>}
      {entries && entries.length > 0 && (
        <div className="table-scroll">
          <table className="table" aria-label="Latest audit entries">
            <thead>
              <tr>
                <th>#</th>
                <th>When</th>
                <th>Who</th>
                <th>Where</th>
                <th>What</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={`${e.seq}-${e.hash}`}>
                  <td>{e.seq}</td>
                  <td title={e.at}>{formatStarted(e.at, now)}</td>
                  <td>{e.by ? `${e.by} (${e.who})` : e.who}</td>
                  <td>
                    <code>{e.where}</code>
                  </td>
                  <td>
                    {e.action}
                    {e.target ? ` ${e.target}` : ''}
                    {e.detail && <span className="muted small"> — {e.detail}</span>}
                  </td>
                  <td className={e.result === 'ok' ? 'status ok' : 'status warn'} title={e.message}>
                    {e.result}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
