import { artifacts, consoleErrors, labSession } from '../support/lab-session';
import { expect, test, type Page } from '@playwright/test';
import Docker from 'dockerode';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimelineEntry } from '../../shared/incident';
import { serving } from '../support/lab-cleanup';
import { addLabHostsByHand, releaseByHand, saveServiceByHand, section } from '../support/server-form';

// An incident in the browser: v2 is released and confirmed on both lab hosts, then breaks (its
// containers stop, so nginx answers 502). It is opened with the nav's button, assessed live, rolled
// back to the v1 kept warm in one click, diagnosed, told, resolved, and its postmortem exported.

const session = labSession();
const { hosts } = session;

async function setTheme(page: Page, theme: 'light' | 'dark') {
  await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
}

/** The incident's timeline as its journal holds it, from the served data folder. */
function journaledTimeline(): TimelineEntry[] {
  const dir = join(session.served.dataDir, 'incidents');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ndjson'));
  expect(files).toHaveLength(1);
  return readFileSync(join(dir, files[0]!), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; entry?: TimelineEntry })
    .flatMap((event) => (event.type === 'entry' && event.entry ? [event.entry] : []));
}

/** How the postmortem and the export name a timeline entry: its UTC time to the second, step, first line. */
function entryLine(entry: TimelineEntry): string {
  return `${entry.at.slice(0, 19).replace('T', ' ')} — ${entry.step}: ${entry.text.split('\n')[0]}`;
}

