/**
 * The thresholds a person may change to judge a past run again, as the
 * fields of a form: shares shown in percent, times in milliseconds, each
 * checked with a message that says what is wrong and what is allowed.
 */
import type { Thresholds } from '../../../shared/verify';

export type ThresholdField = 'investigate' | 'rollback' | 'p95' | 'max' | 'degradation' | 'healthFailures';

export type ThresholdFields = Readonly<Record<ThresholdField, string>>;

/** Each field's label, unit and allowed range; `integer` fields take whole numbers only. */
export const thresholdFieldSpecs: Readonly<
  Record<ThresholdField, { label: string; unit: string; min: number; max: number; integer?: boolean; hint: string }>
> = {
  investigate: {
    label: 'Error rate that asks',
    unit: '%',
    min: 0,
    max: 100,
    hint: 'at or over it, the run pauses and asks',
  },
  rollback: {
    label: 'Error rate that rolls back',
    unit: '%',
    min: 0,
    max: 100,
    hint: 'over it, Shipdeck rolls back at once',
  },
  p95: {
    label: 'p95 latency limit',
    unit: 'ms',
    min: 1,
    max: 600_000,
    integer: true,
    hint: 'a p95 over it is critical',
  },
  max: {
    label: 'Slowest answer limit',
    unit: 'ms',
    min: 1,
    max: 600_000,
    integer: true,
    hint: 'answers slower than it (p99) roll back',
  },
  degradation: {
    label: 'Allowed slowdown',
    unit: '%',
    min: 0,
    max: 100,
    hint: "slower than the baseline's median by more rolls back",
  },
  healthFailures: {
    label: 'Health failures in a row',
    unit: 'checks',
    min: 1,
    max: 100,
    integer: true,
    hint: 'that many failed checks in a row roll back',
  },
};

export const thresholdFieldOrder: readonly ThresholdField[] = [
  'investigate',
  'rollback',
  'p95',
  'max',
  'degradation',
  'healthFailures',
];

/** A share (0..1) in percent, without float noise (0.07 → "7"). */
const percent = (share: number) => String(Number((share * 100).toPrecision(10)));

/** The form's fields as the thresholds a run judged with. */
export function fieldsOf(t: Thresholds): ThresholdFields {
  return {
    investigate: percent(t.errorRate.investigate),
    rollback: percent(t.errorRate.rollback),
    p95: String(t.latencyMs.p95),
    max: String(t.latencyMs.max),
    degradation: percent(t.degradation),
    healthFailures: String(t.healthFailures),
  };
}

export type ParsedThresholds =
  | { readonly ok: true; readonly thresholds: Thresholds }
  | { readonly ok: false; readonly errors: Partial<Record<ThresholdField, string>> };

/**
 * Read the form: every field a number in its range, and the pairs in order
 * (asking below rolling back, p95 at most the slowest answer). What the form
 * does not show (noise floor, significance, consecutive errors) stays as `base` has it.
 */
export function parseThresholds(fields: ThresholdFields, base: Thresholds): ParsedThresholds {
  const errors: Partial<Record<ThresholdField, string>> = {};
  const values: Partial<Record<ThresholdField, number>> = {};
  for (const field of thresholdFieldOrder) {
    const spec = thresholdFieldSpecs[field];
    const text = fields[field].trim().replace(',', '.');
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) errors[field] = `${spec.label}: enter a number (${spec.unit}).`;
    else if (spec.integer && !Number.isInteger(value))
      errors[field] = `${spec.label}: enter a whole number of ${spec.unit}.`;
    else if (value < spec.min || value > spec.max)
      errors[field] = `${spec.label}: between ${spec.min} and ${spec.max.toLocaleString('en')} ${spec.unit}.`;
    else values[field] = value;
  }
  if (values.investigate !== undefined && values.rollback !== undefined && values.investigate > values.rollback)
    errors.investigate = `${thresholdFieldSpecs.investigate.label} (${values.investigate}%) must not be over the one that rolls back (${values.rollback}%).`;
  if (values.p95 !== undefined && values.max !== undefined && values.p95 > values.max)
    errors.p95 = `${thresholdFieldSpecs.p95.label} (${values.p95} ms) must not be over the slowest answer limit (${values.max} ms).`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const v = values as Record<ThresholdField, number>;
  return {
    ok: true,
    thresholds: {
      ...base,
      errorRate: { investigate: v.investigate / 100, rollback: v.rollback / 100 },
      latencyMs: { p95: v.p95, max: v.max },
      degradation: v.degradation / 100,
      healthFailures: v.healthFailures,
    },
  };
}
