import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureRuns, runIdOf, writeHistory } from '../fixtures/history/history';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';
import { section } from '../support/server-form';

// No lab: a data folder holding the fixture history (23 runs, 3 incidents) is all the browser host gets.
const artifacts = new URL('../.artifacts/', import.meta.url).pathname;
let served: ServedShipdeck;

// The fixture's times are UTC; History's date filter takes local days.
test.use({ timezoneId: 'UTC' });

test.beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-history-'));
  writeHistory(dataDir);
  served = await serveShipdeck({ dataDir });
});
test.afterAll(() => served?.stop());

async function openHistory(page: Page): Promise<Locator> {
  await section(page, 'History').click();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('heading', { name: 'History' })).toBeVisible();
  return history;
}

function rows(history: Locator): Locator {
  return history
    .getByRole('table', { name: 'Run history' })
    .getByRole('row')
    .filter({ has: history.page().getByRole('cell') });
}

test('History filters by service, environment, outcome, person and date, searches, and keeps the filters over a reload', async ({
  page,
}) => {
  await page.goto(await served.signIn());
  const history = await openHistory(page);
  const filters = history.getByRole('search', { name: 'Filter the history' });
  await expect(rows(history)).toHaveCount(fixtureRuns.length);
  await expect(filters.getByTestId('history-count')).toHaveText('23 runs');

  await filters.getByRole('combobox', { name: 'Service' }).selectOption('web');
  await expect(rows(history)).toHaveCount(14);
  await filters.getByRole('combobox', { name: 'Environment' }).selectOption('production');
  await expect(rows(history)).toHaveCount(7);
  await filters.getByRole('combobox', { name: 'Outcome' }).selectOption('rolled-back');
  await expect(rows(history)).toHaveCount(1);
  await expect(rows(history).first()).toContainText('v1.6.0');
  await expect(filters.getByTestId('history-count')).toHaveText('1 of 23 runs');

  await filters.getByRole('button', { name: 'Clear filters' }).click();
  await filters.getByRole('combobox', { name: 'Person' }).selectOption('bob');
  await expect(rows(history)).toHaveCount(6);
  await filters.getByRole('combobox', { name: 'Class' }).selectOption('high');
  await expect(rows(history)).toHaveCount(2); // api v2.0.0 to staging and production
  await filters.getByRole('combobox', { name: 'Class' }).selectOption('');
  await filters.getByRole('searchbox', { name: 'Search runs' }).fill('invoice');
  await expect(rows(history)).toHaveCount(2);

  await filters.getByRole('button', { name: 'Clear filters' }).click();
  // Every word must match: "search page" is in the notes of #9, #10 and #11, not in #14's "search timeout".
  await filters.getByRole('searchbox', { name: 'Search runs' }).fill('search page');
  await expect(rows(history)).toHaveCount(3);
  await filters.getByRole('searchbox', { name: 'Search runs' }).fill(runIdOf(16));
  await expect(rows(history)).toHaveCount(1);
  await filters.getByRole('searchbox', { name: 'Search runs' }).fill('carol v1.6.1');
  await expect(rows(history)).toHaveCount(2);
  await filters.getByRole('searchbox', { name: 'Search runs' }).press('Escape');
  await expect(rows(history)).toHaveCount(23);

  // Week 4, Mon 26 May to Sun 1 June: #18 to #21.
  await filters.getByLabel('From').fill('2025-05-26');
  await filters.getByLabel('To').fill('2025-06-01');
  await expect(rows(history)).toHaveCount(4);
  await expect(rows(history).first()).toContainText('2025-05-28 10:00');

  await page.reload();
  const again = await openHistory(page);
  await expect(again.getByLabel('From')).toHaveValue('2025-05-26');
  await expect(rows(again)).toHaveCount(4);
  await again.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows(again)).toHaveCount(23);

  await again.getByLabel('From').fill('2026-01-01');
  await expect(again.getByText('No run matches these filters.')).toBeVisible();
  await again.getByRole('button', { name: 'Clear the filters' }).click();
  await expect(rows(again)).toHaveCount(23);
});

test('a run opens from History read-only, from its journal, with no server reachable', async ({ page }) => {
  await page.goto(await served.signIn());
  const history = await openHistory(page);
  const filters = history.getByRole('search', { name: 'Filter the history' });
  await filters.getByRole('combobox', { name: 'Service' }).selectOption('web');
  await filters.getByRole('combobox', { name: 'Outcome' }).selectOption('rolled-back');
  await rows(history).first().getByRole('button', { name: 'web' }).click();

  const run = page.getByRole('region', { name: 'Run web v1.6.0' });
  await expect(run.getByRole('heading', { level: 2 })).toContainText('production');
  await expect(run.getByTestId('run-status').first()).toHaveText('rolled back');
  await expect(run.getByText('Rolled back to v1.5.1.')).toBeVisible();
  await expect(run.getByText('wishlist page slow for logged-in users')).toBeVisible();
  await expect(run.getByText(/by alice \(alice@laptop\)/)).toBeVisible();
  // Ended: no confirm, rollback or resume, and only the sign-off's own items still take a tick.
  await expect(run.getByRole('button', { name: /^(Confirm|Roll back|Resume)/ })).toHaveCount(0);
  const checklist = run.getByRole('region', { name: 'Checklist' });
  const ticks = await checklist.getByRole('button', { name: 'Tick' }).count();
  await expect(checklist.getByRole('group', { name: 'Sign-off' }).getByRole('button', { name: 'Tick' })).toHaveCount(
    ticks,
  );
  await expect(
    checklist.getByRole('group', { name: 'Pre-deployment' }).getByRole('button', { name: 'Tick' }),
  ).toHaveCount(0);
  await page.screenshot({ path: `${artifacts}history-run.png`, fullPage: true });

  // Back to History, the filters as they were.
  await run.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('button').first().click();
  await expect(rows(page.getByRole('region', { name: 'History' }))).toHaveCount(1);
});

