import { artifacts, consoleErrors, labSession } from '../support/lab-session';
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { addLabHostsByHand, releaseByHand, saveServiceByHand } from '../support/server-form';
import { verifySpec } from '../support/verify-lab';

const session = labSession();
const { hosts } = session;

/** The two lab hosts with their nginx and trusted keys, and the service `web` with VERIFY on. */
async function setUp(page: Page) {
  await addLabHostsByHand(page, hosts);
  await saveServiceByHand(page, verifySpec(hosts, session.port, '{ duration: 20s, rate: 20, samples: 50 }'));
}

test("a rolled-back run's report: seen as it prints, exported as Markdown and as a PDF that looks like a document", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = consoleErrors(page);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(await session.served.signIn());
  await setUp(page);

  const run = await releaseByHand(page, 'web', 'v2-slow');
  await expect(run.getByTestId('run-status').first()).toHaveText('rolled back', { timeout: 90_000 });
  const report = run.getByRole('group', { name: 'Run report' });

  // The Report view: the engine's HTML in a sandboxed frame, styled by the report's own stylesheet (the app's policy allows it by hash).
  await report.getByRole('button', { name: 'Report', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Report: web v2-slow → staging' });
  await expect(dialog.locator('iframe[title="Run report"]')).toHaveAttribute('sandbox', '');
  // The sheet itself runs nothing and breaks no policy: not a message while it loads and lays out.
  await page.waitForTimeout(1000);
  expect(errors).toEqual([]);
  const sheet = dialog.frameLocator('iframe[title="Run report"]');
  await expect(sheet.getByRole('heading', { name: 'Run report: web v2-slow → staging' })).toBeVisible();
  await expect(sheet.locator('.outcome')).toContainText('Rolled back to v1 by Shipdeck itself: Answers are +');
  await expect(sheet.locator('.outcome')).toHaveCSS('border-left-width', '5px');
  await expect(
    sheet.getByRole('img', { name: /^Latency distribution: baseline v1: median .* new v2-slow: median/ }),
  ).toBeAttached();
  await expect(sheet.locator('#rollback')).toContainText('Back on v1');
  await dialog.screenshot({ path: `${artifacts}report-view.png` });

  // Markdown, from the dialog.
  const [markdown] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Export Markdown' }).click(),
  ]);
  expect(markdown.suggestedFilename()).toMatch(/^shipdeck-report-web-v2-slow-staging-.*\.md$/);
  const text = readFileSync(await markdown.path(), 'utf8');
  expect(text).toContain('# Run report: web v2-slow → staging');
  expect(text).toMatch(/#### latency shift: Fail/);
  expect(text).toContain('docker run --detach --name web-v2-slow-');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The PDF, from the run's header: progress while Chromium prints, then a download.
  const downloading = page.waitForEvent('download');
  await report.getByRole('button', { name: 'Export PDF' }).click();
  const pdf = await downloading;
  expect(pdf.suggestedFilename()).toMatch(/^shipdeck-report-web-v2-slow-staging-.*\.pdf$/);
  const file = `${artifacts}report.pdf`;
  await pdf.saveAs(file);
  expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pdfText = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(pdfText).toContain('Run report: web v2-slow → staging');
  expect(pdfText).toMatch(/Page 1 of \d+/);
  // The first page as an image, to look at: artifacts/report-page-1.png.
  execFileSync('pdftoppm', [
    '-png',
    '-f',
    '1',
    '-l',
    '1',
    '-r',
    '60',
    '-singlefile',
    file,
    `${artifacts}report-page-1`,
  ]);
  expect(readFileSync(`${artifacts}report-page-1.png`).subarray(1, 4).toString('latin1')).toBe('PNG');
  await expect(report.getByRole('button', { name: 'Export PDF' })).toBeEnabled();
  // Playwright's own probes of the frame are refused by its sandbox, which is the point; nothing else may complain.
  expect(
    errors.filter(
      (e) => !e.startsWith("Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed"),
    ),
  ).toEqual([]);
});