test('open an incident on a broken v2, assess it, roll back to v1, diagnose, tell, resolve it, and export its postmortem', async ({
  page,
}) => {
  test.setTimeout(240_000);
  for (const host of hosts)
    expect(await serving(host.publicPort!), `${host.name} should serve v1 before the test`).toContain('v1');
  const errors = consoleErrors(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(await session.served.signIn());

  // Two lab hosts with their nginx, and the service `web` (no metrics; health check /up).
  await addLabHostsByHand(page, hosts);
  await saveServiceByHand(
    page,
    [
      'service: web',
      'image: shipdeck-lab/app',
      `port: ${session.port}`,
      `servers: { staging: [${hosts.map((h) => h.name).join(', ')}] }`,
      'healthcheck: { path: /up, status: 200, interval: 200ms, timeout: 1s, retries: 50 }',
      'retain: 2',
    ].join('\n'),
  );

  // Before any incident: the section says so.
  await section(page, 'Incidents').click();
  await expect(page.getByRole('region', { name: 'Incidents' }).getByRole('status')).toContainText('No incidents.');

  // v2, released by hand and confirmed; its run offers to open an incident that follows it.
  const run = await releaseByHand(page, 'web', 'v2');
  await expect(run.getByTestId('run-status').first()).toHaveText('awaiting decision', { timeout: 90_000 });
  await run.getByRole('button', { name: 'Confirm release' }).click();
  await expect(run.getByTestId('run-status').first()).toHaveText('confirmed', { timeout: 30_000 });
  for (const host of hosts) await expect.poll(() => serving(host.publicPort!), { timeout: 10_000 }).toContain('v2');
  await expect(run.getByRole('button', { name: 'Open an incident' })).toBeVisible();

  // v2 breaks: its containers stop on both hosts, and nginx answers 502.
  for (const host of hosts) {
    const docker = new Docker({ socketPath: host.dockerSocket! });
    for (const c of await docker.listContainers({
      filters: { label: ['shipdeck.service=web', 'shipdeck.release=v2'] },
    }))
      await docker.getContainer(c.Id).stop({ t: 1 });
  }
  expect((await fetch(`http://127.0.0.1:${hosts[0]!.publicPort}/`, { headers: { Connection: 'close' } })).status).toBe(
    502,
  );

  // Shift+I opens the dialog from anywhere but a field; Escape closes it.
  await page.locator('body').click({ position: { x: 600, y: 5 } });
  await page.keyboard.press('Shift+I');
  const dialog = page.getByRole('dialog', { name: 'Open an incident' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // DETECT: the nav's button, always there.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Open incident' }).click();
  await dialog.getByLabel('What is wrong').fill('Shop returns 502');
  await dialog.getByLabel('Severity').selectOption('critical');
  await expect(dialog.getByLabel('Service')).toHaveValue('web');
  await expect(dialog.getByLabel('Environment')).toHaveValue('staging');
  await dialog.getByLabel('How it was noticed').fill('pager: 502s on the shop');
  await expect(dialog.getByLabel('When it was noticed')).toHaveValue(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  await dialog.getByLabel('Your name').fill('Cleo');
  await page.screenshot({ path: `${artifacts}incident-open-dialog.png` });
  await dialog.getByRole('button', { name: 'Open incident' }).click();
  await expect(dialog).toBeHidden();
  const incident = page.getByRole('region', { name: 'Incident Shop returns 502' });
  await expect(incident.getByTestId('incident-status').first()).toHaveText('open');
  await expect(incident.getByLabel('Acting as')).toHaveValue('Cleo');
  // Shift+I while typing is a capital I, not a new incident.
  await incident.getByLabel('Acting as').press('End');
  await incident.getByLabel('Acting as').press('Shift+I');
  await expect(incident.getByLabel('Acting as')).toHaveValue('CleoI');
  await expect(dialog).toBeHidden();
  await incident.getByLabel('Acting as').fill('Cleo');
  const steps = incident.getByRole('list', { name: 'Incident steps' });
  await expect(steps.getByRole('button', { name: 'Detect: done' })).toBeVisible();
  const timeline = incident.getByRole('region', { name: 'Timeline' });
  await expect(timeline).toContainText('Detected: pager: 502s on the shop');
  await expect(timeline).toContainText('Follows the release of v2 to staging by e2e');

  // ASSESS: both hosts read live; v2 is live there and not running.
  const assess = incident.getByRole('region', { name: 'Assess' });
  await expect(steps.getByRole('button', { name: 'Assess: to do' })).toHaveAttribute('aria-current', 'step');
  await assess.getByRole('button', { name: 'Assess now' }).click();
  await expect(assess.getByTestId('assess-summary')).toContainText('0 of 2 hosts healthy', { timeout: 30_000 });
  const assessed = assess.getByRole('table', { name: 'Assessed hosts' });
  for (const host of hosts)
    await expect(assessed.getByRole('row').filter({ hasText: host.name })).toContainText(/yes\s*v2.*no/);
  await expect(steps.getByRole('button', { name: 'Assess: done' })).toBeVisible();
  await page.screenshot({ path: `${artifacts}incident-assess.png`, fullPage: true });

  // MITIGATE: one click rolls back; Shipdeck follows the emergency run and confirms it.
  await steps.getByRole('button', { name: /^Mitigate/ }).click();
  const mitigate = incident.getByRole('region', { name: 'Mitigate' });
  await mitigate.getByRole('button', { name: 'Roll back to the previous release' }).click();
  const rollbackState = mitigate.getByTestId('rollback-state');
  await expect(rollbackState).toContainText(/Rollback to v1 started \(from v2\)|Mitigated at/);
  await expect(rollbackState.getByRole('button', { name: 'Open the rollback run' })).toBeVisible();
  await expect(rollbackState).toContainText('Mitigated at', { timeout: 60_000 });
  await expect(rollbackState).toContainText('Rolled back to v1');
  // Once mitigated, another rollback would go back to the broken v2: it is not offered.
  await expect(mitigate.getByRole('button', { name: 'Roll back to the previous release' })).toBeDisabled();
  await expect(incident.getByTestId('incident-status').first()).toHaveText('mitigated');
  for (const host of hosts) await expect.poll(() => serving(host.publicPort!), { timeout: 10_000 }).toContain('v1');

  // Each host's containers of `web`; a restart asks first (cancelled here).
  const first = mitigate.getByRole('region', { name: `Host ${hosts[0]!.name}` });
  const containers = first.getByRole('table', { name: `Containers of web on ${hosts[0]!.name}` });
  await expect(containers.getByRole('row').filter({ hasText: 'v1' }).first()).toContainText('running');
  await containers
    .getByRole('button', { name: /^Restart .*…$/ })
    .first()
    .click();
  const confirm = first.getByRole('group', { name: /^Confirm restart of / });
  await expect(confirm).toContainText(`on ${hosts[0]!.name}?`);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();

  // A diagnostic over SSH: the command line, its output and exit code.
  await first.getByRole('button', { name: 'Containers (docker ps -a)' }).click();
  const output = first.getByLabel(`Output of Containers (docker ps -a) on ${hosts[0]!.name}`);
  await expect(output).toContainText('$ docker ps -a', { timeout: 30_000 });
  await expect(output).toContainText('CONTAINER ID');
  await expect(output).toContainText('exit 0');
  await expect(timeline).toContainText(`Ran \`docker ps -a\` on ${hosts[0]!.name}: exit 0`);
  await page.screenshot({ path: `${artifacts}incident-mitigated.png`, fullPage: true });
  await setTheme(page, 'dark');
  await page.screenshot({ path: `${artifacts}incident-mitigated-dark.png`, fullPage: true });
  await setTheme(page, 'light');

  // COMMUNICATE: a draft with times, marked as sent.
  await steps.getByRole('button', { name: /^Communicate/ }).click();
  const communicate = incident.getByRole('region', { name: 'Communicate' });
  const update = communicate.getByLabel('Status update');
  await expect(update).toHaveValue(/^\[CRITICAL\] Shop returns 502\nweb \(staging\): detected at \d\d:\d\d UTC/);
  await expect(update).toHaveValue(/Mitigated at \d\d:\d\d UTC/);
  await communicate.getByRole('button', { name: 'Mark as sent' }).click();
  await expect(communicate.getByRole('list', { name: 'Updates sent' })).toContainText('[CRITICAL] Shop returns 502');
  await expect(timeline).toContainText('Status update sent: [CRITICAL] Shop returns 502');

  // RESOLVE, then the page moves on to the postmortem; the rest is read-only.
  await steps.getByRole('button', { name: /^Resolve/ }).click();
  const resolve = incident.getByRole('region', { name: 'Resolve' });
  await resolve.getByLabel('Resolution summary').fill('v2 crashed; back on v1');
  await resolve.getByRole('button', { name: 'Resolve' }).click();
  await expect(incident.getByTestId('incident-status').first()).toHaveText('resolved');
  await expect(steps.getByRole('button', { name: 'Resolve: done' })).toBeVisible();
  await expect(incident.getByRole('status').filter({ hasText: 'This incident is resolved' })).toBeVisible();

  // POSTMORTEM: the template lists the real timeline, as journaled.
  const postmortem = incident.getByRole('region', { name: 'Postmortem' });
  const text = postmortem.getByRole('textbox', { name: 'Postmortem' });
  await expect(text).toHaveValue(/^# Postmortem: Shop returns 502/);
  await expect(text).toHaveValue(/- Time to restore: \d+ min \(detected to mitigated\)/);
  const entries = journaledTimeline();
  expect(entries.map((e) => e.step)).toEqual([
    'detect',
    'detect',
    'assess',
    'mitigate',
    'mitigate',
    'mitigate',
    'mitigate',
    'communicate',
    'resolve',
  ]);
  const draft = await text.inputValue();
  for (const entry of entries) expect(draft).toContain(entryLine(entry));
  await text.fill(`${draft}\nRoot cause: e2e stopped v2's containers.\n`);
  await postmortem.getByRole('button', { name: 'Save' }).click();
  await expect(postmortem.getByRole('status')).toHaveText('Saved');
  await expect(timeline).toContainText('Postmortem written');
  await page.screenshot({ path: `${artifacts}incident-postmortem.png`, fullPage: true });
  await setTheme(page, 'dark');
  await page.screenshot({ path: `${artifacts}incident-postmortem-dark.png`, fullPage: true });
  await setTheme(page, 'light');

  // Export Markdown: a download with the facts, the timeline, the update and the postmortem.
  const downloading = page.waitForEvent('download');
  await postmortem.getByRole('button', { name: 'Export Markdown' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.md$/);
  const markdown = readFileSync((await download.path())!, 'utf8');
  expect(markdown).toContain('# Incident: Shop returns 502');
  expect(markdown).toContain('| Status | resolved |');
  expect(markdown).toContain('## Timeline');
  for (const entry of journaledTimeline())
    expect(markdown).toContain(`| ${entry.at.slice(0, 19).replace('T', ' ')} | ${entry.step} |`);
  expect(markdown).toContain('[CRITICAL] Shop returns 502');
  expect(markdown).toContain("Root cause: e2e stopped v2's containers.");

  // Read-only once resolved: no more assessing or rolling back.
  await steps.getByRole('button', { name: /^Mitigate/ }).click();
  await expect(mitigate.getByRole('button', { name: 'Roll back to the previous release' })).toBeDisabled();
  await steps.getByRole('button', { name: /^Assess/ }).click();
  await expect(assess.getByRole('button', { name: 'Assess now' })).toBeDisabled();

  // The list: resolved, with its time to restore.
  await section(page, 'Incidents').click();
  const row = page.getByRole('table', { name: 'Incidents' }).getByRole('row').filter({ hasText: 'Shop returns 502' });
  await expect(row.getByTestId('incident-status')).toHaveText('resolved');
  await expect(row).toContainText(/critical.*web\s*staging.*restored in/);
  await page.screenshot({ path: `${artifacts}incident-list.png` });

  // The rollback run, linked from the timeline, is the confirmed emergency run to v1.
  await row.getByRole('button', { name: 'Shop returns 502' }).click();
  await timeline.getByRole('button', { name: 'Open the run' }).last().click();
  const rollbackRun = page.getByRole('region', { name: 'Run web v1' });
  await expect(rollbackRun.getByTestId('run-status').first()).toHaveText('confirmed');
  expect(errors).toEqual([]);
});
