import { artifacts, consoleErrors, labSession } from '../support/lab-session';
import { expect, test, type Page } from '@playwright/test';
import { serving } from '../support/lab-cleanup';
import { verifySpec } from '../support/verify-lab';
import { addLabHostsByHand, releaseByHand, saveServiceByHand, section } from '../support/server-form';

const session = labSession();
const { hosts } = session;

test.describe.configure({ mode: 'serial' });

/** The two lab hosts with their nginx, their keys trusted from the lab's known_hosts, and the service `web` with VERIFY on. */
async function setUp(page: Page) {
  await addLabHostsByHand(page, hosts);
  // 150 samples of each at 40 a second: about 4 s of sampling, so the meter is read several times before the verdict.
  await saveServiceByHand(page, verifySpec(hosts, session.port, '{ duration: 20s, rate: 20, samples: 150 }'));
}

/** Record, every 50 ms in the page, what the sufficiency meter and the latency chart say, to show they fill in while the run works. */
async function watchSampling(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as {
      seen: { state: string; candidate: string; baseline: string; chart: string; status: string }[];
    };
    w.seen = [];
    setInterval(() => {
      const text = (selector: string) => document.querySelector(selector)?.textContent ?? '';
      w.seen.push({
        state: text('[data-testid="verify-state"]'),
        candidate: text('[data-testid="samples-candidate"]'),
        baseline: text('[data-testid="samples-baseline"]'),
        chart: document.querySelector('[aria-label^="Latency distribution"]')?.getAttribute('aria-label') ?? '',
        status: text('[data-testid="run-status"]'),
      });
    }, 50);
  });
}

async function sampling(page: Page) {
  return page.evaluate(
    () =>
      (
        window as unknown as {
          seen: { state: string; candidate: string; baseline: string; chart: string; status: string }[];
        }
      ).seen,
  );
}

const leading = (text: string) => Number(/^(\d+)/.exec(text)?.[1] ?? NaN);

