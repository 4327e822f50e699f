import { artifacts, consoleErrors, labSession } from '../support/lab-session';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startSshd, stopSshd } from '../lab/control';
import { restoreLabHosts, serving } from '../support/lab-cleanup';
import { lab } from '../support/lab-servers';
import { addLabHostsByHand, overridePredictedGates, saveServiceByHand, section } from '../support/server-form';

// The sshd the offline-review test stops is started again before the hosts are put back.
const session = labSession({
  beforeRestore: async (labHosts) => {
    for (const host of labHosts) await startSshd(host.name);
  },
});
const { hosts } = session;

test.describe.configure({ mode: 'serial' });

/** The service `web` on both lab hosts, with a backup whose artifact the BACKUP phase checks. */
function specText(): string {
  return [
    'service: web',
    'image: shipdeck-lab/app',
    `port: ${session.port}`,
    `servers: { staging: [${hosts.map((h) => h.name).join(', ')}] }`,
    'healthcheck: { path: /up, status: 200, interval: 200ms, timeout: 1s, retries: 50 }',
    'retain: 2',
    'backup:',
    `  - command: "mkdir -p ${lab().dir}/backups && echo backup of {{release}} > ${lab().dir}/backups/web-{{release}}.txt"`,
    `    artifact: "${lab().dir}/backups/web-{{release}}.txt"`,
    '',
  ].join('\n');
}

async function setUp(page: Page) {
  await addLabHostsByHand(page, hosts);
  await saveServiceByHand(page, specText());
}

/** One checklist item of the run, by its text (or its id, where two sections share a text). */
function item(run: Locator, text: string, id?: string) {
  const items = run.getByRole('region', { name: 'Checklist' }).getByRole('listitem', { name: text, exact: true });
  return id ? items.and(run.locator(`[data-item="${id}"]`)) : items;
}

/** Tick a manual item by hand, as `by`, with a note. */
async function tick(run: Locator, text: string, by: string, note: string, id?: string) {
  const row = item(run, text, id);
  await row.getByRole('button', { name: 'Tick', exact: true }).click();
  const form = row.getByRole('form', { name: `Tick: ${text}` });
  await expect(form.getByLabel('Your name')).toHaveValue('Ana Ops');
  await form.getByLabel('Your name').fill(by);
  await form.getByLabel('Note').fill(note);
  await form.getByRole('button', { name: 'Tick', exact: true }).click();
  await expect(row).toContainText(`Ticked by ${by}`);
  await expect(row).toContainText(note);
}

