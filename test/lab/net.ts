// Loopback-only networking helpers: free ports, SSH banners, HTTP and the Docker API.
import { request } from 'node:http';
import { connect, createServer, type Server } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** n distinct free ports on 127.0.0.1, found by binding port 0 (all held open together so none repeats). */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, LOOPBACK, resolve);
      });
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** The server's identification line (e.g. "SSH-2.0-OpenSSH_9.2p1 ..."), or null if nothing answers in time. */
export function sshBanner(port: number, timeoutMs = 2_000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    let data = '';
    const done = (value: string | null) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.on('error', () => done(null));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const end = data.indexOf('\n');
      if (end >= 0) done(data.startsWith('SSH-') ? data.slice(0, end).trim() : null);
    });
  });
}

export interface HttpAnswer {
  status: number;
  body: string;
}

interface HttpTarget {
  port?: number;
  socketPath?: string;
  method?: string;
  path: string;
  body?: unknown;
  timeoutMs?: number;
}

function httpRequest({
  port,
  socketPath,
  method = 'GET',
  path,
  body,
  timeoutMs = 5_000,
}: HttpTarget): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: socketPath ? undefined : LOOPBACK,
        port,
        socketPath,
        method,
        path,
        agent: false,
        headers: {
          Connection: 'close',
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export const httpGet = (port: number, path = '/', timeoutMs = 3_000): Promise<HttpAnswer> =>
  httpRequest({ port, path, timeoutMs });

/** One Docker Engine API call over the engine's unix socket; rejects on HTTP errors unless listed in `okStatus`. */
export async function dockerApi<T = unknown>(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
  { timeoutMs = 15_000, okStatus = [] as number[] } = {},
): Promise<T> {
  const answer = await httpRequest({ socketPath, method, path, body, timeoutMs });
  if (answer.status >= 300 && !okStatus.includes(answer.status)) {
    let message = answer.body.trim();
    try {
      message = (JSON.parse(answer.body) as { message?: string }).message ?? message;
    } catch {
      // not JSON: keep the raw text
    }
    throw new Error(`docker ${method} ${path} -> ${answer.status}: ${message}`);
  }
  if (!answer.body) return undefined as T;
  try {
    return JSON.parse(answer.body) as T;
  } catch {
    return answer.body as T;
  }
}

/** True if something accepts TCP connections on 127.0.0.1:port right now. */
export function portAccepts(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    const done = (value: boolean) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
