import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureRuns, runIdOf, writeHistory } from '../fixtures/history/history';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';
import { consoleErrors } from '../support/lab-session';
import { section } from '../support/server-form';

// No lab: a data folder on a 1 MiB tmpfs holding the fixture history, filled to the last byte while the UI is used.
let mountPoint: string;
let dataDir: string;
let served: ServedShipdeck | undefined;
/** What the engine before this fix left for a run that could not write its start: an empty journal. */
const emptyRun = '2025-06-01T12-00-00-000Z-web-v9.9.9';

test.use({ timezoneId: 'UTC' });

test.beforeAll(() => {
  mountPoint = mkdtempSync(join(tmpdir(), 'shipdeck-full-ui-'));
  // Needs root, as the lab does: a real file system that fills up.
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', mountPoint]);
  dataDir = join(mountPoint, 'data');
  mkdirSync(dataDir);
  writeHistory(dataDir);
  writeFileSync(join(dataDir, 'runs', `${emptyRun}.ndjson`), '');
});
test.afterAll(async () => {
  await served?.stop();
  if (mountPoint) {
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
});

function fill(dir: string): string {
  const filler = join(dir, 'filler.bin');
  for (const size of [64 * 1024, 4096, 1]) {
    try {
      for (;;) appendFileSync(filler, Buffer.alloc(size, 0x2e));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
  }
  return filler;
}

test('a full disk: the error names the folder; after a restart every run opens, an empty journal is named, the trail reads as intact', async ({
  page,
}) => {
  served = await serveShipdeck({ dataDir });
  const errors = consoleErrors(page);
  await page.goto(await served.signIn());
  await section(page, 'Settings').click();
  const fleet = page.getByRole('form', { name: 'Fleet refresh' });
  await expect(fleet.getByLabel('Hosts at once')).toBeEnabled();

  const filler = fill(mountPoint);
  await fleet.getByLabel('Hosts at once').fill('3');
  await fleet.getByRole('button', { name: 'Save' }).click();
  const notice = fleet.getByRole('alert');
  await expect(notice).toContainText('The fleet settings were not saved');
  await expect(notice).toContainText(
    `Could not write settings.json in ${dataDir}: the disk that holds it is full (ENOSPC)`,
  );
  await expect(notice).toContainText(`Where: ${dataDir}`);
  await expect(notice).toContainText(`Next: Free space on the disk that holds ${dataDir}, then retry.`);
  await expect(notice).not.toContainText('Unexpected error');

  // Space again; Shipdeck stops, as after a crash the trail's last write is torn, and it starts again on the same folder.
  rmSync(filler);
  await served.stop();
  appendFileSync(join(dataDir, 'audit.ndjson'), '{"seq":99,"at":"2025-06-01T12:00:00.000Z","who":"ana@lap');
  served = await serveShipdeck({ dataDir });
  await page.goto(await served.signIn());
  // The page before it tried to reconnect to the host that had stopped: that is not this page's doing.
  errors.length = 0;

  await section(page, 'Runs').click();
  const runs = page.getByRole('region', { name: 'Runs' });
  const table = runs.getByRole('table', { name: 'Runs' });
  await expect(table.getByRole('row').filter({ has: page.getByRole('cell') })).toHaveCount(fixtureRuns.length + 1);
  await expect(runs.getByTestId('unreadable-runs')).toContainText('One run journal cannot be read');
  await expect(runs.getByTestId('unreadable-runs')).toContainText(`The journal of run ${emptyRun} is empty`);
  await expect(runs.getByTestId('unreadable-runs')).toContainText(join(dataDir, 'runs', `${emptyRun}.ndjson`));
  // Every earlier run opens.
  const breadcrumb = page.getByRole('navigation', { name: 'Breadcrumb' });
  for (const run of fixtureRuns) {
    await table.getByTitle(`Open the run ${runIdOf(run.n)}`, { exact: true }).click();
    await expect(page.getByRole('region', { name: `Run ${run.service} ${run.version}` })).toBeVisible();
    await breadcrumb.getByRole('button', { name: 'Runs' }).click();
  }
  // The empty one opens to say what it is, not to fail.
  await table.getByTitle(`Open the run ${emptyRun}`, { exact: true }).click();
  await expect(page.getByRole('region', { name: 'Run', exact: true }).getByRole('alert')).toContainText(
    `The journal of run ${emptyRun} is empty`,
  );

  await section(page, 'History').click();
  const history = page.getByRole('region', { name: 'History' });
  await expect(
    history
      .getByRole('table', { name: 'Run history' })
      .getByRole('row')
      .filter({ has: page.getByRole('cell') }),
  ).toHaveCount(fixtureRuns.length);
  await expect(history.getByTestId('unreadable-runs')).toContainText('One run journal cannot be read');
  await history.getByRole('tab', { name: 'Delivery metrics' }).click();
  await expect(history.getByRole('tabpanel')).toBeVisible();

  await section(page, 'Settings').click();
  await expect(page.getByRole('form', { name: 'Fleet refresh' }).getByLabel('Hosts at once')).not.toHaveValue('3');
  const audit = page.getByRole('region', { name: 'Audit trail' });
  await audit.getByRole('button', { name: 'Verify audit trail' }).click();
  const verdict = audit.getByRole('status');
  // The settings save refused while the disk was full waited in memory and went in as Shipdeck stopped.
  await expect(verdict).toContainText(
    /^Audit trail intact: 1 entry, last at .*\. Line 2 holds an incomplete last write of entry 99, cut short by a crash or a full disk: it is not an entry, and no entry is missing$/,
  );
  await expect(audit.getByRole('alert')).toHaveCount(0);
  await expect(audit).not.toContainText('tampered');
  // The settings file parses and holds what it held.
  expect(() => JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).not.toThrow();
  expect(errors).toEqual([]);
});
