import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { formatBytes, maxSocketMessageBytes, sessionFragmentKey, socketProtocol } from '../../shared/browser-session';
import { contentSecurityPolicy } from '../../shared/content-security-policy';
import type { Reply } from '../../shared/contract';
import type { Problem } from '../../shared/problem';
import type { Engine } from '../engine/engine';
import type { LogLevel } from '../engine/log';
import { requestTarget } from './request-target';
import { SignIn } from './sign-in';
import { staticFile } from './static-files';

export interface BrowserHostOptions {
  readonly engine: Engine;
  /** The built renderer (dist/renderer). */
  readonly staticDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Where the host notes what it refused or could not do (the engine log). */
  readonly log?: (level: LogLevel, message: string) => void;
}

export interface BrowserHost {
  /** The first sign-in link: good for one browser tab, once. */
  readonly url: string;
  readonly port: number;
  readonly origin: string;
  /** Another one-time sign-in link, for another tab or browser. */
  newSignInUrl(): string;
  close(): Promise<void>;
}

/** A page this far behind gets no new log batches until it catches up; the engine's ring holds them meanwhile. */
const congestedBytes = 8 * 1024 * 1024;
/** The longest channel name the contract could have, with room to spare. */
const maxChannelLength = 100;

const usedLinkText =
  'Shipdeck: this sign-in link was used already, or it is not one this host gave out. Each link signs in one browser tab, once.\n' +
  'For a new link, press Enter in the terminal where `shipdeck serve` runs and open the address it prints.\n';

/**
 * The browser host: the built renderer plus the contract over a WebSocket,
 * on 127.0.0.1 only. The renderer's files are public (they hold no data);
 * the contract needs a session, which only a one-time sign-in link gives.
 * Every handler owns its errors: no request, however malformed, stops it.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const log = options.log ?? (() => {});
  const server = createServer({ maxHeaderSize: 16 * 1024, headersTimeout: 20_000, requestTimeout: 30_000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const signIn = new SignIn();
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: maxSocketMessageBytes,
    handleProtocols: (offered) => (offered.has(socketProtocol) ? socketProtocol : false),
  });

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    serveHttp(request, response, port, signIn, options.staticDir).catch((error: unknown) => {
      log('error', `browser host: ${request.method} answered 500: ${(error as Error)?.message ?? String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Shipdeck: the request failed inside the host; see the engine log in the data folder.\n');
    });
  });

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    // Until ws owns it, this raw socket has no error handler of Node's: a reset must not become an uncaught error.
    socket.on('error', () => socket.destroy());
    const refuse = (status: string, reason: string) => {
      log('warn', `browser host: socket refused (${status}): ${reason}`);
      socket.end(
        `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(reason) + 1}\r\n\r\n${reason}\n`,
      );
    };
    const target = requestTarget(request, port, { socket: true });
    if (!target.ok) return refuse(target.status === 400 ? '400 Bad Request' : '403 Forbidden', target.reason);
    if (target.path !== '/api') return refuse('404 Not Found', 'the contract is at /api');
    if (!signIn.isSession(SignIn.fromProtocols(request.headers['sec-websocket-protocol'])))
      return refuse('401 Unauthorized', 'no session: sign in with a link that `shipdeck serve` printed');
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, options.engine, log));
  });

  // A request Node's parser cannot read at all: answer 400 and keep serving (Node's default does the same, said here so it stays so).
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const link = () => `${origin}/?token=${signIn.newLink()}`;
  return {
    url: link(),
    port,
    origin,
    newSignInUrl: link,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serveHttp(
  request: IncomingMessage,
  response: ServerResponse,
  port: number,
  signIn: SignIn,
  staticDir: string,
): Promise<void> {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  const plain = (status: number, text: string, headers: Record<string, string> = {}) =>
    response
      .writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers })
      .end(text);

  const target = requestTarget(request, port, { socket: false });
  if (!target.ok) {
    plain(
      target.status,
      target.status === 403
        ? "Shipdeck: request refused (it did not name this host's address).\n"
        : `Shipdeck: bad request (${target.reason}).\n`,
    );
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    plain(405, 'Shipdeck: only GET and HEAD are served here.\n', { Allow: 'GET, HEAD' });
    return;
  }
  if (target.path === '/api/session') {
    // The page asks whether its credential still holds, to tell "signed out" from "host down".
    const ok = signIn.isSession(SignIn.fromAuthorization(request.headers.authorization));
    response.writeHead(ok ? 204 : 401, { 'Cache-Control': 'no-store' }).end();
    return;
  }
  const token = target.query.get('token');
  if (token !== null) {
    const session = signIn.redeem(token);
    if (!session) {
      plain(401, usedLinkText);
      return;
    }
    // The credential goes to the page in the fragment, which the browser never sends to any server.
    target.query.delete('token');
    const rest = target.query.size ? `?${target.query}` : '';
    response
      .writeHead(303, {
        Location: `${target.path}${rest}#${sessionFragmentKey}=${session}`,
        'Cache-Control': 'no-store',
      })
      .end();
    return;
  }
  const file = await staticFile(staticDir, target.path);
  if (file === 'bad-path') {
    plain(400, 'Shipdeck: bad request (the path is not valid percent-encoded UTF-8).\n');
    return;
  }
  if (!file) {
    plain(404, 'Not found\n');
    return;
  }
  const html = target.path === '/' || target.path.endsWith('.html');
  response.writeHead(200, {
    'Content-Type': file.type,
    'Content-Security-Policy': contentSecurityPolicy,
    'Cache-Control': html ? 'no-store' : 'max-age=31536000, immutable',
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}

function badRequest(message: string, hint = 'Reload the page.'): Reply<never> {
  const problem: Problem = { code: 'bad-request', message, hint };
  return { ok: false, problem };
}

/** A socket message as the page sends it, or the reason it is not one. */
function readMessage(
  data: RawData,
  isBinary: boolean,
): { id: number; channel: string; request: unknown } | { refused: Reply<never>; id: number | null } {
  if (isBinary)
    return { refused: badRequest('A binary message reached the socket; the contract takes JSON text'), id: null };
  let message: unknown;
  try {
    message = JSON.parse(data.toString());
  } catch {
    return { refused: badRequest('A message on the socket was not JSON'), id: null };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { refused: badRequest('A socket message must be a JSON object {id, channel, request}'), id: null };
  }
  const { id, channel, request } = message as Record<string, unknown>;
  const safeId = typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
  if (safeId === null || typeof channel !== 'string' || channel.length > maxChannelLength) {
    return { refused: badRequest('A socket message needs a whole-number id and a channel name'), id: safeId };
  }
  return { id: safeId, channel, request };
}

