import { useState, type FormEvent } from 'react';
import type { Problem } from '../../../shared/problem';
import { useOperator } from '../stores/operator-store';
import { ProblemNotice } from '../common/problem-notice';

/** A reason must say something: three characters at least. */
export const minReason = 3;

/**
 * A small inline form that records an act under a person's name: tick a
 * checklist item, waive it, override a gate, sign a run off. The name starts
 * as this Shipdeck's operator; another can be typed for this one act.
 */
export function ActForm({
  label,
  submit,
  text,
  onAct,
  onCancel,
}: {
  label: string;
  submit: string;
  /** The second field: a note (optional) or a reason (required). */
  text: { readonly label: string; readonly required: boolean; readonly placeholder?: string };
  onAct: (by: string, text: string) => Promise<Problem | null>;
  onCancel?: () => void;
}) {
  const operator = useOperator((s) => s.name);
  const [by, setBy] = useState(operator);
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const short = text.required && value.trim().length < minReason;

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!by.trim() || short) return;
    setBusy(true);
    setProblem(null);
    const refused = await onAct(by.trim(), value.trim());
    setBusy(false);
    setProblem(refused);
  };

  return (
    <form
      className="act-form"
      aria-label={label}
      onSubmit={send}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && onCancel) {
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <label>
        Your name
        <input
          value={by}
          onChange={(e) => setBy(e.target.value)}
          required
          autoComplete="name"
          autoFocus={!!onCancel && !operator}
        />
      </label>
      <label>
        {text.label}
        {!text.required && <span className="muted"> (optional)</span>}
        <input
          value={value}
          onChange={(e) => setValue(e.target.value)}
          required={text.required}
          minLength={text.required ? minReason : undefined}
          placeholder={text.placeholder}
          autoFocus={!!onCancel && !!operator}
          maxLength={1000}
        />
      </label>
      <div className="actions">
        <button type="submit" className="primary small-button" disabled={busy || !by.trim() || short}>
          {busy ? `${submit}…` : submit}
        </button>
        {onCancel && (
          <button type="button" className="small-button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {problem && <ProblemNotice problem={problem} title="Not recorded" />}
    </form>
  );
}