test('a medium release of v2 is worked through every checklist by hand, confirmed, signed off, and read back with the hosts down', async ({
  page,
}) => {
  test.setTimeout(240_000);
  for (const host of hosts)
    expect(await serving(host.publicPort!), `${host.name} should serve v1 before the test`).toContain('v1');
  const errors = consoleErrors(page);
  await page.setViewportSize({ width: 1600, height: 1100 });
  await page.goto(await session.served.signIn());
  await setUp(page);

  // The change: medium class, its impact and CI, under a name.
  await page.getByRole('button', { name: 'Release…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Release web' });
  await dialog.getByLabel('Version').fill('v2');
  await expect(dialog.getByLabel('Change class')).toHaveValue('');
  await dialog.getByLabel('Change class').selectOption('medium');
  await dialog.getByLabel('Business impact').fill('Lab visitors of web see v2');
  await dialog.getByLabel('CI status').fill('green: build 2');
  await dialog.getByLabel('Your name').fill('Ana Ops');
  await dialog.getByRole('button', { name: 'Preview plan' }).click();
  await expect(dialog.getByRole('table', { name: 'Hosts in the plan' })).toBeVisible();
  const change = dialog.getByRole('region', { name: 'Change' });
  await expect(change).toContainText('Medium: app release, dependency update');
  await expect(change.getByTestId('discipline')).toContainText('full checklist');
  await expect(change.getByTestId('discipline')).not.toContainText('approval by a second person');
  // The checklist to come, by section, folded until asked for.
  const toCome = change.locator('details.checklist-to-come');
  await expect(toCome.locator('summary')).toContainText(/Checklist: \d+ items, \d+ required/);
  await toCome.locator('summary').click();
  await expect(toCome.getByRole('group', { name: 'Pre-deployment' })).toContainText('Code reviewed and approved');
  await expect(toCome.getByRole('group', { name: 'Staging deployment' })).toContainText('Configuration verified');
  await expect(toCome.getByRole('group', { name: 'Production deployment' })).toHaveCount(0);
  await overridePredictedGates(dialog);
  await page.screenshot({ path: `${artifacts}checklist-dialog.png` });
  await dialog.getByRole('button', { name: 'Run this plan' }).click();
  await expect(dialog).toBeHidden();

  const run = page.getByRole('region', { name: 'Run web v2' });
  const status = run.getByTestId('run-status').first();
  const checklist = run.getByRole('region', { name: 'Checklist' });
  await expect(checklist).toContainText('Medium: app release, dependency update');
  await expect(checklist).toContainText('started by Ana Ops');
  await expect(checklist.getByTestId('impact')).toHaveText('Lab visitors of web see v2');

  // PREPARE's manual items hold the run before BACKUP; the automatic ones Shipdeck checks with evidence.
  await expect(status).toHaveText('paused: needs you', { timeout: 60_000 });
  const paused = run.getByRole('alert', { name: 'Paused' });
  await expect(paused).toContainText('Paused before BACKUP: waiting for');
  await expect(paused.getByRole('list', { name: 'What the run waits for' })).toContainText(
    'Code reviewed and approved',
  );
  await expect(paused.getByRole('list', { name: 'What the run waits for' })).toContainText(
    'Environment variables verified',
  );
  await expect(
    run.getByRole('list', { name: 'Phases' }).locator('[data-phase="BACKUP"]').getByTestId('phase-state'),
  ).toHaveText('waiting for you');
  const reachable = item(run, 'Servers reachable, Docker up');
  await expect(reachable).toContainText('Checked by Shipdeck');
  for (const host of hosts) await expect(reachable.getByTestId('evidence')).toContainText(host.name);
  await expect(item(run, 'All CI tests passing (CI status given)').getByTestId('evidence')).toContainText(
    'green: build 2',
  );
  await expect(item(run, 'Previous release available as a rollback target').getByTestId('evidence')).not.toBeEmpty();
  // Nothing of BACKUP ran yet.
  for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v1');
  await page.screenshot({ path: `${artifacts}checklist-paused.png`, fullPage: true });
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await page.screenshot({ path: `${artifacts}checklist-paused-dark.png`, fullPage: true });
  await page.evaluate(() => delete document.documentElement.dataset.theme);

  await tick(run, 'Code reviewed and approved', 'Ana Ops', 'PR 42, reviewed by Ben');
  // A waiver needs a reason of its own; the name can be another person's.
  const env = item(run, 'Environment variables verified');
  await env.getByRole('button', { name: 'Waive…' }).click();
  const waive = env.getByRole('form', { name: 'Waive: Environment variables verified' });
  await expect(waive.getByRole('button', { name: 'Waive', exact: true })).toBeDisabled();
  await waive.getByLabel('Your name').fill('Ben Lead');
  await waive.getByLabel('Reason').fill('no env change in this release');
  await waive.getByRole('button', { name: 'Waive', exact: true }).click();
  await expect(env).toContainText('Waived by Ben Lead');
  await expect(env).toContainText('no env change in this release');

  // The run goes on by itself: BACKUP takes the backup and Shipdeck checks its artifact.
  await expect(item(run, 'Backup taken: every artifact exists and is not empty')).toContainText('Checked by Shipdeck', {
    timeout: 60_000,
  });
  await expect(item(run, 'Backup taken: every artifact exists and is not empty').getByTestId('evidence')).toContainText(
    'web-v2.txt',
  );
  await expect(item(run, 'Current state documented (containers, ports, nginx upstream)')).toContainText(
    'Checked by Shipdeck',
  );

  // DEPLOY and VERIFY run; their manual items hold the confirm back.
  await expect(item(run, 'Deployed to staging, health checks passing')).toContainText('Checked by Shipdeck', {
    timeout: 90_000,
  });
  await expect(status).toHaveText(/awaiting decision|paused: needs you/, { timeout: 90_000 });
  await expect(item(run, 'All health checks passing')).toContainText('Checked by Shipdeck', { timeout: 30_000 });
  await tick(run, 'Configuration verified', 'Ana Ops', 'upstream and env as planned');
  await tick(run, 'Critical user flows tested', 'Ana Ops', 'home page and /up by hand');
  await expect(status).toHaveText('awaiting decision', { timeout: 30_000 });
  for (const host of hosts) await expect.poll(() => serving(host.publicPort!), { timeout: 10_000 }).toContain('v2');
  await run.getByRole('button', { name: 'Confirm release' }).click();
  await expect(status).toHaveText('confirmed', { timeout: 30_000 });

  // Ended: only the sign-off and its own items still take a hand.
  await expect(item(run, 'Code reviewed and approved').getByRole('button')).toHaveCount(0);
  await expect(item(run, 'Deployment successful')).toContainText('Checked by Shipdeck', { timeout: 15_000 });
  await tick(run, 'No critical issues open', 'Ana Ops', 'tracker is clear');
  await tick(run, 'Stakeholders notified', 'Ana Ops', 'posted in #releases', 'signoff.notified');
  const signOff = run.getByRole('region', { name: 'Run sign-off' });
  const signForm = signOff.getByRole('form', { name: 'Sign off the run' });
  await signForm.getByLabel('Your name').fill('Cleo Lead');
  await signForm.getByLabel('Note').fill('v2 live on staging, nothing open');
  await signForm.getByRole('button', { name: 'Sign off', exact: true }).click();
  await expect(signOff.getByTestId('signed-off')).toContainText('Signed off by Cleo Lead');
  await expect(signOff.getByTestId('signed-off')).toContainText('v2 live on staging, nothing open');
  await expect(signOff.getByRole('form')).toHaveCount(0);
  await page.screenshot({ path: `${artifacts}checklist-signed-off.png`, fullPage: true });

  // With both hosts' sshd down, the run is read from the journal alone.
  try {
    for (const host of hosts) await stopSshd(host.name);
    await page.reload();
    await section(page, 'Runs').click();
    const breadcrumb = page.getByRole('navigation', { name: 'Breadcrumb' });
    if (await breadcrumb.isVisible()) await breadcrumb.getByRole('button', { name: 'Runs' }).click();
    const row = page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: 'web' });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('medium');
    await expect(row.getByTestId('signed-off-mark')).toContainText('signed off');
    await row.getByRole('button', { name: 'web' }).click();
    const reread = page.getByRole('region', { name: 'Run web v2' });
    await expect(reread.getByTestId('run-status').first()).toHaveText('confirmed');
    const envAgain = item(reread, 'Environment variables verified');
    await expect(envAgain).toContainText('waived');
    await expect(envAgain).toContainText('Waived by Ben Lead');
    await expect(envAgain).toContainText('no env change in this release');
    await expect(item(reread, 'Code reviewed and approved')).toContainText('Ticked by Ana Ops');
    await expect(item(reread, 'Code reviewed and approved')).toContainText('PR 42, reviewed by Ben');
    await expect(item(reread, 'Critical user flows tested')).toContainText('home page and /up by hand');
    for (const host of hosts)
      await expect(item(reread, 'Servers reachable, Docker up').getByTestId('evidence')).toContainText(host.name);
    await expect(
      item(reread, 'Backup taken: every artifact exists and is not empty').getByTestId('evidence'),
    ).toContainText('web-v2.txt');
    await expect(reread.getByRole('region', { name: 'Run sign-off' }).getByTestId('signed-off')).toContainText(
      'Signed off by Cleo Lead',
    );
    await expect(reread.getByRole('region', { name: 'Run sign-off' })).toContainText(
      'v2 live on staging, nothing open',
    );
    // Read-only: no Tick, Waive, Override, or sign-off form.
    await expect(
      reread.getByRole('region', { name: 'Checklist' }).getByRole('button', { name: /^(Tick|Waive|Override)/ }),
    ).toHaveCount(0);
    await expect(reread.getByRole('region', { name: 'Checklist' }).getByRole('form')).toHaveCount(0);
    await reread.getByRole('region', { name: 'Checklist' }).screenshot({ path: `${artifacts}checklist-read-only.png` });
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await reread
      .getByRole('region', { name: 'Checklist' })
      .screenshot({ path: `${artifacts}checklist-read-only-dark.png` });
    await page.evaluate(() => delete document.documentElement.dataset.theme);
  } finally {
    for (const host of hosts) await startSshd(host.name);
  }
  expect(errors).toEqual([]);
});