/** One page's socket: requests in (`{id, channel, request}`), replies and events out. */
function serveSocket(ws: WebSocket, engine: Engine, log: (level: LogLevel, message: string) => void): void {
  // Each page is its own owner: the logs it opens answer to it alone and close with its socket.
  const owner = `page-${randomUUID()}`;
  const send = (value: unknown) => {
    if (ws.readyState !== ws.OPEN) return;
    try {
      ws.send(JSON.stringify(value));
    } catch (error) {
      log('error', `browser host: a message to ${owner} could not be sent: ${(error as Error).message}`);
    }
  };
  const unsubscribe = engine.subscribe((event, payload) => send({ event, payload }), {
    owner,
    congested: () => ws.bufferedAmount > congestedBytes,
  });
  ws.on('close', unsubscribe);
  // ws closes the socket itself on a frame it refuses (over the size limit: 1009; not UTF-8: 1007; a bad opcode: 1002).
  ws.on('error', (error: Error & { code?: string }) => {
    const limit =
      error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? ` (the limit is ${formatBytes(maxSocketMessageBytes)})` : '';
    log('warn', `browser host: closed the socket of ${owner}: ${error.message}${limit}`);
  });
  ws.on('message', (data, isBinary) => {
    const message = readMessage(data, isBinary);
    if ('refused' in message) {
      send({ id: message.id, reply: message.refused });
      return;
    }
    engine.handle(message.channel, message.request, owner).then(
      (reply) => send({ id: message.id, reply }),
      (error: unknown) =>
        send({
          id: message.id,
          reply: {
            ok: false,
            problem: { code: 'internal', message: `Unexpected error: ${(error as Error)?.message ?? String(error)}` },
          },
        }),
    );
  });
}
