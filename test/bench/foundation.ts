// Foundation figures: the browser host's start to first paint, the initial
// renderer JS, and the click-to-first-output of a diagnostic against the lab.
import { chromium, type Browser } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';
import { lab } from '../support/lab-servers';
import { median, type Figure } from './figures';

const root = new URL('../..', import.meta.url).pathname;

/** The JavaScript the page loads before it can show anything, gzipped. */
function initialJsGzipBytes(): number {
  const dist = join(root, 'dist/renderer');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [
    ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\.?\/?([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  return scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length, 0);
}

/** From spawning `shipdeck serve` to the browser's first contentful paint of the UI. */
async function startToFirstPaint(browser: Browser): Promise<number> {
  const spawnedAt = Date.now();
  const served = await serveShipdeck();
  try {
    const page = await browser.newPage();
    await page.goto(served.url);
    const paintedAt = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => {
            const fcp = list.getEntriesByName('first-contentful-paint')[0];
            if (fcp) resolve(performance.timeOrigin + fcp.startTime);
          }).observe({ type: 'paint', buffered: true });
        }),
    );
    await page.close();
    // The redirect that trades the token for a cookie is part of the start: timeOrigin is the final page's.
    return paintedAt - spawnedAt;
  } finally {
    await served.stop();
  }
}

/** Add and trust a lab host through the contract, as the UI would. */
async function prepareLabServer(served: ServedShipdeck): Promise<void> {
  const ws = await served.socket();
  let next = 1;
  const call = (channel: string, request: unknown) =>
    new Promise<{ ok: boolean; value?: unknown; problem?: unknown }>((resolve) => {
      const id = next++;
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString());
        if (message.id === id) resolve(message.reply);
      });
      ws.send(JSON.stringify({ id, channel, request }));
    });
  const [host] = lab().hosts;
  const added = await call('addServer', {
    name: 'bench-1',
    host: '127.0.0.1',
    port: host!.sshPort,
    user: 'root',
    auth: { kind: 'key', keyPath: lab().clientKey },
    environment: 'staging',
    labels: [],
    dockerSocket: '',
  });
  const id = (added.value as { id: string }).id;
  const scan = await call('scanHostKey', { id });
  await call('trustHostKey', { id, fingerprint: (scan.value as { fingerprint: string }).fingerprint });
  ws.close();
}

/** Click "uname -a" in the UI and time until its first output line is on screen. */
async function clickToFirstOutput(browser: Browser, runs: number): Promise<number[]> {
  const served = await serveShipdeck();
  try {
    await prepareLabServer(served);
    const page = await browser.newPage();
    await page.goto(await served.signIn());
    await page.getByRole('button', { name: /bench-1/ }).click();
    await page.getByText(/Connected as/).waitFor();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      samples.push(
        await page.evaluate(
          (index) =>
            new Promise<number>((resolve) => {
              const button = [...document.querySelectorAll('button')].find(
                (b) => b.textContent === 'System (uname -a)',
              )!;
              const observer = new MutationObserver(() => {
                const runsOnScreen = document.querySelectorAll('.output-run');
                if (runsOnScreen.length > index && runsOnScreen[index]!.querySelector('.stdout')) {
                  observer.disconnect();
                  resolve(performance.now() - clickedAt);
                }
              });
              observer.observe(document.body, { childList: true, subtree: true, characterData: true });
              const clickedAt = performance.now();
              button.click();
            }),
          i,
        ),
      );
    }
    await page.close();
    return samples;
  } finally {
    await served.stop();
  }
}

export async function foundationFigures(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const browser = await chromium.launch({
    executablePath: process.env.SHIPDECK_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const gz = initialJsGzipBytes();
    figures.push({
      metric: 'initial renderer JS, gzipped',
      value: `${(gz / 1024).toFixed(1)} KB`,
      target: '≤ 300 KB',
      met: gz <= 300 * 1024,
    });

    const starts: number[] = [];
    for (let i = 0; i < 5; i++) starts.push(await startToFirstPaint(browser));
    const startMedian = median(starts);
    figures.push({
      metric: 'browser host start to first paint (median of 5)',
      value: `${startMedian.toFixed(0)} ms (${starts.map((s) => s.toFixed(0)).join(', ')})`,
      target: '≤ 1500 ms',
      met: startMedian <= 1500,
    });

    const clicks = await clickToFirstOutput(browser, 10);
    const clickMedian = median(clicks);
    figures.push({
      metric: 'click to first output of uname -a on the lab (median of 10)',
      value: `${clickMedian.toFixed(0)} ms (max ${Math.max(...clicks).toFixed(0)} ms)`,
      target: '≤ 500 ms',
      met: clickMedian <= 500,
    });
  } finally {
    await browser.close();
  }
  return figures;
}