test('an unclassified release meets the impact gate in the preview, pauses for a second person, refuses the starter as approver, and rolls back while paused', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await restoreLabHosts(hosts);
  await page.setViewportSize({ width: 1600, height: 1100 });
  await page.goto(await session.served.signIn());
  await section(page, 'Services').click();
  await page.getByRole('complementary', { name: 'Services' }).getByRole('button', { name: /web/ }).click();
  await page.getByRole('button', { name: 'Release…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Release web' });
  // Each test has a browser of its own: no name kept from the one before.
  await dialog.getByLabel('Your name').fill('Ana Ops');
  await dialog.getByLabel('Version').fill('v2');
  await dialog.getByRole('button', { name: 'Preview plan' }).click();
  const change = dialog.getByRole('region', { name: 'Change' });
  await expect(change).toContainText('Not classified: treated as high');
  await expect(change.getByTestId('discipline')).toContainText('approval by a second person before DEPLOY');
  // Unknown impact is a stop gate: the run starts past it only with a reason.
  const reason = change.getByLabel('Override with a reason: Business impact unknown');
  await expect(reason).toBeVisible();
  const runButton = dialog.getByRole('button', { name: 'Run this plan' });
  await expect(runButton).toBeDisabled();
  await reason.fill('ok');
  await expect(runButton).toBeDisabled();
  await reason.fill('lab only, nobody uses it');
  await page.screenshot({ path: `${artifacts}checklist-dialog-gate.png` });
  // Changing the change drops the preview and its reasons.
  await dialog.getByLabel('CI status').fill('green');
  await expect(change).toBeHidden();
  await dialog.getByRole('button', { name: 'Preview plan' }).click();
  await expect(change.getByLabel('Override with a reason: Business impact unknown')).toHaveValue('');
  await change.getByLabel('Override with a reason: Business impact unknown').fill('lab only, nobody uses it');
  await runButton.click();
  await expect(dialog).toBeHidden();

  const run = page.getByRole('region', { name: 'Run web v2' });
  const status = run.getByTestId('run-status').first();
  // The override is on the record, with its name and reason.
  const gate = run
    .getByRole('region', { name: 'Stop gates' })
    .getByRole('listitem', { name: 'Business impact unknown' });
  await expect(gate).toContainText('Overridden by Ana Ops');
  await expect(gate).toContainText('lab only, nobody uses it');
  await expect(gate.getByRole('button', { name: /^Override/ })).toHaveCount(0);

  // The full checklist holds it before BACKUP; then the approval before DEPLOY.
  await expect(status).toHaveText('paused: needs you', { timeout: 60_000 });
  await tick(run, 'Code reviewed and approved', 'Ana Ops', 'reviewed');
  await tick(run, 'Environment variables verified', 'Ana Ops', 'unchanged');
  const paused = run.getByRole('alert', { name: 'Paused' });
  await expect(paused).toContainText('Paused before DEPLOY: waiting for', { timeout: 60_000 });
  await expect(paused).toContainText('needs an approval by a second named person');
  const approval = run.getByRole('region', { name: 'Approval' });
  await expect(approval).toContainText('not Ana Ops');
  // The starter's own name is not offered; typed anyway, the engine refuses it.
  const form = approval.getByRole('form', { name: 'Approve or reject' });
  await expect(form.getByLabel('Approver’s name')).toHaveValue('');
  await form.getByLabel('Approver’s name').fill('ana ops');
  await expect(form).toContainText('the approver must be someone else');
  await form.getByLabel('Note').fill('looks fine to me');
  await form.getByRole('button', { name: 'Approve' }).click();
  await expect(form.getByRole('alert')).toContainText(/.+/);
  await expect(approval.getByRole('list', { name: 'Approvals' })).toHaveCount(0);
  await expect(status).toHaveText('paused: needs you');
  await page.screenshot({ path: `${artifacts}checklist-approval.png`, fullPage: true });
  for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v1');

  // Rolling back a paused run stops it: nothing was deployed.
  await run.getByRole('button', { name: 'Rollback (stop)' }).click();
  await expect(status).toHaveText('rolled back', { timeout: 30_000 });
  await expect(run.getByRole('alert', { name: 'Paused' })).toBeHidden();
  await expect(approval.getByRole('form')).toHaveCount(0);
  for (const host of hosts) expect(await serving(host.publicPort!)).toContain('v1');
});

