/** Where a followed container log starts: the last lines, or a span of time back. */
export interface LogStart {
  readonly tail: number;
  readonly sinceSeconds?: number;
}

/** The engine reads at most this many lines back per container. */
export const maxTail = 100_000;

/** The choices a log panel offers, by the value its select holds. */
export const logStarts: readonly { readonly value: string; readonly label: string; readonly start: LogStart }[] = [
  { value: 'tail-100', label: 'last 100 lines', start: { tail: 100 } },
  { value: 'tail-1000', label: 'last 1,000 lines', start: { tail: 1000 } },
  { value: 'tail-10000', label: 'last 10,000 lines', start: { tail: 10_000 } },
  // A span of time takes every line in it, up to what the engine reads back.
  { value: 'since-300', label: 'last 5 minutes', start: { tail: maxTail, sinceSeconds: 300 } },
  { value: 'since-3600', label: 'last hour', start: { tail: maxTail, sinceSeconds: 3600 } },
];

/** The start a select value names (the first choice for an unknown one). */
export function logStartOf(value: string): LogStart {
  return (logStarts.find((s) => s.value === value) ?? logStarts[0]!).start;
}
