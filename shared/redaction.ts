import { redactor } from './commands/command';

/**
 * The one way secrets leave anything Shipdeck sends or keeps: every text,
 * and every string inside a value, with each secret as `***`. The engine
 * makes one and hands it to each writer and sender (journal, replies,
 * events, audit, incidents, reports, its log).
 */
export interface Redaction {
  /** A text with every secret as ***. */
  text(text: string): string;
  /** A copy of a value with every string in it redacted (a PDF's base64 is left whole: it is printed from redacted text). */
  value<T>(value: T): T;
  /** The longest secret's length: how far back the end of a stream may still hold the start of one. */
  longest(): number;
}

/** A Redaction of a fixed list of secrets (tests, and the engine's list as it is now). */
export function redactionOf(secrets: readonly string[]): Redaction {
  const text = redactor(secrets);
  const longest = Math.max(0, ...secrets.map((s) => s.length));
  // With no secret there is nothing to take out: values go as they are, uncopied.
  return {
    text,
    value: longest === 0 ? (value) => value : (value) => redactValue(value, text),
    longest: () => longest,
  };
}

/**
 * A text the user edits was shown redacted (a spec whose hook holds a secret):
 * each line that comes back exactly as it was shown gets its secret back, so
 * saving an edit elsewhere in the text never turns a secret into ***.
 */
export function keepRedactedLines(
  edited: string,
  before: string | undefined,
  redact: (text: string) => string,
): string {
  if (before === undefined) return edited;
  const shown = new Map<string, string>();
  for (const line of before.split('\n')) {
    const redacted = redact(line);
    if (redacted !== line) shown.set(redacted, line);
  }
  if (shown.size === 0) return edited;
  return edited
    .split('\n')
    .map((line) => shown.get(line) ?? line)
    .join('\n');
}

/** Every string in a value redacted, objects and arrays copied; a value without a string comes back as it was. */
export function redactValue<T>(value: T, text: (text: string) => string): T {
  return walk(value, text) as T;
}

function walk(value: unknown, text: (text: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => walk(item, text));
  // Only plain records are copied; anything else (bytes, a Date) is not text and goes as it is.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = key === 'base64' ? item : walk(item, text);
  return out;
}

/**
 * A stream's text redacted as it comes: a secret split across two chunks is
 * still caught, because the last (longest − 1) characters wait for the next
 * chunk (or the end) before they go out. Output stays live otherwise.
 */
export class StreamRedaction {
  private held = '';

  constructor(private readonly redaction: Redaction) {}

  /** The part of the text so far that can go out now (possibly empty). */
  push(chunk: string): string {
    const clean = this.redaction.text(this.held + chunk);
    // A secret that started before the kept tail ended inside `clean`, and is replaced already.
    const keep = Math.min(clean.length, Math.max(0, this.redaction.longest() - 1));
    this.held = clean.slice(clean.length - keep);
    return clean.slice(0, clean.length - keep);
  }

  /** What is left at the end of the stream. */
  end(): string {
    const rest = this.redaction.text(this.held);
    this.held = '';
    return rest;
  }
}