test('a slow v2 fills the charts in live, fails on latency shift, and Shipdeck rolls back by itself; judged again, advisory', async ({
  page,
}) => {
  test.setTimeout(240_000);
  for (const host of hosts)
    expect(await serving(host.publicPort!), `${host.name} should serve v1 before the test`).toContain('v1');
  const errors = consoleErrors(page);
  await page.setViewportSize({ width: 1600, height: 1100 });
  await page.goto(await session.served.signIn());
  await setUp(page);

  await watchSampling(page);
  const run = await releaseByHand(page, 'web', 'v2-slow');
  const verify = run.getByRole('region', { name: 'Verification' });
  await expect(verify).toBeVisible();
  // PREPARE measures the baseline (v1) before anything changes; then VERIFY probes v1 and v2-slow side by side.
  await expect(verify.getByTestId('verify-state')).toHaveText(
    /Measuring the baseline|Sampling the new release|Decided/,
    { timeout: 30_000 },
  );
  await expect(verify.getByTestId('verify-state')).toHaveText('Sampling the new release', { timeout: 60_000 });
  await expect(verify.getByTestId('comparison')).toHaveText(
    'Baseline compared side by side (old and new at the same time)',
  );
  await expect(verify.getByRole('img', { name: /^Latency distribution/ })).toHaveAttribute(
    'aria-label',
    /new v2-slow: median [\d.]+ (ms|s), p95 .* over \d+ answers/,
    { timeout: 30_000 },
  );
  await page.screenshot({ path: `${artifacts}verify-sampling.png`, fullPage: true });

  await expect(run.getByTestId('run-status').first()).toHaveText('rolled back', { timeout: 90_000 });
  for (const host of hosts) await expect.poll(() => serving(host.publicPort!), { timeout: 15_000 }).toContain('v1');

  // The charts filled in while the run worked: the new release's sample count grew over several readings before the decision.
  const seen = await sampling(page);
  const live = seen.filter((s) => s.status === 'running' && s.state === 'Sampling the new release');
  const counts = [...new Set(live.map((s) => leading(s.candidate)).filter((n) => Number.isFinite(n)))];
  console.log(`while sampling, the meter read ${counts.join(', ')} samples of v2-slow`);
  expect(counts.length, `candidate counts seen while sampling: ${counts.join(', ')}`).toBeGreaterThanOrEqual(2);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  const answersInChart = [
    ...new Set(
      live
        .map((s) => Number(/new v2-slow: median .*? over (\d+) answers/.exec(s.chart)?.[1] ?? NaN))
        .filter((n) => Number.isFinite(n)),
    ),
  ];
  expect(
    answersInChart.length,
    `answers in the latency chart while sampling: ${answersInChart.join(', ')}`,
  ).toBeGreaterThanOrEqual(2);

  // Shipdeck says it rolled back by itself, and why: the latency shift, with its interval.
  await expect(verify.getByTestId('verify-state')).toHaveText('Decided');
  const summary = verify.getByTestId('verify-summary');
  await expect(summary).toContainText(
    'Shipdeck rolled back by itself to v1 because the latency shift rule failed: Answers are +',
  );
  const cards = verify.getByRole('list', { name: 'Decision cards' });
  const shift = cards.getByRole('listitem', { name: 'latency shift' });
  await expect(shift.getByTestId('verdict')).toHaveText('Fail');
  await expect(shift).toContainText('Shipdeck rolled back by itself because of this rule');
  await expect(shift).toContainText('Shipdeck rolled back');
  await expect(shift).toContainText(/slower than the baseline .* over the [\d.]+ (ms|s) allowed/);
  await expect(shift).toContainText(/95% interval: [45]\d\d to [4-6]\d\d ms/);
  await expect(shift).toContainText('Mann-Whitney U, Hodges-Lehmann shift');
  await expect(shift).toContainText(/p-value/);
  await expect(shift).toContainText(/slower by over 10% of the baseline's median/);
  await expect(shift).toContainText(/new \d+ · baseline \d+ · 150 needed/);
  // The cards that need attention come first.
  await expect(cards.getByRole('listitem').first()).toHaveAttribute(
    'aria-label',
    /latency shift|p95 latency|slowest answer/,
  );
  // v2-slow answers every probe: its error rate is no reason to roll back (a pass, or still open when Shipdeck acted).
  await expect(cards.getByRole('listitem', { name: 'error rate' }).getByTestId('verdict')).toHaveText(
    /^(Pass|Inconclusive)$/,
  );
  for (const name of [
    /^Latency distribution/,
    /^Error rate per second/,
    /^CPU of the containers/,
    /^Memory of the containers/,
  ])
    await expect(verify.getByRole('img', { name })).toBeVisible();
  await expect(verify.getByRole('img', { name: /^CPU of the containers/ })).toHaveAttribute(
    'aria-label',
    /new v2-slow: mean [\d.]+%; baseline v1: mean [\d.]+%/,
  );
  await expect(verify.getByTestId('samples-candidate')).toContainText(/^\d+ of 150 needed: enough$/);
  await expect(run).toContainText('Rolled back by Shipdeck: Answers are +');
  await page.screenshot({ path: `${artifacts}verify-rolled-back.png`, fullPage: true });
  await verify.screenshot({ path: `${artifacts}verify-panel.png` });
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await page.screenshot({ path: `${artifacts}verify-rolled-back-dark.png`, fullPage: true });
  await verify.screenshot({ path: `${artifacts}verify-panel-dark.png` });
  await page.evaluate(() => delete document.documentElement.dataset.theme);

  // Judge again with other thresholds: the form checks its fields, and the result is advisory.
  await verify.getByRole('button', { name: 'Judge again with other thresholds…' }).click();
  const form = verify.getByRole('form', { name: 'Thresholds to judge with' });
  await expect(form.getByLabel(/Error rate that asks/)).toHaveValue('5');
  await expect(form.getByLabel(/Error rate that rolls back/)).toHaveValue('10');
  await expect(form.getByLabel(/Allowed slowdown/)).toHaveValue('10');
  await form.getByLabel(/Error rate that asks/).fill('12');
  await form.getByLabel(/p95 latency limit/).fill('fast');
  await form.getByRole('button', { name: 'Judge again' }).click();
  await expect(form).toContainText('Error rate that asks (12%) must not be over the one that rolls back (10%).');
  await expect(form).toContainText('p95 latency limit: enter a number (ms).');
  await expect(form.getByLabel(/p95 latency limit/)).toHaveAttribute('aria-invalid', 'true');
  await expect(verify.getByRole('region', { name: 'Advisory judgement' })).toBeHidden();
  await form.getByLabel(/Error rate that asks/).fill('5');
  await form.getByLabel(/p95 latency limit/).fill('2000');
  // Even allowing twice the baseline's median, +500 ms is far too slow.
  await form.getByLabel(/Allowed slowdown/).fill('100');
  await form.getByRole('button', { name: 'Judge again' }).click();
  const advisory = verify.getByRole('region', { name: 'Advisory judgement' });
  await expect(advisory).toContainText('Advisory: nothing was deployed or recorded.');
  await expect(advisory).toContainText('With these thresholds the run would roll back');
  const replayed = advisory
    .getByRole('list', { name: 'Advisory decision cards' })
    .getByRole('listitem', { name: 'latency shift' });
  await expect(replayed).toContainText('would roll back');
  await expect(replayed).toContainText(/over 100% of the baseline's median/);
  await expect(replayed).not.toContainText('Shipdeck rolled back by itself');
  await verify.screenshot({ path: `${artifacts}verify-judge-again.png` });
  // Nothing was deployed: the hosts still serve v1, and the run is still rolled back.
  for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v1');
  await expect(run.getByTestId('run-status').first()).toHaveText('rolled back');

  // Offline review: the same run opened again reads its samples from the journal.
  await page.reload();
  await section(page, 'Runs').click();
  const reopened = page.getByRole('region', { name: 'Run web v2-slow' });
  if (!(await reopened.isVisible()))
    await page
      .getByRole('table', { name: 'Runs' })
      .getByRole('row')
      .filter({ hasText: 'v2-slow' })
      .getByRole('button', { name: 'web' })
      .click();
  const again = reopened.getByRole('region', { name: 'Verification' });
  await expect(again.getByRole('img', { name: /^Latency distribution/ })).toHaveAttribute(
    'aria-label',
    /new v2-slow: median .* over \d+ answers; baseline v1: median .* over \d+ answers/,
  );
  await expect(
    again.getByRole('list', { name: 'Decision cards' }).getByRole('listitem', { name: 'latency shift' }),
  ).toContainText('Shipdeck rolled back by itself');
  expect(errors).toEqual([]);
});
