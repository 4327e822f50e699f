import { useState, type FormEvent } from 'react';
import { dayNames, describeFreeze, freezeRuleProblems, type FreezeRule } from '../../../shared/freeze';
import { useFreezeRules } from '../stores/freeze-store';
import { ProblemNotice } from '../common/problem-notice';
import { useSettingsForm } from './use-settings-form';

// Monday first, as a working week reads; the values stay Date.getDay()'s.
const weekOrder = [1, 2, 3, 4, 5, 6, 0];

/** Freeze windows: the rules the engine keeps, edited here as a list and saved together. */
export function FreezeWindowsForm() {
  const [draft, setDraft] = useState<readonly FreezeRule[] | null>(null);
  const form = useSettingsForm(useFreezeRules, setDraft);
  const { settings: rules, loadProblem, problem, saved, busy } = form;

  const shown = draft ?? rules ?? [];
  const changed = draft !== null && rules !== null && draft !== rules;
  const edit = (next: readonly FreezeRule[]) => {
    setDraft(next);
    form.edited({ clearProblem: true });
  };

  const submit = () => form.save(shown);

  return (
    <section className="settings-form freeze-windows" aria-label="Freeze windows">
      <h3>Freeze windows</h3>
      <p className="muted small">
        While a window holds, a release to its environment stops at a gate: it goes on only with an override and a
        reason. Times are this machine’s local time.
      </p>
      {loadProblem && <ProblemNotice problem={loadProblem} title="Could not read the freeze windows" />}
      {shown.length === 0 ? (
        <p className="muted">No freeze windows: every environment takes deploys at any time.</p>
      ) : (
        <ul className="freeze-rules" aria-label="Freeze rules">
          {shown.map((rule) => (
            <li key={rule.id}>
              <span>{describeFreeze(rule)}</span>
              <button
                className="small-button quiet"
                aria-label={`Remove ${rule.label}`}
                onClick={() => edit(shown.filter((r) => r.id !== rule.id))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <AddFreezeWindow taken={shown.map((r) => r.id)} onAdd={(rule) => edit([...shown, rule])} />
      {problem && <ProblemNotice problem={problem} title="The freeze windows were not saved" />}
      <div className="actions">
        <button className="primary" onClick={() => void submit()} disabled={busy || !changed}>
          {busy ? 'Saving…' : 'Save freeze windows'}
        </button>
        {changed && !busy && <span className="muted small">unsaved changes</span>}
        {saved && !changed && (
          <span className="status ok" role="status">
            Saved
          </span>
        )}
      </div>
    </section>
  );
}

/** A new weekly or one-off window, checked field by field before it joins the list. */
function AddFreezeWindow({ taken, onAdd }: { taken: readonly string[]; onAdd: (rule: FreezeRule) => void }) {
  const [kind, setKind] = useState<FreezeRule['kind']>('weekly');
  const [environment, setEnvironment] = useState('production');
  const [label, setLabel] = useState('');
  const [days, setDays] = useState<readonly number[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problems, setProblems] = useState<readonly string[]>([]);

  const add = (event: FormEvent) => {
    event.preventDefault();
    const base =
      label
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'window';
    let id = base;
    for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
    const rule: FreezeRule =
      kind === 'weekly'
        ? {
            id,
            kind,
            environment: environment.trim(),
            label: label.trim(),
            days: [...days].sort(),
            from: from.trim(),
            to: to.trim(),
          }
        : { id, kind, environment: environment.trim(), label: label.trim(), from, to };
    const found = freezeRuleProblems(rule);
    setProblems(found);
    if (found.length > 0) return;
    onAdd(rule);
    setLabel('');
    setDays([]);
    setFrom('');
    setTo('');
  };
  const wrong = (field: string) => (problems.some((p) => p.startsWith(`${field}:`)) ? true : undefined);
  const chooseKind = (next: FreezeRule['kind']) => {
    setKind(next);
    setFrom('');
    setTo('');
    setProblems([]);
  };

  return (
    <form className="form freeze-add" aria-label="Add a freeze window" onSubmit={add}>
      <fieldset className="choice">
        <legend>New window</legend>
        <label className="inline">
          <input type="radio" name="freeze-kind" checked={kind === 'weekly'} onChange={() => chooseKind('weekly')} />{' '}
          Every week
        </label>
        <label className="inline">
          <input type="radio" name="freeze-kind" checked={kind === 'once'} onChange={() => chooseKind('once')} /> Once
          (dates)
        </label>
      </fieldset>
      <div className="form-row">
        <label className="narrow-env">
          Environment
          <input
            value={environment}
            onChange={(e) => setEnvironment(e.target.value)}
            aria-invalid={wrong('environment')}
            placeholder="production, or * for all"
            spellCheck={false}
          />
        </label>
        <label className="grow">
          Label
          <input
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            aria-invalid={wrong('label')}
            placeholder="Launch week"
          />
        </label>
      </div>
      {kind === 'weekly' ? (
        <>
          <fieldset className="choice days" aria-invalid={wrong('days')}>
            <legend>Days</legend>
            {weekOrder.map((d) => (
              <label key={d} className="inline">
                <input
                  type="checkbox"
                  checked={days.includes(d)}
                  onChange={(e) => setDays(e.target.checked ? [...days, d] : days.filter((x) => x !== d))}
                />{' '}
                {dayNames[d]}
              </label>
            ))}
          </fieldset>
          <div className="form-row">
            <label>
              From <span className="muted small">(HH:MM)</span>
              <input
                value={from}
                onChange={(e) => setFrom(e.target.value)}
                aria-invalid={wrong('from')}
                placeholder="12:00"
                inputMode="numeric"
              />
            </label>
            <label>
              To <span className="muted small">(HH:MM, 24:00 for midnight)</span>
              <input
                value={to}
                onChange={(e) => setTo(e.target.value)}
                aria-invalid={wrong('to')}
                placeholder="24:00"
                inputMode="numeric"
              />
            </label>
          </div>
        </>
      ) : (
        <div className="form-row">
          <label>
            From
            <input
              type="datetime-local"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              aria-invalid={wrong('from')}
            />
          </label>
          <label>
            To
            <input
              type="datetime-local"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-invalid={wrong('to')}
            />
          </label>
        </div>
      )}
      {problems.length > 0 && (
        <ul className="issues" aria-label="Problems in the new window">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="submit">Add window</button>
        <span className="muted small">Added windows count once saved.</span>
      </div>
    </form>
  );
}
