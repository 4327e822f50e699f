import type { ChecklistSpec } from './checklist';
import type { Thresholds, VerifySpec } from './verify';

/**
 * A service as its YAML spec describes it, after validation: durations in
 * milliseconds, defaults filled in. A release keeps the spec it ran with, so
 * a rollback uses the configuration of its own time.
 */
export interface ServiceSpec {
  readonly service: string;
  /** Image name without tag; a release names the tag. */
  readonly image: string;
  /** The port the app listens on inside the container (host networking: the new release gets its own). */
  readonly port: number;
  /** Server names per environment. */
  readonly servers: Readonly<Record<string, readonly string[]>>;
  readonly proxy: 'nginx';
  readonly healthcheck: HealthcheckSpec;
  readonly strategy: StrategySpec;
  /** Previous releases kept per host (the newest warm, the rest stopped). */
  readonly retain: number;
  /** Shell commands run on each host in BACKUP; `{{release}}` is replaced by the version. */
  readonly backup: readonly BackupSpec[];
  readonly hooks: { readonly preDeploy: readonly string[]; readonly postDeploy: readonly string[] };
  /** Environment variables for the container (values are not secrets; secrets come later). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Names of variables the container also gets, whose values Shipdeck keeps
   * encrypted (set on the service page, never written in the spec); they are
   * shown as *** in plans, output and logs.
   */
  readonly secrets: readonly string[];
  /** Present when the spec lists `metrics`: VERIFY then samples and judges the release against its baseline. */
  readonly verification?: VerificationSpec;
  /**
   * required: a production release must have passed on staging first (the
   * default when the spec has a staging environment); optional: only high-class
   * releases must.
   */
  readonly staging: 'required' | 'optional';
  /** The service's changes to the built-in checklists, per environment or `all`. */
  readonly checklist?: ChecklistSpec;
}

/** What VERIFY measures and the rules it judges by (`metrics`, `verify` and `thresholds` in the spec). */
export interface VerificationSpec {
  readonly verify: VerifySpec;
  readonly thresholds: Thresholds;
}

export interface HealthcheckSpec {
  readonly path: string;
  readonly status: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
}

export type StrategySpec = { readonly kind: 'blue-green' } | { readonly kind: 'rolling'; readonly batch: number };

export interface BackupSpec {
  readonly command: string;
  /** The file the command writes; checked to exist and not be empty. */
  readonly artifact?: string;
}

/** One thing wrong with a spec: where (file, line, field) and what is expected. */
export interface SpecIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted path such as `healthcheck.retries`. */
  readonly field: string;
  readonly message: string;
}

export type SpecResult =
  { readonly ok: true; readonly spec: ServiceSpec } | { readonly ok: false; readonly issues: readonly SpecIssue[] };

/** The largest spec Shipdeck reads (UTF-8 bytes): far above any real one, well below the socket's message limit. */
export const maxSpecBytes = 256 * 1024;

/** A spec's size in UTF-8 bytes, counted without encoding it. */
export function specBytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The one issue of a spec over the size limit, saying the limit; undefined for one within it. */
export function specSizeIssue(text: string, file = 'spec'): SpecIssue | undefined {
  const bytes = specBytes(text);
  if (bytes <= maxSpecBytes) return undefined;
  const kib = (n: number) => `${Math.ceil(n / 1024).toLocaleString('en')} KiB`;
  return {
    file,
    line: 1,
    column: 1,
    field: '',
    message: `The spec is ${kib(bytes)}; Shipdeck reads specs of at most ${kib(maxSpecBytes)}. Shorten it (a paste may have gone in twice).`,
  };
}
