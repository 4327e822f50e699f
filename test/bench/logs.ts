// Live-log figures: a lab container writes 100,000 lines/s for 10 s while its
// log is followed in the browser host's viewer in Chromium. Measured: the lines
// per second that reach the page, the slowest response to a click in the viewer
// during the flood (Event Timing, as Chrome's INP measures it), and the page's
// memory as the flood goes on and at its end.
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type WebSocket from 'ws';
import type { Reply } from '../../shared/contract';
import { defaultLogSettings, type LogBatch } from '../../shared/log';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { serveShipdeck } from '../support/browser-host';
import { lab } from '../support/lab-servers';
import { median, type Figure } from './figures';

const rate = 100_000;
const seconds = 10;
const total = rate * seconds;
const container = `shipdeck-bench-flood-${process.pid}`;
/** Docker's default log driver, as on most servers (SHIPDECK_BENCH_LOG_DRIVER picks another). */
const logDriver = process.env.SHIPDECK_BENCH_LOG_DRIVER ?? 'json-file';

/**
 * The flood, in the lab's busybox awk: it waits for /tmp/go, then keeps the
 * count of lines written at `rate` times the seconds elapsed (read from
 * /proc/uptime, 10 ms steps), sleeping 5 ms between bursts.
 */
const floodScript = `
function now(  line, parts) { getline line < "/proc/uptime"; close("/proc/uptime"); split(line, parts, " "); return parts[1] + 0 }
BEGIN {
  while (system("test -e /tmp/go") != 0) system("usleep 50000")
  start = now(); n = 0
  while (n < ${total}) {
    due = int((now() - start) * ${rate}); if (due > ${total}) due = ${total}
    while (n < due) { printf "flood %d of the lab flood, a line of a chatty service at work\\n", n; n++ }
    system("usleep 5000")
  }
}`;

async function call(ws: WebSocket, channel: string, request: unknown): Promise<unknown> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.id !== id) return;
      ws.off('message', onMessage);
      if (message.reply.ok) resolve(message.reply.value);
      else reject(new Error(`${channel}: ${message.reply.problem.message}`));
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, request }));
  });
}

/** The renderer process of the page, by its pid (from the browser's own process list). */
async function rendererRssMb(browserSession: CDPSession): Promise<number | undefined> {
  const info = (await browserSession.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number }[];
  };
  const rss = info.processInfo
    .filter((p) => p.type === 'renderer')
    .map((p) => {
      try {
        return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    });
  return rss.length ? Math.max(...rss) : undefined;
}

async function heapMb(session: CDPSession, collect = false): Promise<number> {
  if (collect) await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
  return usedSize / 1024 / 1024;
}

/** Watch Event Timing entries (input to next paint) of clicks and key presses, from now on. */
async function observeInteractions(page: Page): Promise<void> {
  await page.evaluate(() => {
    const store = window as unknown as { __interactions: number[] };
    store.__interactions = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        if (entry.name === 'click' || entry.name === 'pointerdown' || entry.name === 'keydown')
          store.__interactions.push(entry.duration);
    }).observe({ type: 'event', durationThreshold: 16, buffered: false } as PerformanceObserverInit);
  });
}

/** A fresh flood container on a lab engine, waiting for its go. */
async function floodContainer(docker: Docker): Promise<Docker.Container> {
  await docker
    .getContainer(container)
    .remove({ force: true })
    .catch(() => undefined);
  const created = await docker.createContainer({
    name: container,
    Image: 'shipdeck-lab/base:1',
    Cmd: ['awk', floodScript],
    Labels: { 'shipdeck.lab': '1', 'shipdeck.test': 'bench-logs' },
    HostConfig: { NetworkMode: 'none', Init: true, LogConfig: { Type: logDriver, Config: {} } },
  });
  await created.start();
  return created;
}

