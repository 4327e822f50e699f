import { expect, test } from '@playwright/test';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sessionStorageKey } from '../../shared/browser-session';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';
import { section } from '../support/server-form';

let served: ServedShipdeck;
test.beforeAll(async () => {
  served = await serveShipdeck();
});
test.afterAll(() => served?.stop());

interface Seen {
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

/**
 * Another local server, as any process of the machine could run: it records
 * every request the browser makes to it, and its page tries the usual ways of
 * getting at a neighbour's credential (its own requests, and the cockpit's
 * session check with credentials included).
 */
async function neighbour(
  address: string,
  shipdeckOrigin: string,
): Promise<{ origin: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    if (request.url === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html' })
        .end(`<!doctype html><title>neighbour</title><img src="/img"><script>
        fetch('/probe', { credentials: 'include' });
        fetch('${shipdeckOrigin}/api/session', { credentials: 'include' })
          .then((r) => fetch('/result?status=' + r.status), (e) => fetch('/result?error=' + encodeURIComponent(String(e))));
        fetch('/cookies?' + encodeURIComponent(document.cookie + '|' + sessionStorage.length + '|' + localStorage.length));
        try { new WebSocket('ws://' + location.host + '/socket'); } catch {}
      </script>`);
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return { origin: `http://${address}:${(server.address() as AddressInfo).port}`, seen, server };
}

test('the session never reaches another server on this machine, and a sign-in link works once', async ({
  page,
  context,
}) => {
  const link = await served.signIn();
  const token = new URL(link).searchParams.get('token')!;
  await page.goto(link);
  await expect(page).toHaveURL(`${served.origin}/`);
  await expect(page.getByRole('heading', { name: 'Add a server' })).toBeVisible();
  const credential = await page.evaluate((key) => sessionStorage.getItem(key), sessionStorageKey);
  expect(credential).toMatch(/^[\w-]{32,}$/);
  expect(await context.cookies()).toEqual([]);

  // Neighbours on another port of 127.0.0.1 and on another loopback address.
  const neighbours = [await neighbour('127.0.0.1', served.origin), await neighbour('127.0.0.2', served.origin)];
  try {
    for (const n of neighbours) {
      const tab = await context.newPage();
      await tab.goto(`${n.origin}/`);
      await expect.poll(() => n.seen.some((s) => s.url.startsWith('/result'))).toBe(true);
      await expect.poll(() => n.seen.some((s) => s.url.startsWith('/cookies'))).toBe(true);
      await tab.close();
    }
    // The cockpit's own tab leaves for a neighbour, as a link followed from it would.
    await page.goto(`${neighbours[0]!.origin}/from-cockpit`);

    const everything = neighbours.flatMap((n) => n.seen);
    expect(everything.length).toBeGreaterThanOrEqual(8);
    for (const request of everything) {
      const said = JSON.stringify(request);
      expect(said).not.toContain(credential!);
      expect(said).not.toContain(token);
      expect(request.headers.cookie).toBeUndefined();
      expect(request.headers.authorization).toBeUndefined();
    }
    // A neighbour's page asking the cockpit with credentials included is not signed in.
    for (const n of neighbours)
      expect(n.seen.find((s) => s.url.startsWith('/result'))!.url).toMatch(/status=401|error=/);
    // Nor can it read the tab's storage: another origin's storage is its own (empty).
    for (const n of neighbours)
      expect(decodeURIComponent(n.seen.find((s) => s.url.startsWith('/cookies'))!.url)).toContain('?|0|0');
  } finally {
    for (const n of neighbours) n.server.close();
  }

  // The same link again: refused, saying why and what to do.
  const again = await context.newPage();
  const answer = await again.goto(link);
  expect(answer?.status()).toBe(401);
  await expect(again.locator('body')).toContainText('used already');
  await expect(again.locator('body')).toContainText('press Enter in the terminal');

  // A tab of the cockpit without a session says how to sign in, and asks the engine nothing.
  await again.goto(`${served.origin}/`);
  await expect(again.getByRole('alert')).toContainText('This tab is not signed in');
  await expect(again.getByRole('alert')).toContainText('press Enter in the terminal');
});

test('a signed-in tab stays signed in over a reload, and is told to sign in again once the host restarts', async ({
  page,
}) => {
  const first = await serveShipdeck();
  const port = Number(new URL(first.origin).port);
  try {
    await page.goto(await first.signIn());
    await expect(page.getByRole('heading', { name: 'Add a server' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Add a server' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  } finally {
    await first.stop();
  }
  // The same address and data folder, a new run of the host: it knows none of the old sessions.
  const second = await serveShipdeck({ dataDir: first.dataDir, port });
  try {
    await page.reload();
    await expect(page.getByRole('alert')).toContainText('This tab is not signed in');
    expect(await page.evaluate((key) => sessionStorage.getItem(key), sessionStorageKey)).toBeNull();
    await page.goto(await second.signIn());
    await expect(page.getByRole('heading', { name: 'Add a server' })).toBeVisible();
  } finally {
    await second.stop();
  }
});

test('a 1.2 MB paste into the spec editor is refused there with the limit, and the host goes on', async ({ page }) => {
  await page.goto(await served.signIn());
  await section(page, 'Services').click();
  await page.getByRole('button', { name: 'New service' }).first().click();
  const paste = `service: web\nimage: shop/web\n${Array.from({ length: 20_000 }, (_, i) => `# ${String(i).padStart(6, '0')} ${'x'.repeat(50)}`).join('\n')}\n`;
  expect(paste.length).toBeGreaterThan(1_200_000);
  // A paste arrives as one input event with the whole text (fill() goes through the editing commands, minutes for 1.2 MB).
  const pastedIn = await page.getByRole('textbox', { name: /^Spec/ }).evaluate((area: HTMLTextAreaElement, text) => {
    const started = performance.now();
    // The value a paste leaves, then the input event it fires: what React hears of a paste.
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(area, text);
    area.dispatchEvent(new Event('input', { bubbles: true }));
    return performance.now() - started;
  }, paste);
  process.stdout.write(`a 1.2 MB paste took ${Math.round(pastedIn)} ms to go in\n`);
  const problems = page.getByRole('list', { name: 'Problems in the spec' });
  await expect(problems).toContainText('Shipdeck reads specs of at most 256 KiB');
  await expect(problems).toContainText(/The spec is 1,\d{3} KiB/);
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(problems).toContainText('256 KiB');

  // The host is up and serves this tab: a small spec is checked as usual.
  expect(served.process.exitCode).toBeNull();
  await page.getByRole('textbox', { name: /^Spec/ }).fill('service: web\n');
  await expect(page.getByRole('list', { name: 'Problems in the spec' })).not.toContainText('256 KiB');
  await expect(page.getByRole('status').filter({ hasText: /problem/ })).toBeVisible();
});
