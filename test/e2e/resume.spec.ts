import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { LabHost } from '../lab/lab-state';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';
import { serving } from '../support/lab-cleanup';
import { artifacts, consoleErrors, labSession } from '../support/lab-session';
import { addLabHostsByHand, releaseByHand, saveServiceByHand, section } from '../support/server-form';
import { verifySpec } from '../support/verify-lab';

// A release whose VERIFY measures, killed in DEPLOY (SIGKILL of `shipdeck serve`) while a step runs, then resumed in
// Chromium: VERIFY samples and judges again, Confirm needs no waiver, and no step ever shows "running" twice.
const session = labSession();
const { hosts } = session;

/**
 * v2 that takes a few seconds to answer after it starts, as many real apps do: DEPLOY's health wait runs that long
 * on every host, so the kill always lands inside a step. Built on each lab host's own engine from the lab's v2.
 */
const lateVersion = 'v2-late';
function buildLateImage(host: LabHost): void {
  const dockerfile = `FROM shipdeck-lab/app:v2\nCMD ["sh", "-c", "sleep 4; exec httpd -f -p 127.0.0.1:\${PORT:-8080} -h /www"]\n`;
  execFileSync(
    'docker',
    ['--host', `unix://${host.dockerSocket}`, 'build', '--quiet', '-t', `shipdeck-lab/app:${lateVersion}`, '-'],
    { input: dockerfile, env: { ...process.env, DOCKER_BUILDKIT: '0' } },
  );
}

type JournalLine = {
  type: string;
  step?: { id: string; host: string; purpose: string; state: string };
  phase?: { phase: string; state: string };
};

/** The one run's journal in a data folder, line by line (a torn last line is skipped). */
function journal(dataDir: string): JournalLine[] {
  const dir = join(dataDir, 'runs');
  const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.ndjson')) : undefined;
  if (!file) return [];
  return readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as JournalLine] : [];
      } catch {
        return [];
      }
    });
}

/** Each step's latest state in the journal. */
function stepStates(lines: readonly JournalLine[]): Map<string, NonNullable<JournalLine['step']>> {
  const steps = new Map<string, NonNullable<JournalLine['step']>>();
  for (const line of lines) if (line.type === 'step' && line.step) steps.set(line.step.id, line.step);
  return steps;
}

/** Every 50 ms, the steps the page shows as running, by purpose and host; the most copies of one seen at once. */
async function watchRunningSteps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { mostCopies: number; twice: string[] };
    w.mostCopies = 0;
    w.twice = [];
    setInterval(() => {
      const running = [...document.querySelectorAll('nav[aria-label="Steps"] button[data-step]')]
        .filter((b) => b.querySelector('.sr-only')?.textContent?.startsWith('running'))
        .map((b) => `${b.querySelector('.step-purpose')?.textContent} @ ${b.querySelector('.host-tag')?.textContent}`);
      for (const name of new Set(running)) {
        const copies = running.filter((r) => r === name).length;
        w.mostCopies = Math.max(w.mostCopies, copies);
        if (copies > 1 && !w.twice.includes(name)) w.twice.push(name);
      }
    }, 50);
  });
}

