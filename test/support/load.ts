import { request } from 'node:http';

export interface LoadResult {
  readonly total: number;
  readonly failed: number;
  /** Failures by kind (status code or error), for the message when there are any. */
  readonly failures: Readonly<Record<string, number>>;
  /** Answers seen, by body (first line), in the order they were first seen. */
  readonly bodies: Readonly<Record<string, number>>;
  /** The body of the last answer each client got. */
  readonly last: readonly string[];
  /** Time of each body change, relative to the start. */
  readonly changes: readonly { readonly atMs: number; readonly body: string }[];
  /** When each request was sent and its answer arrived (performance.now()), with the body, for timing a switch. */
  readonly answers: readonly { readonly sentAt: number; readonly at: number; readonly body: string }[];
}

/**
 * Bounded HTTP load on a loopback port: `clients` loops each sending GET with
 * `Connection: close` (as LAB.md measures reloads), for `durationMs`, stopping
 * by itself. Every non-200 answer and every error counts as a failure.
 */
export function httpLoad(
  port: number,
  clients: number,
  durationMs: number,
  maxRequests = 200_000,
): { done: Promise<LoadResult>; stop(): void } {
  if (port <= 0 || clients > 200 || durationMs > 120_000) throw new Error('load out of bounds');
  const started = performance.now();
  let stopAt = started + durationMs;
  let total = 0;
  let failed = 0;
  const failures: Record<string, number> = {};
  const bodies: Record<string, number> = {};
  const changes: { atMs: number; body: string }[] = [];
  const answers: { sentAt: number; at: number; body: string }[] = [];
  let current = '';
  const once = () =>
    new Promise<string>((resolve) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/', agent: false, headers: { Connection: 'close' }, timeout: 5000 },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => {
            if (res.statusCode !== 200) {
              failed++;
              failures[`HTTP ${res.statusCode}`] = (failures[`HTTP ${res.statusCode}`] ?? 0) + 1;
            }
            resolve(body.split('\n')[0]!.trim());
          });
          res.on('error', (e) => fail(e.message, resolve));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => fail((e as NodeJS.ErrnoException).code ?? e.message, resolve));
      req.end();
    });
  const fail = (kind: string, resolve: (body: string) => void) => {
    failed++;
    failures[kind] = (failures[kind] ?? 0) + 1;
    resolve('');
  };
  const last: string[] = new Array(clients).fill('');
  const client = async (index: number) => {
    while (performance.now() < stopAt && total < maxRequests) {
      total++;
      const sentAt = performance.now();
      const body = await once();
      if (!body) continue;
      answers.push({ sentAt, at: performance.now(), body });
      last[index] = body;
      bodies[body] = (bodies[body] ?? 0) + 1;
      if (body !== current) {
        current = body;
        changes.push({ atMs: Math.round(performance.now() - started), body });
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, i) => client(i))).then(() => ({
    total,
    failed,
    failures,
    bodies,
    last,
    changes,
    answers,
  }));
  return { done, stop: () => void (stopAt = 0) };
}
