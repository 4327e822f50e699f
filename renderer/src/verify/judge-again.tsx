import { useState, type FormEvent } from 'react';
import type { RunRecord } from '../../../shared/run';
import type { Judgement, Thresholds } from '../../../shared/verify';
import { api } from '../api';
import { DecisionCards } from './decision-cards';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';
import {
  fieldsOf,
  parseThresholds,
  thresholdFieldOrder,
  thresholdFieldSpecs,
  type ThresholdField,
  type ThresholdFields,
} from './threshold-fields';

const decisionWords: Record<Judgement['decision'], string> = {
  pass: 'would pass',
  rollback: 'would roll back',
  ask: 'would ask a person',
  wait: 'would wait for more samples',
};

/**
 * Replay: judge a finished run's samples again with other thresholds, to
 * tune a service's rules on its own history. Advisory only: the engine
 * deploys nothing and records nothing.
 */
export function JudgeAgain({ record, thresholds }: { record: RunRecord; thresholds: Thresholds }) {
  const [open, setOpen] = useState(false);
  const [fields, setFields] = useState<ThresholdFields>(() => fieldsOf(thresholds));
  const [errors, setErrors] = useState<Partial<Record<ThresholdField, string>>>({});
  const { busy, problem, run } = useAction();
  const [result, setResult] = useState<{ judgement: Judgement; thresholds: Thresholds } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseThresholds(fields, thresholds);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    await run(async () => {
      const judgement = await api.judgeAgain({ runId: record.id, thresholds: parsed.thresholds });
      setResult({ judgement, thresholds: parsed.thresholds });
    });
  };

  if (!open) {
    return (
      <button
        className="judge-again-open"
        onClick={() => setOpen(true)}
        title="Advisory: nothing is deployed or recorded"
      >
        Judge again with other thresholds…
      </button>
    );
  }

  const messages = thresholdFieldOrder.map((f) => errors[f]).filter((m): m is string => !!m);
  return (
    <section className="judge-again" aria-label="Judge again">
      <h4>Judge again</h4>
      <p className="muted small">The same samples, other thresholds. Advisory only: nothing is deployed or recorded.</p>
      <form
        className="threshold-form"
        aria-label="Thresholds to judge with"
        onSubmit={(e) => void submit(e)}
        noValidate
      >
        {thresholdFieldOrder.map((field) => {
          const spec = thresholdFieldSpecs[field];
          const id = `threshold-${field}`;
          return (
            <label key={field} htmlFor={id} title={spec.hint}>
              <span>
                {spec.label} <span className="muted">({spec.unit})</span>
              </span>
              <input
                id={id}
                inputMode={spec.integer ? 'numeric' : 'decimal'}
                value={fields[field]}
                aria-invalid={errors[field] ? true : undefined}
                aria-describedby={errors[field] ? `${id}-error` : undefined}
                onChange={(e) => setFields({ ...fields, [field]: e.target.value })}
              />
              {errors[field] && (
                <span id={`${id}-error`} className="field-error">
                  {errors[field]}
                </span>
              )}
            </label>
          );
        })}
        <div className="actions threshold-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Judging…' : 'Judge again'}
          </button>
          <button
            type="button"
            onClick={() => {
              setFields(fieldsOf(thresholds));
              setErrors({});
            }}
            disabled={busy}
          >
            The run&apos;s thresholds
          </button>
          <button type="button" className="quiet" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
        {messages.length > 0 && (
          <p className="sr-only" role="alert">
            {messages.join(' ')}
          </p>
        )}
      </form>
      {problem && <ProblemNotice problem={problem} title="Could not judge the run again" />}
      {result && (
        <section className="advisory" aria-label="Advisory judgement">
          <p className="advisory-note" role="status">
            <strong>Advisory: nothing was deployed or recorded.</strong> With these thresholds the run{' '}
            {decisionWords[result.judgement.decision]}: {result.judgement.reason}
          </p>
          <DecisionCards judgement={result.judgement} label="Advisory decision cards" advisory />
        </section>
      )}
    </section>
  );
}