test('killed mid-DEPLOY and resumed: VERIFY measures and judges again, Confirm needs no waiver, no step shows running twice', async ({
  page,
}) => {
  test.setTimeout(240_000);
  for (const host of hosts) buildLateImage(host);
  await page.setViewportSize({ width: 1600, height: 1100 });
  await page.goto(await session.served.signIn());
  await addLabHostsByHand(page, hosts);
  // on-pass: ask, so that a person confirms the resumed run by hand.
  await saveServiceByHand(
    page,
    verifySpec(hosts, session.port, '{ duration: 20s, rate: 20, samples: 50, on-pass: ask }'),
  );
  await releaseByHand(page, 'web', lateVersion);

  // The kill lands while DEPLOY waits for the new release to answer on every host: those steps stay "running" in the journal.
  const { dataDir } = session.served;
  const waiting = (lines: readonly JournalLine[]) =>
    [...stepStates(lines).values()].filter(
      (s) => s.state === 'running' && s.purpose.startsWith(`Wait until ${lateVersion} answers`),
    );
  await expect.poll(() => waiting(journal(dataDir)).length, { timeout: 90_000, intervals: [50] }).toBe(hosts.length);
  session.served.process.kill('SIGKILL');
  await new Promise((resolve) => session.served.process.once('exit', resolve));
  const cut = waiting(journal(dataDir));
  expect(cut.map((s) => s.host).sort()).toEqual(hosts.map((h) => h.name).sort());
  expect(journal(dataDir).some((l) => l.type === 'samples' && (l as { phase?: unknown }).phase === 'VERIFY')).toBe(
    false,
  );

  let restarted: ServedShipdeck | undefined;
  try {
    restarted = await serveShipdeck({ dataDir });
    await page.goto(restarted.url);
    const errors = consoleErrors(page);
    await section(page, 'Runs').click();
    await page
      .getByRole('table', { name: 'Runs' })
      .getByRole('row')
      .filter({ has: page.getByTestId('run-status').filter({ hasText: 'interrupted' }) })
      .getByRole('button', { name: 'web' })
      .click();
    const run = page.getByRole('region', { name: `Run web ${lateVersion}` });
    await expect(run.getByRole('alert').filter({ hasText: 'This run was interrupted.' })).toBeVisible();

    await watchRunningSteps(page);
    await run.getByRole('button', { name: /^Resume/ }).click();
    await expect(run.getByTestId('run-status').first()).toHaveText('awaiting decision', { timeout: 120_000 });

    // VERIFY measured the new release against the old one, and judged: samples and decision cards.
    const verify = run.getByRole('region', { name: 'Verification' });
    await expect(verify.getByTestId('verify-state')).toHaveText('Decided');
    expect(
      Number(/^(\d+)/.exec(await verify.getByTestId('samples-candidate').innerText())?.[1]),
    ).toBeGreaterThanOrEqual(50);
    expect(Number(/^(\d+)/.exec(await verify.getByTestId('samples-baseline').innerText())?.[1])).toBeGreaterThanOrEqual(
      50,
    );
    const cards = verify.getByRole('list', { name: 'Decision cards' });
    await expect(cards.getByRole('listitem', { name: 'error rate' }).getByTestId('verdict')).toHaveText('Pass');
    await expect(cards.getByRole('listitem', { name: 'latency shift' })).toBeVisible();

    // The automatic items come from what the resume found and did, the error rate from VERIFY's card.
    const checklist = run.getByRole('region', { name: 'Checklist' });
    for (const text of [
      'Deployed to staging, health checks passing',
      'All health checks passing',
      'Error rates normal',
    ]) {
      await expect(checklist.getByRole('listitem', { name: text })).toHaveClass(/item-done/);
    }
    await expect(
      checklist.getByRole('listitem', { name: 'Deployed to staging, health checks passing' }).getByTestId('evidence'),
    ).toContainText(`answered /up`);

    // Each step the resume ran again took the place of its earlier copy: one copy each, none left running.
    const steps = run.getByRole('navigation', { name: 'Steps' });
    await expect(steps.getByRole('button', { name: /^running: / })).toHaveCount(0);
    const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    for (const { purpose, host } of cut)
      await expect(steps.getByRole('button', { name: new RegExp(`^ok: ${escaped(purpose)}\\s*${host}`) })).toHaveCount(
        1,
      );
    const seen = await page.evaluate(() => {
      const w = window as unknown as { mostCopies: number; twice: string[] };
      return { mostCopies: w.mostCopies, twice: w.twice };
    });
    expect(seen.twice, 'steps shown as running twice at once').toEqual([]);
    await page.screenshot({ path: `${artifacts}resume-verified.png`, fullPage: true });

    // Confirm works as it is: no waiver.
    await run.getByRole('button', { name: 'Confirm release' }).click();
    await expect(run.getByTestId('run-status').first()).toHaveText('confirmed', { timeout: 30_000 });
    await expect(checklist.locator('li.item-waived')).toHaveCount(0);
    for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v2');
    expect(errors).toEqual([]);
  } finally {
    await restarted?.stop();
  }
});
