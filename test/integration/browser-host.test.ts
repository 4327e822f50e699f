import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sessionProtocolPrefix, socketProtocol } from '../../shared/browser-session';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';

let served: ServedShipdeck;
beforeAll(async () => {
  served = await serveShipdeck();
});
afterAll(() => served?.stop());

/** Open the contract socket offering these subprotocols; resolves with the socket, or the HTTP status that refused it. */
function openSocket(
  protocols: string[],
  headers: Record<string, string> = {},
): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${served.origin.replace('http', 'ws')}/api`, protocols, {
      headers: { Origin: served.origin, ...headers },
    });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}
const withSession = (credential: string) => [socketProtocol, `${sessionProtocolPrefix}${credential}`];

function call(
  ws: WebSocket,
  channel: string,
  request: unknown,
): Promise<{ ok: boolean; value?: unknown; problem?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    const id = Math.floor(Math.random() * 1e9);
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.id === id) {
        ws.off('message', onMessage);
        resolve(message.reply);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, request }));
  });
}

describe('browser host', () => {
  it('listens on 127.0.0.1 only and prints a URL with a long random token', () => {
    expect(served.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the UI itself to anyone on this machine, with a strict CSP and no cookie', async () => {
    const page = await fetch(`${served.origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a request naming another host (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request(`${served.origin}/`, { headers: { Host: `evil.example:${new URL(served.origin).port}` } }, (res) =>
        resolve(res.statusCode ?? 0),
      ).end();
    });
    expect(status).toBe(403);
  });

  it('trades a sign-in link once for a session handed over in the fragment, never in a cookie; the link used twice gets 401', async () => {
    const link = await served.signIn();
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toMatch(/^\/#session=[\w-]{32,}$/);
    expect(first.headers.get('set-cookie')).toBeNull();
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('press Enter in the terminal');
    expect((await fetch(`${served.origin}/?token=wrong`)).status).toBe(401);
    // The first printed link is as one-time as the others.
    expect((await fetch(served.url, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(served.url, { redirect: 'manual' })).status).toBe(401);
  });

  it('answers whether a session holds, only with the session in a header', async () => {
    const credential = await served.session();
    expect(
      (await fetch(`${served.origin}/api/session`, { headers: { Authorization: `Bearer ${credential}` } })).status,
    ).toBe(204);
    expect(
      (await fetch(`${served.origin}/api/session`, { headers: { Authorization: 'Bearer wrong-but-long-enough' } }))
        .status,
    ).toBe(401);
    expect((await fetch(`${served.origin}/api/session`)).status).toBe(401);
  });

  it('refuses the socket without a session, with a wrong one, with a link token, or from another origin, and runs nothing', async () => {
    expect((await openSocket([])).status).toBe(401);
    expect((await openSocket([socketProtocol])).status).toBe(401);
    expect((await openSocket(withSession('wrong-but-long-enough'))).status).toBe(401);
    expect((await openSocket(withSession(new URL(await served.signIn()).searchParams.get('token')!))).status).toBe(401);
    expect((await openSocket(withSession(await served.session()), { Origin: 'http://evil.example' })).status).toBe(403);
    const file = join(served.dataDir, 'settings.json');
    const settings = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    expect(settings.servers ?? []).toEqual([]);
  });

  it('serves the contract on the socket with a session, and answers bad requests with a problem', async () => {
    const { ws } = await openSocket(withSession(await served.session()));
    expect(ws).toBeDefined();
    expect(ws!.protocol).toBe(socketProtocol);
    expect(await call(ws!, 'getAppInfo', {})).toMatchObject({
      ok: true,
      value: { name: 'Shipdeck', host: 'browser', dataDir: served.dataDir },
    });
    expect(await call(ws!, 'addServer', { name: '' })).toMatchObject({ ok: false, problem: { code: 'bad-request' } });
    expect(await call(ws!, 'noSuchChannel', {})).toMatchObject({ ok: false, problem: { code: 'bad-request' } });
    ws!.send('not json');
    expect(await call(ws!, 'listServers', {})).toMatchObject({ ok: true, value: [] });
    ws!.close();
  });
});
