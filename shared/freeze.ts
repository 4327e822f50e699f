/**
 * Freeze windows: times when an environment takes no deploys without an
 * override and a reason. Weekly rules repeat (days and hours, local time);
 * one-off rules cover a stretch of dates (a launch, a holiday).
 */

import { ProblemError } from './problem';

export type FreezeRule =
  | {
      readonly id: string;
      readonly kind: 'weekly';
      readonly environment: string;
      readonly label: string;
      /** 0 is Sunday, as in Date.getDay(). */
      readonly days: readonly number[];
      /** Local time of day, HH:MM; `to` may be 24:00 for the end of the day. */
      readonly from: string;
      readonly to: string;
    }
  | {
      readonly id: string;
      readonly kind: 'once';
      readonly environment: string;
      readonly label: string;
      /** Local date and time, YYYY-MM-DDTHH:MM; the window is [from, to). */
      readonly from: string;
      readonly to: string;
    };

/** The practice's default: no production deploys on Friday after 12:00 or on weekends. */
export const defaultFreezeRules: readonly FreezeRule[] = [
  {
    id: 'friday-afternoon',
    kind: 'weekly',
    environment: 'production',
    label: 'Friday afternoon',
    days: [5],
    from: '12:00',
    to: '24:00',
  },
  {
    id: 'weekend',
    kind: 'weekly',
    environment: 'production',
    label: 'Weekend',
    days: [6, 0],
    from: '00:00',
    to: '24:00',
  },
];

export const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const timeOfDay = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const localDateTime = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A Date as local YYYY-MM-DDTHH:MM (what one-off rules are written in). */
export function localStamp(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** Does this rule freeze `environment` at `at` (local time)? */
export function freezes(rule: FreezeRule, environment: string, at: Date): boolean {
  if (rule.environment !== environment && rule.environment !== '*') return false;
  if (rule.kind === 'once') {
    const now = localStamp(at);
    return now >= rule.from && now < rule.to;
  }
  if (!rule.days.includes(at.getDay())) return false;
  const minute = at.getHours() * 60 + at.getMinutes();
  return minute >= minutesOf(rule.from) && minute < minutesOf(rule.to);
}

/** The first rule that freezes the environment now, if any. */
export function freezeAt(rules: readonly FreezeRule[], environment: string, at: Date): FreezeRule | undefined {
  return rules.find((rule) => freezes(rule, environment, at));
}

/** A rule in words: "production: Friday 12:00–24:00 (Friday afternoon)". */
export function describeFreeze(rule: FreezeRule): string {
  const when =
    rule.kind === 'weekly'
      ? `${rule.days.map((d) => dayNames[d]).join(', ')} ${rule.from}–${rule.to}`
      : `${rule.from.replace('T', ' ')} to ${rule.to.replace('T', ' ')}`;
  return `${rule.environment === '*' ? 'every environment' : rule.environment}: ${when} (${rule.label})`;
}

/** What is wrong with a rule, field by field; empty when it is valid. */
export function freezeRuleProblems(rule: FreezeRule): string[] {
  const problems: string[] = [];
  if (!rule.label.trim()) problems.push('label: give the window a name');
  if (!/^(\*|[A-Za-z0-9_-]{1,32})$/.test(rule.environment))
    problems.push('environment: an environment name, or * for every one');
  if (rule.kind === 'weekly') {
    if (rule.days.length === 0 || rule.days.some((d) => !Number.isInteger(d) || d < 0 || d > 6))
      problems.push('days: one or more of 0 (Sunday) to 6 (Saturday)');
    if (!timeOfDay.test(rule.from) || rule.from === '24:00') problems.push('from: a time of day, HH:MM');
    if (!timeOfDay.test(rule.to)) problems.push('to: a time of day, HH:MM (24:00 for midnight)');
    if (timeOfDay.test(rule.from) && timeOfDay.test(rule.to) && minutesOf(rule.to) <= minutesOf(rule.from))
      problems.push('to: must be after from (split a window that crosses midnight in two)');
  } else {
    if (!localDateTime.test(rule.from)) problems.push('from: a local date and time, YYYY-MM-DDTHH:MM');
    if (!localDateTime.test(rule.to)) problems.push('to: a local date and time, YYYY-MM-DDTHH:MM');
    if (localDateTime.test(rule.from) && localDateTime.test(rule.to) && rule.to <= rule.from)
      problems.push('to: must be after from');
  }
  return problems;
}

/** Refuse a list of windows in which two share an id (the editor tells windows apart by it). */
export function checkFreezeRuleIds(rules: readonly FreezeRule[]): void {
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.id))
      throw new ProblemError({
        code: 'bad-request',
        message: `Two freeze windows share the id ${rule.id}`,
        where: `rules.${rule.id}`,
        hint: 'Give each window its own id.',
      });
    ids.add(rule.id);
  }
}