/** The same flood followed by the engine alone (no browser): what the engine hands its transport per second. */
async function engineDelivery(docker: Docker): Promise<{ lines: number; perSecond: number; writerS: number }> {
  const host = lab().hosts[0]!;
  const flood = await floodContainer(docker);
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-bench-logs-'));
  const engine = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: 'bench',
    cipher: keyFileCipher(dataDir),
  });
  const value = async (reply: Promise<Reply<unknown>>) => {
    const r = await reply;
    if (!r.ok) throw new Error(r.problem.message);
    return r.value as { id: string; fingerprint: string };
  };
  try {
    const server = await value(
      engine.handle('addServer', {
        name: 'flood-host',
        host: '127.0.0.1',
        port: host.sshPort,
        user: 'root',
        auth: { kind: 'key', keyPath: lab().clientKey },
        environment: 'staging',
        labels: [],
        dockerSocket: '',
      }),
    );
    await value(
      engine.handle('trustHostKey', {
        id: server.id,
        fingerprint: (await value(engine.handle('scanHostKey', { id: server.id }))).fingerprint,
      }),
    );
    let lines = 0;
    let first = 0;
    let last = 0;
    engine.subscribe((event, payload) => {
      if (event !== 'logBatch' || (payload as LogBatch).text.length === 0) return;
      first ||= Date.now();
      last = Date.now();
      lines += (payload as LogBatch).text.length;
    });
    await value(
      engine.handle('openLog', {
        streamId: 'bench-engine-1',
        target: { kind: 'server', serverId: server.id, containers: [container], tail: 0 },
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    await (await flood.exec({ Cmd: ['touch', '/tmp/go'] })).start({});
    while (lines < total && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 100));
    const writerS = (Date.parse((await flood.inspect()).State.FinishedAt) - started) / 1000;
    return { lines, perSecond: lines / ((last - first) / 1000), writerS };
  } finally {
    engine.close();
    await flood.remove({ force: true }).catch(() => undefined);
  }
}

export async function logFigures(): Promise<Figure[]> {
  const host = lab().hosts[0]!;
  const docker = new Docker({ socketPath: host.dockerSocket! });
  const alone = await engineDelivery(docker);
  await floodContainer(docker);

  const served = await serveShipdeck();
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
    const ws = await served.socket();
    const server = (await call(ws, 'addServer', {
      name: 'flood-host',
      host: '127.0.0.1',
      port: host.sshPort,
      user: 'root',
      auth: { kind: 'key', keyPath: lab().clientKey },
      environment: 'staging',
      labels: [],
      dockerSocket: '',
    })) as { id: string };
    const scan = (await call(ws, 'scanHostKey', { id: server.id })) as { fingerprint: string };
    await call(ws, 'trustHostKey', { id: server.id, fingerprint: scan.fingerprint });
    ws.close();

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(await served.signIn());
    await page
      .getByRole('button', { name: /flood-host/ })
      .first()
      .click();
    const row = page
      .getByRole('region', { name: 'Containers' })
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: container, exact: true }) });
    await row.getByRole('button', { name: 'Logs' }).click();
    const viewer = page.getByRole('log').first();
    await viewer.waitFor();
    const session = await page.context().newCDPSession(page);
    const browserSession = await browser.newBrowserCDPSession();
    await session.send('HeapProfiler.enable');
    const heapBefore = await heapMb(session, true);
    await observeInteractions(page);

    // The newest flood line on screen, read every 200 ms: what the viewer shows is what was delivered.
    const newestOnScreen = () =>
      page.evaluate(() => {
        const rows = document.querySelectorAll('[role="log"] .log-row:not(.log-marker)');
        const match = /flood (\d+) of the lab flood/.exec(rows[rows.length - 1]?.textContent ?? '');
        return match ? Number(match[1]) : -1;
      });
    const onScreen: { atMs: number; n: number }[] = [];

    // SHIPDECK_BENCH_PROFILE=<file>: a CPU profile of the page during the flood, for DevTools.
    const profile = process.env.SHIPDECK_BENCH_PROFILE;
    if (profile) {
      await session.send('Profiler.enable');
      await session.send('Profiler.start');
    }
    // Go, and click in the viewer every 250 ms while the flood runs: times, a line, pause and follow again.
    await docker
      .getContainer(container)
      .exec({ Cmd: ['touch', '/tmp/go'] })
      .then((e) => e.start({}));
    const floodStarted = Date.now();
    const poll = setInterval(
      () =>
        void newestOnScreen().then(
          (n) => onScreen.push({ atMs: Date.now() - floodStarted, n }),
          () => {},
        ),
      200,
    );
    const heapDuring: { atS: number; mb: number }[] = [];
    const utc = page.getByRole('button', { name: 'UTC' }).first();
    const follow = page.getByRole('button', { name: 'Follow' }).first();
    let clicks = 0;
    while (Date.now() - floodStarted < (seconds + 1) * 1000) {
      const step = clicks % 4;
      // While paused (steps 2 and 3) the poll reads an older line; the rate below uses following periods only.
      if (step === 0) await utc.click();
      else if (step === 1)
        await viewer
          .locator('.log-row')
          .last()
          .click({ timeout: 2000 })
          .catch(() => undefined);
      else await follow.click();
      clicks++;
      // The heap as it is (a forced collection would stall the page and spoil the click figure).
      heapDuring.push({ atS: (Date.now() - floodStarted) / 1000, mb: await heapMb(session) });
      await page.waitForTimeout(250);
    }
    if ((await follow.getAttribute('aria-pressed')) !== 'true') await follow.click();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await newestOnScreen()) < total - 1) await page.waitForTimeout(100);
    clearInterval(poll);
    if (profile)
      writeFileSync(profile, JSON.stringify(((await session.send('Profiler.stop')) as { profile: unknown }).profile));
    const caughtUpS = (Date.now() - floodStarted) / 1000;
    const writer = await docker.getContainer(container).inspect();
    const writerS = (Date.parse(writer.State.FinishedAt) - floodStarted) / 1000;

    const interactions = (await page.evaluate(
      () => (window as unknown as { __interactions: number[] }).__interactions,
    )) as number[];
    const heapEnd = await heapMb(session, true);
    const rss = await rendererRssMb(browserSession);
    const newest = await newestOnScreen();
    // Every line delivered: the newest is the last one written, the marker at the top counts exactly the rest, and no gap was marked.
    await viewer.evaluate((el) => el.scrollTo({ top: 0 }));
    await page.waitForTimeout(300);
    const topMarker =
      (await viewer
        .locator('.log-marker')
        .first()
        .textContent()
        .catch(() => '')) ?? '';
    const gapMarkers = await page.evaluate(
      () =>
        [...document.querySelectorAll('[role="log"] .log-marker')].filter((m) =>
          /dropped here/.test(m.textContent ?? ''),
        ).length,
    );
    const cap = defaultLogSettings.capLines;
    const droppedShown = Number(/… ([\d,]+) earlier lines dropped/.exec(topMarker)?.[1]?.replace(/,/g, '') ?? NaN);
    const allDelivered = newest === total - 1 && droppedShown === total - cap && gapMarkers === 0;
    // The rate the viewer kept: from the first flood line on screen to the last, and how far behind the writer it ran.
    const shown = onScreen.filter((o) => o.n >= 0);
    const rising = shown.filter((o, i) => i === 0 || o.n > shown[i - 1]!.n);
    const firstShown = rising[0] ?? { atMs: 0, n: 0 };
    const perSecond = (total - 1 - firstShown.n) / Math.max(0.001, caughtUpS - firstShown.atMs / 1000);
    const lagS = median(rising.map((o) => o.atMs / 1000 - o.n / (total / writerS)));
    const peak = Math.max(heapEnd, ...heapDuring.map((h) => h.mb));
    // Flat after the cap (reached within the first second): the highest heap of 3 to 6 s against that of 7 to 10 s.
    const highest = (from: number, to: number) =>
      Math.max(0, ...heapDuring.filter((h) => h.atS >= from && h.atS < to).map((h) => h.mb));
    const early = highest(3, 6);
    const late = highest(7, 10);
    const slowest = interactions.length ? Math.max(...interactions) : 0;
    await page.close();

    return [
      {
        metric: `log lines delivered to the viewer (the writer: ${total.toLocaleString('en')} in ${writerS.toFixed(1)} s)`,
        value: `${allDelivered ? 'all' : 'NOT all'}: newest ${newest.toLocaleString('en')}, top marker "${topMarker.trim()}", ${gapMarkers} gaps; ${Math.round(perSecond).toLocaleString('en')} lines/s, ${lagS.toFixed(1)} s behind the writer, caught up at ${caughtUpS.toFixed(1)} s`,
        // The target: every line reaches the viewer (which keeps the newest cap of them). The rate and the lag are
        // printed beside it; on a 2-core lab machine the lab's own dockerd, writing and serving the flood, takes most of a core.
        target: 'all of them, up to the cap',
        met: allDelivered,
      },
      {
        metric: `the same flood followed by the engine alone (the writer: ${alone.writerS.toFixed(1)} s)`,
        value: `${alone.lines.toLocaleString('en')} lines, ${Math.round(alone.perSecond).toLocaleString('en')}/s handed to the transport`,
        target: `all, at the writer's ${rate.toLocaleString('en')}/s`,
        met: alone.lines === total && alone.perSecond >= (total / alone.writerS) * 0.95,
      },
      {
        metric: `slowest response to a click in the viewer during the flood (${clicks} clicks)`,
        value: interactions.length
          ? `${Math.round(slowest)} ms (${interactions.length} events over 16 ms, median of those ${Math.round(median(interactions))} ms)`
          : 'every one under 16 ms',
        target: '≤ 100 ms',
        met: slowest <= 100,
      },
      {
        metric: `page JS heap: before, highest at 3-6 s, highest at 7-10 s, after the flood (cap ${cap.toLocaleString('en')} lines)`,
        value: `${heapBefore.toFixed(0)} / ${early.toFixed(0)} / ${late.toFixed(0)} / ${heapEnd.toFixed(0)} MB (collected before and after)`,
        target: '≤ 300 MB, flat after the cap',
        met: peak <= 300 && late <= early * 1.3 + 10,
      },
      {
        metric: 'renderer process memory (RSS) at the end',
        value: rss !== undefined ? `${rss.toFixed(0)} MB` : 'not readable',
        target: '≤ 300 MB',
        met: rss !== undefined && rss <= 300,
      },
    ];
  } finally {
    await browser.close();
    await served.stop();
    await docker
      .getContainer(container)
      .remove({ force: true })
      .catch(() => undefined);
  }
}
