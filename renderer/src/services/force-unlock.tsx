import { useState, type FormEvent } from 'react';
import type { ServiceSpec } from '../../../shared/service-spec';
import { api } from '../api';
import { onEscape } from '../common/on-escape';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';

/**
 * Free a deploy lock that a run left behind (a laptop that died mid-release).
 * It needs a reason, which each host records in its audit file with who held the lock.
 */
export function ForceUnlock({ spec }: { spec: ServiceSpec }) {
  const environments = Object.keys(spec.servers);
  const [open, setOpen] = useState(false);
  const [environment, setEnvironment] = useState(environments[0] ?? '');
  const [reason, setReason] = useState('');
  const { busy, problem, run } = useAction();
  const [done, setDone] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const result = await api.forceUnlock({ service: spec.service, environment, reason: reason.trim() });
      const held = result.hosts.filter((h) => h.heldBy);
      setDone(
        held.length === 0
          ? `No lock was held on ${result.hosts.map((h) => h.server).join(', ')}.`
          : `Freed the lock on ${held.map((h) => `${h.server} (held by ${h.heldBy})`).join('; ')}.`,
      );
      setReason('');
      setOpen(false);
    });
  };

  if (!open) {
    return (
      <div className="force-unlock">
        <button
          onClick={() => (setOpen(true), setDone(null))}
          title="Free a deploy lock left by a run that will not finish"
        >
          Force unlock…
        </button>
        {done && (
          <p className="status ok small" role="status">
            {done}
          </p>
        )}
      </div>
    );
  }
  return (
    <form
      className="form force-unlock"
      aria-label="Force unlock"
      onSubmit={submit}
      onKeyDown={onEscape(() => setOpen(false))}
    >
      <p className="muted small">
        Only for a lock no run will release: a run still working keeps its lock. The reason is written to each host's
        audit file.
      </p>
      <label>
        Environment
        <select value={environment} onChange={(e) => setEnvironment(e.target.value)}>
          {environments.map((env) => (
            <option key={env} value={env}>
              {env}
            </option>
          ))}
        </select>
      </label>
      <label>
        Reason
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          minLength={3}
          autoFocus
          placeholder="e.g. Ana's laptop died during the release"
        />
      </label>
      {problem && <ProblemNotice problem={problem} title="The lock was not freed" />}
      <div className="actions">
        <button type="submit" className="danger" disabled={busy || reason.trim().length < 3}>
          {busy ? 'Freeing…' : `Free the lock of ${spec.service}`}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
