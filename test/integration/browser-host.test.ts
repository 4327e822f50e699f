import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';

let served: ServedShipdeck;
beforeAll(async () => {
  served = await serveShipdeck();
});
afterAll(() => served?.stop());

/** Open the contract socket; resolves with the socket, or the HTTP status that refused it. */
function openSocket(query: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${served.origin.replace('http', 'ws')}/api${query}`, { headers: { Origin: served.origin, ...headers } });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

function call(ws: WebSocket, channel: string, request: unknown): Promise<{ ok: boolean; value?: unknown; problem?: { code: string; message: string } }> {
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

  it('refuses the page without a token or with a wrong one (401)', async () => {
    expect((await fetch(`${served.origin}/`)).status).toBe(401);
    expect((await fetch(`${served.origin}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${served.origin}/assets/x.js`)).status).toBe(401);
  });

  it('refuses a request naming another host (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request(`${served.url}`, { headers: { Host: `evil.example:${new URL(served.origin).port}` } }, (res) => resolve(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(403);
  });

  it('trades the token for a cookie and serves the UI with a strict CSP', async () => {
    const first = await fetch(served.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${served.origin}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('refuses the socket without a token, with a wrong one, or from another origin, and runs nothing', async () => {
    expect((await openSocket('')).status).toBe(401);
    expect((await openSocket('?token=wrong')).status).toBe(401);
    expect((await openSocket(`?token=${served.token}`, { Origin: 'http://evil.example' })).status).toBe(403);
    const file = join(served.dataDir, 'settings.json');
    const settings = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    expect(settings.servers ?? []).toEqual([]);
  });

  it('serves the contract on the socket with the token, and answers bad requests with a problem', async () => {
    const { ws } = await openSocket(`?token=${served.token}`);
    expect(ws).toBeDefined();
    expect(await call(ws!, 'getAppInfo', {})).toMatchObject({ ok: true, value: { name: 'Shipdeck', host: 'browser', dataDir: served.dataDir } });
    expect(await call(ws!, 'addServer', { name: '' })).toMatchObject({ ok: false, problem: { code: 'bad-request' } });
    expect(await call(ws!, 'noSuchChannel', {})).toMatchObject({ ok: false, problem: { code: 'bad-request' } });
    ws!.send('not json');
    expect(await call(ws!, 'listServers', {})).toMatchObject({ ok: true, value: [] });
    ws!.close();
  });
});
