import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelNames, type Bridge } from '../../shared/contract';
import { findElectronBinary } from './electron-binary';

// The desktop app end to end: built main and preload, the real window, the real engine.
const mainScript = fileURLToPath(new URL('../../dist/electron/main.js', import.meta.url));
const binary = findElectronBinary();
const skipReason = binary.found
  ? ''
  : `Electron binary is not installed here (${binary.reason}): this spec runs where it is`;
if (!binary.found) console.log(`[electron] skipping test/electron/app.spec.ts: ${skipReason}`);

/** The bridge the preload exposes, as the page sees it (read inside page.evaluate). */
type PageWindow = { readonly shipdeck: Bridge };

test.describe('the desktop app', () => {
  test.skip(!binary.found, skipReason);

  let dataDir: string;
  let app: ElectronApplication;
  let page: Page;

  test.beforeAll(async () => {
    if (!binary.found) return;
    dataDir = realpathSync(mkdtempSync(join(tmpdir(), 'shipdeck-electron-')));
    app = await electron.launch({ executablePath: binary.path, args: [mainScript, '--data-dir', dataDir] });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('shows the Shipdeck UI', async () => {
    await expect
      .poll(async () => `${await page.title()} | ${(await page.locator('h1, h2').allTextContents()).join(' ')}`)
      .toContain('Shipdeck');
  });

  test('exposes exactly the contract: one method per channel plus subscribe', async () => {
    const exposed = await page.evaluate(() => Object.keys((window as unknown as PageWindow).shipdeck).sort());
    expect(exposed).toEqual([...channelNames, 'subscribe'].sort());
    const kinds = await page.evaluate(() =>
      Object.values((window as unknown as PageWindow).shipdeck).map((value) => typeof value),
    );
    expect(new Set(kinds)).toEqual(new Set(['function']));
  });

  test('gives the page no Node', async () => {
    const globals = await page.evaluate(() => [
      typeof (globalThis as Record<string, unknown>).require,
      typeof (globalThis as Record<string, unknown>).process,
      typeof (globalThis as Record<string, unknown>).module,
    ]);
    expect(globals).toEqual(['undefined', 'undefined', 'undefined']);
  });

  test('answers getAppInfo through IPC from the electron host', async () => {
    const reply = await page.evaluate(() => (window as unknown as PageWindow).shipdeck.getAppInfo({}));
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.value.host).toBe('electron');
    expect(reply.value.name).toBe('Shipdeck');
    expect(reply.value.dataDir).toBe(dataDir);
  });

  test('refuses events that are not in the contract', async () => {
    const outcome = await page.evaluate(() => {
      try {
        ((window as unknown as PageWindow).shipdeck.subscribe as (event: string, listener: () => void) => () => void)(
          'shell',
          () => {},
        );
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(outcome).toContain('Unknown event');
  });

  test('is served from app://shipdeck, not file://, and cannot read files outside the renderer', async () => {
    expect(page.url()).toBe('app://shipdeck/index.html');
    const escape = await page.evaluate(async () => (await fetch('app://shipdeck/..%2Felectron%2Fmain.js')).status);
    expect(escape).toBe(403);
    const file = await page.evaluate(async () => {
      try {
        return String((await fetch('file:///etc/hostname')).status);
      } catch {
        return 'refused';
      }
    });
    expect(file).toBe('refused');
  });

  test('enforces the Content-Security-Policy (no eval) and stays on its own page', async () => {
    const evalOutcome = await page.evaluate(() => {
      try {
        return String(eval('1 + 1'));
      } catch {
        return 'blocked';
      }
    });
    expect(evalOutcome).toBe('blocked');
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
  });
});