test('freeze windows are listed, checked, saved and removed in Settings, and a window over staging now is a gate in the preview', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(await session.served.signIn());
  await section(page, 'Settings').click();
  const freeze = page.getByRole('region', { name: 'Freeze windows' });
  const rules = freeze.getByRole('list', { name: 'Freeze rules' });
  // The practice's default: no production deploys on Friday afternoon or at the weekend.
  await expect(rules).toContainText('production: Friday 12:00–24:00 (Friday afternoon)');
  await expect(rules).toContainText('production: Saturday, Sunday 00:00–24:00 (Weekend)');

  // A weekly window without days or a valid time is refused field by field.
  const add = freeze.getByRole('form', { name: 'Add a freeze window' });
  await add.getByLabel('Label').fill('Late evening');
  await add.getByLabel(/^From/).fill('23:00');
  await add.getByLabel(/^To/).fill('22:00');
  await add.getByRole('button', { name: 'Add window' }).click();
  const problems = add.getByRole('list', { name: 'Problems in the new window' });
  await expect(problems).toContainText('days: one or more');
  await expect(problems).toContainText('to: must be after from');
  await add.getByLabel('Monday').check();
  await add.getByLabel('Tuesday').check();
  await add.getByLabel(/^To/).fill('24:00');
  await add.getByRole('button', { name: 'Add window' }).click();
  await expect(rules).toContainText('production: Monday, Tuesday 23:00–24:00 (Late evening)');

  // A one-off window over staging, now: from an hour ago to an hour ahead, in local time.
  const stamp = (offsetMs: number) =>
    page.evaluate((ms) => {
      const at = new Date(Date.now() + ms);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
    }, offsetMs);
  await add.getByLabel('Once (dates)').check();
  await add.getByLabel('Environment').fill('staging');
  await add.getByLabel('Label').fill('Lab launch');
  await add.getByLabel(/^From/).fill(await stamp(-3_600_000));
  await add.getByLabel(/^To/).fill(await stamp(3_600_000));
  await add.getByRole('button', { name: 'Add window' }).click();
  await expect(rules).toContainText(/staging: .* to .* \(Lab launch\)/);
  await freeze.getByRole('button', { name: 'Remove Weekend' }).click();
  await expect(rules).not.toContainText('Weekend');
  await freeze.getByRole('button', { name: 'Save freeze windows' }).click();
  await expect(freeze.getByRole('status')).toHaveText('Saved');
  await freeze.screenshot({ path: `${artifacts}checklist-freeze-windows.png` });
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await freeze.screenshot({ path: `${artifacts}checklist-freeze-windows-dark.png` });
  await page.evaluate(() => delete document.documentElement.dataset.theme);

  // Kept by the engine: read again after a reload.
  await page.reload();
  await section(page, 'Settings').click();
  await expect(rules).toContainText('Late evening');
  await expect(rules).toContainText('Lab launch');
  await expect(rules).not.toContainText('Weekend');

  // A release to staging now meets the freeze as a gate.
  await section(page, 'Services').click();
  await page.getByRole('complementary', { name: 'Services' }).getByRole('button', { name: /web/ }).click();
  await page.getByRole('button', { name: 'Release…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Release web' });
  await dialog.getByLabel('Version').fill('v2');
  await dialog.getByLabel('Change class').selectOption('low');
  await dialog.getByLabel('Business impact').fill('lab only');
  await dialog.getByRole('button', { name: 'Preview plan' }).click();
  const gate = dialog.getByLabel('Override with a reason: Deploy freeze');
  await expect(gate).toBeVisible();
  await expect(dialog.getByRole('region', { name: 'Change' })).toContainText('Lab launch');
  await expect(dialog.getByRole('button', { name: 'Run this plan' })).toBeDisabled();
  await page.keyboard.press('Escape');

  // Removed again, the window no longer holds staging.
  await section(page, 'Settings').click();
  await freeze.getByRole('button', { name: 'Remove Lab launch' }).click();
  await freeze.getByRole('button', { name: 'Save freeze windows' }).click();
  await expect(freeze.getByRole('status')).toHaveText('Saved');
  await expect(rules).not.toContainText('Lab launch');
});