/** The four figures of one service and environment, as shown. */
async function figures(metrics: Locator, name: string): Promise<string[]> {
  const group = metrics.getByRole('region', { name, exact: true });
  await expect(group).toBeVisible();
  return Promise.all(
    ['Deployment frequency', 'Change failure rate', 'Time to restore', 'Lead time'].map((f) =>
      group.getByRole('group', { name: f }).getByTestId('figure-value').innerText(),
    ),
  );
}

test('the delivery metrics of the fixture history equal the hand-computed ones', async ({ page }) => {
  await page.goto(await served.signIn());
  const history = await openHistory(page);
  const filters = history.getByRole('search', { name: 'Filter the history' });
  await filters.getByLabel('From').fill('2025-05-05');
  await filters.getByLabel('To').fill('2025-06-01');
  // The tabs take the keyboard: Right moves from Runs to Delivery metrics.
  await history.getByRole('tab', { name: 'Runs' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(history.getByRole('tab', { name: 'Delivery metrics' })).toHaveAttribute('aria-selected', 'true');
  await expect(history.getByRole('tab', { name: 'Delivery metrics' })).toBeFocused();
  const metrics = history.getByRole('tabpanel');
  await expect(metrics.getByTestId('metrics-period')).toContainText('2025-05-05 to 2025-06-01 (4 weeks)');

  // The hand counts of test/unit/delivery.test.ts.
  expect(await figures(metrics, 'web production')).toEqual(['1.25 a week', '33.3%', '25 min', '22 h 30 min']);
  expect(await figures(metrics, 'web staging')).toEqual(['1.25 a week', '16.7%', '5 h 8 min', '20 min']);
  expect(await figures(metrics, 'api production')).toEqual(['0.75 a week', '75%', '1 h 1 min', '1 d 30 min']);
  expect(await figures(metrics, 'api staging')).toEqual(['1 a week', '0%', '–', '15 min']);

  const apiProduction = metrics.getByRole('region', { name: 'api production', exact: true });
  await expect(
    apiProduction.getByRole('group', { name: 'Change failure rate' }).getByTestId('figure-basis'),
  ).toHaveText('3 of 4 deployments');
  await expect(apiProduction.getByRole('group', { name: 'Time to restore' }).getByTestId('figure-basis')).toHaveText(
    'median of 2; 1 not restored yet',
  );
  await expect(apiProduction.getByRole('img', { name: /^Deployments per week: / })).toHaveAttribute(
    'aria-label',
    /: \S+ \d+ 0, \S+ \d+ 1, \S+ \d+ 1, \S+ \d+ 1$/,
  );
  await expect(apiProduction.getByRole('img', { name: /^Change failure rate per week: / })).toHaveAttribute(
    'aria-label',
    /1 of 1, .* 0 of 1, .* 1 of 1, .* 1 of 1$/,
  );

  // The basis: each value with the runs and incidents it came from.
  await apiProduction.getByText('What these are computed from').click();
  await expect(
    apiProduction.getByText(
      /incident “Rate limiter rejects paying customers”: 2025-05-20 11:00 → 2025-05-20 13:00, 2 h/,
    ),
  ).toBeVisible();
  await expect(apiProduction.getByText(/incident “Invoice PDFs time out”: not restored yet/)).toBeVisible();
  await page.screenshot({ path: `${artifacts}history-metrics.png`, fullPage: true });

  // By day: 28 bars, the same figures.
  await metrics.getByRole('combobox', { name: 'Charts by' }).selectOption('day');
  await expect(apiProduction.getByRole('img', { name: /^Deployments per day: / })).toBeVisible();
  expect(await figures(metrics, 'api production')).toEqual(['0.75 a week', '75%', '1 h 1 min', '1 d 30 min']);

  // The service filter chooses the groups shown; the figures stay those of every run.
  await filters.getByRole('combobox', { name: 'Service' }).selectOption('web');
  await expect(metrics.getByRole('region')).toHaveCount(2);
  expect(await figures(metrics, 'web production')).toEqual(['1.25 a week', '33.3%', '25 min', '22 h 30 min']);

  // A run of the basis opens like any other.
  const webProduction = metrics.getByRole('region', { name: 'web production', exact: true });
  await webProduction.getByText('What these are computed from').click();
  await webProduction.getByRole('listitem').filter({ hasText: 'its rollback ended' }).getByRole('button').click();
  await expect(page.getByRole('region', { name: 'Run web v1.6.0' })).toBeVisible();
});

test('an empty data folder says what to do', async ({ browser }) => {
  const empty = await serveShipdeck();
  try {
    const page = await browser.newPage();
    await page.goto(await empty.signIn());
    const history = await openHistory(page);
    await expect(history.getByText(/No runs yet\. Open a service in Services and choose Release…/)).toBeVisible();
    await history.getByRole('tab', { name: 'Delivery metrics' }).click();
    await expect(history.getByText(/No runs yet, so nothing to measure/)).toBeVisible();
    await page.close();
  } finally {
    await empty.stop();
  }
});
