import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../shared/content-security-policy';
import { appEntry, appFile, appResponse } from '../../../electron/app-scheme';

// A built renderer with a secret beside it: nothing the page (or anyone) asks app:// for may reach the secret.
const base = mkdtempSync(join(tmpdir(), 'shipdeck-app-scheme-'));
const renderer = join(base, 'renderer');
mkdirSync(join(renderer, 'assets'), { recursive: true });
writeFileSync(join(renderer, 'index.html'), '<!doctype html><div id="root"></div>');
writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'console.log(1)');
writeFileSync(join(renderer, 'assets', 'index-abc.css'), 'body{}');
writeFileSync(join(base, 'secret.txt'), 'the vault key');
mkdirSync(join(base, 'renderer-evil'));
writeFileSync(join(base, 'renderer-evil', 'index.html'), 'a sibling folder whose name starts like the renderer');
afterAll(() => rmSync(base, { recursive: true, force: true }));

const resolved = (url: string, more: { method?: string; initiatorOrigin?: string | null } = {}) =>
  appFile({ url, ...more }, renderer);

describe('appFile: where an app:// URL leads', () => {
  it("serves the renderer's page and its assets, each with its type", () => {
    expect(resolved(appEntry)).toEqual({ path: join(renderer, 'index.html'), type: 'text/html; charset=utf-8' });
    expect(resolved('app://shipdeck/')).toEqual({
      path: join(renderer, 'index.html'),
      type: 'text/html; charset=utf-8',
    });
    expect(resolved('app://shipdeck/assets/index-abc.js')).toEqual({
      path: join(renderer, 'assets', 'index-abc.js'),
      type: 'text/javascript; charset=utf-8',
    });
    expect(resolved('app://shipdeck/assets/index-abc.css?v=1#x')).toEqual({
      path: join(renderer, 'assets', 'index-abc.css'),
      type: 'text/css; charset=utf-8',
    });
    expect(resolved('app://shipdeck/assets/blob.bin')).toMatchObject({ type: 'application/octet-stream' });
  });

  it("never leaves the renderer's folder, however the path is written", () => {
    for (const url of [
      'app://shipdeck/..%2Fsecret.txt',
      'app://shipdeck/..%2f..%2fetc%2fpasswd',
      'app://shipdeck/assets%2F..%2F..%2Fsecret.txt',
      'app://shipdeck/%2E%2E%2Fsecret.txt',
      'app://shipdeck/..%2Frenderer-evil%2Findex.html',
    ]) {
      expect(resolved(url), url).toEqual({ status: 403, reason: "the path leads outside the renderer's folder" });
    }
    // Plain dot segments are resolved by the URL itself, inside the origin: they end in the folder, not above it.
    expect(resolved('app://shipdeck/../../secret.txt')).toEqual({
      path: join(renderer, 'secret.txt'),
      type: 'application/octet-stream',
    });
    expect(resolved('app://shipdeck/..%5Csecret.txt')).toMatchObject({ status: 400 });
    expect(resolved('app://shipdeck/index.html%00.js')).toMatchObject({ status: 400 });
    expect(resolved('app://shipdeck/%E0%A4%A')).toEqual({
      status: 400,
      reason: 'the path is not valid percent-encoded UTF-8',
    });
  });

  it('serves only app://shipdeck, to GET and HEAD, from no page or its own', () => {
    expect(resolved('app://elsewhere/index.html')).toMatchObject({ status: 404 });
    expect(resolved('file:///etc/passwd')).toMatchObject({ status: 404 });
    expect(resolved('not a url')).toMatchObject({ status: 400 });
    expect(resolved(appEntry, { method: 'POST' })).toMatchObject({ status: 405 });
    expect(resolved(appEntry, { method: 'HEAD' })).toMatchObject({ type: 'text/html; charset=utf-8' });
    expect(resolved(appEntry, { initiatorOrigin: 'app://shipdeck' })).toMatchObject({
      type: 'text/html; charset=utf-8',
    });
    expect(resolved(appEntry, { initiatorOrigin: 'https://evil.example' })).toMatchObject({ status: 403 });
    expect(resolved(appEntry, { initiatorOrigin: 'null' })).toMatchObject({ status: 403 });
    expect(resolved(appEntry, { initiatorOrigin: null })).toMatchObject({ status: 403 });
  });
});

describe('appResponse: what protocol.handle answers', () => {
  it("gives the file with the page's policy and nosniff", async () => {
    const page = await appResponse(new Request(appEntry), renderer);
    expect(page.status).toBe(200);
    expect(Object.fromEntries(page.headers)).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
    });
    expect(await page.text()).toBe('<!doctype html><div id="root"></div>');
    const head = await appResponse({ url: appEntry, method: 'HEAD' }, renderer);
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses plainly: a missing file is 404, an escape 403, and neither shows what is outside', async () => {
    const missing = await appResponse(new Request('app://shipdeck/assets/gone.js'), renderer);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('404: no such file in the renderer\n');
    const folder = await appResponse(new Request('app://shipdeck/assets/'), renderer);
    expect(folder.status).toBe(404);
    const escape = await appResponse(new Request('app://shipdeck/..%2Fsecret.txt'), renderer);
    expect(escape.status).toBe(403);
    expect(await escape.text()).not.toContain('vault');
  });
});
