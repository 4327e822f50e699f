import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { contentSecurityPolicy } from '../../shared/content-security-policy';
import type { Engine } from '../engine/engine';
import { staticFile } from './static-files';
import { TokenGuard, newToken } from './token-guard';

export interface BrowserHostOptions {
  readonly engine: Engine;
  /** The built renderer (dist/renderer). */
  readonly staticDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly token?: string;
}

export interface BrowserHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}


const maxMessageBytes = 1024 * 1024;
/** A page this far behind gets no new log batches until it catches up; the engine's ring holds them meanwhile. */
const congestedBytes = 8 * 1024 * 1024;

/**
 * The browser host: the built renderer plus the contract over a WebSocket,
 * on 127.0.0.1 only, every request guarded by the token in the printed URL.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? newToken();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const guard = new TokenGuard(token, port);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void serveHttp(request, response, guard, options.staticDir);
  });

  server.on('upgrade', (request, socket, head) => {
    const verdict = guard.check(request, { socket: true });
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (!verdict.ok || path !== '/api') {
      const status = verdict.ok ? '404 Not Found' : verdict.status === 401 ? '401 Unauthorized' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, options.engine));
  });

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serveHttp(request: IncomingMessage, response: ServerResponse, guard: TokenGuard, staticDir: string): Promise<void> {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const verdict = guard.check(request, { socket: false });
  if (!verdict.ok) {
    response.writeHead(verdict.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(verdict.status === 401
      ? 'Shipdeck: this address needs the token. Open the full URL that `shipdeck serve` printed.\n'
      : 'Shipdeck: request refused (it did not come from this machine\'s address).\n');
    return;
  }
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (verdict.via === 'query') {
    // Trade the token in the URL for a cookie, and drop it from the address bar and history.
    url.searchParams.delete('token');
    response.writeHead(303, { 'Set-Cookie': guard.cookie(), Location: url.pathname + url.search, 'Cache-Control': 'no-store' });
    response.end();
    return;
  }
  const file = await staticFile(staticDir, url.pathname);
  if (!file) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  response.writeHead(200, {
    'Content-Type': file.type,
    'Content-Security-Policy': contentSecurityPolicy,
    'Cache-Control': url.pathname === '/' || url.pathname.endsWith('.html') ? 'no-store' : 'max-age=31536000, immutable',
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}

/** One page's socket: requests in (`{id, channel, request}`), replies and events out. */
function serveSocket(ws: WebSocket, engine: Engine): void {
  // Each page is its own owner: the logs it opens answer to it alone and close with its socket.
  const owner = `page-${randomUUID()}`;
  const unsubscribe = engine.subscribe(
    (event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    },
    { owner, congested: () => ws.bufferedAmount > congestedBytes },
  );
  ws.on('close', unsubscribe);
  ws.on('message', async (data, isBinary) => {
    let message: { id?: unknown; channel?: unknown; request?: unknown };
    try {
      if (isBinary) throw new Error('binary');
      message = JSON.parse(data.toString());
    } catch {
      ws.send(JSON.stringify({ id: null, reply: { ok: false, problem: { code: 'bad-request', message: 'A message on the socket was not JSON', hint: 'Reload the page.' } } }));
      return;
    }
    if (typeof message.id !== 'number' || typeof message.channel !== 'string') {
      ws.send(JSON.stringify({ id: null, reply: { ok: false, problem: { code: 'bad-request', message: 'A socket message needs a numeric id and a channel', hint: 'Reload the page.' } } }));
      return;
    }
    const reply = await engine.handle(message.channel, message.request, owner);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: message.id, reply }));
  });
}
