import { consoleErrors } from '../support/lab-session';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addServerByHand } from '../support/server-form';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';
import { lab } from '../support/lab-servers';

const artifacts = new URL('../.artifacts/', import.meta.url).pathname;
let served: ServedShipdeck;

// Each test starts from an empty inventory of its own.
test.beforeEach(async () => {
  mkdirSync(artifacts, { recursive: true });
  served = await serveShipdeck();
});
test.afterEach(() => served?.stop());

/** The fleet overview's row of one server. */
function overviewRow(page: Page, name: string): Locator {
  return page
    .getByRole('table', { name: 'Fleet' })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) });
}

/** The Fleet section's overview: choosing Fleet again, from inside it, closes a server page or the add form. */
async function openOverview(page: Page) {
  const fleet = page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Fleet' });
  await fleet.click();
  if (!(await page.getByRole('heading', { name: 'Fleet overview' }).isVisible())) await fleet.click();
  await expect(page.getByRole('heading', { name: 'Fleet overview' })).toBeVisible();
}

/** Wait until the overview shows the server healthy, refreshing when the periodic refresh is slow to come. */
async function expectOk(page: Page, name: string) {
  const state = overviewRow(page, name).getByTestId('state');
  await expect(async () => {
    if ((await state.textContent())?.trim() !== 'ok') {
      const refresh = page.getByRole('button', { name: 'Refresh now' });
      if (await refresh.isEnabled()) await refresh.click();
    }
    await expect(state).toHaveText('ok', { timeout: 4_000 });
  }).toPass({ timeout: 30_000 });
}

async function setTheme(page: Page, theme: 'light' | 'dark') {
  await page.evaluate((t) => {
    localStorage.setItem('shipdeck.theme', t);
    document.documentElement.dataset.theme = t;
  }, theme);
}

test('a server added by hand shows its containers, and in the fleet overview its health and vital signs', async ({
  page,
}) => {
  const [host] = lab().hosts;
  const sent: string[] = [];
  page.on('websocket', (socket) => socket.on('framesent', (frame) => sent.push(String(frame.payload))));
  // The page's CSP forbids inline styles and scripts: a violation shows as a console error.
  const errors = consoleErrors(page);
  await page.setViewportSize({ width: 1600, height: 900 });
  await page.goto(await served.signIn());
  await addServerByHand(page, { name: 'lab-1', port: host!.sshPort, labels: 'web, eu' });

  const card = page.getByRole('region', { name: 'Host key' });
  await expect(card.getByTestId('presented-fingerprint')).toHaveText(host!.hostKeyFingerprint);
  await card.getByRole('button', { name: 'Trust and connect' }).click();
  const containers = page.getByRole('region', { name: 'Containers' });
  await expect(containers.getByRole('cell', { name: 'lab-app-v1', exact: true })).toBeVisible();

  // The server page shows the live facts of the fleet refresh.
  const live = page.getByRole('region', { name: 'Live status' });
  await expect(live).toContainText(/Docker\s*\d+\.\d+/, { timeout: 20_000 });
  await page.screenshot({ path: `${artifacts}fleet-server-light.png`, fullPage: true });

  await openOverview(page);
  await expectOk(page, 'lab-1');
  const row = overviewRow(page, 'lab-1');
  await expect(row.getByTestId('rtt')).toHaveText(/^\d+(\.\d+)? ms$/);
  await expect(row.getByTestId('os')).toHaveText(/\w+/);
  await expect(row.getByTestId('os')).not.toHaveText('—');
  await expect(row.getByTestId('uptime')).toHaveText(/\d+ (d|h|min|s)/);
  await expect(row.getByTestId('load')).toHaveText(/^\d+\.\d\d \d+\.\d\d \d+\.\d\d$/);
  await expect(row.getByTestId('memory')).toContainText('%');
  await expect(row.getByTestId('disk')).toContainText('%');
  await expect(row.getByTestId('docker')).toHaveText(/^\d+\.\d+/);
  await expect(row.getByTestId('containers')).toHaveText(/^\d+\/\d+$/);
  await expect(page.getByText(/Last refreshed \d+ s ago/)).toBeVisible();

  await page.screenshot({ path: `${artifacts}fleet-overview-light.png`, fullPage: true });
  await setTheme(page, 'dark');
  await page.screenshot({ path: `${artifacts}fleet-overview-dark.png`, fullPage: true });

  // `r` asks the engine for a refresh (not while typing in a field).
  const refreshes = () => sent.filter((m) => m.includes('"refreshFleet"')).length;
  const before = refreshes();
  await page.getByRole('searchbox', { name: 'Filter servers' }).press('r');
  await expect(page.getByRole('searchbox', { name: 'Filter servers' })).toHaveValue('r');
  expect(refreshes()).toBe(before);
  await page.getByRole('searchbox', { name: 'Filter servers' }).fill('');
  await page.getByRole('searchbox', { name: 'Filter servers' }).blur();
  await page.keyboard.press('r');
  await expect.poll(refreshes).toBe(before + 1);
  await expect(page.getByText(/Last refreshed \d+ s ago/)).toBeVisible();
  expect(errors).toEqual([]);
});

test('hosts imported from an ssh config file, trusted from known_hosts, come up healthy', async ({ page }) => {
  const [, lab2, lab3] = lab().hosts;
  const dir = mkdtempSync(join(tmpdir(), 'shipdeck-sshconfig-'));
  const configPath = join(dir, 'config');
  const block = (name: string, port: number) =>
    `Host ${name}\n    HostName 127.0.0.1\n    Port ${port}\n    User root\n    IdentityFile ${lab().clientKey}\n`;
  writeFileSync(configPath, `# two lab hosts\n${block('lab-2', lab2!.sshPort)}\n${block('lab-3', lab3!.sshPort)}`);

  await page.setViewportSize({ width: 1600, height: 900 });
  await page.goto(await served.signIn());
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByRole('menuitem', { name: 'From SSH config' }).click();
  const importer = page.getByRole('dialog', { name: 'Import from SSH config' });
  await importer.getByLabel('Config file').fill(configPath);
  await importer.getByRole('button', { name: 'Read' }).click();
  const hosts = importer.getByRole('table', { name: 'Hosts in the file' });
  await expect(hosts.getByRole('checkbox', { name: 'Import lab-2' })).toBeChecked();
  await expect(hosts.getByRole('checkbox', { name: 'Import lab-3' })).toBeChecked();
  await expect(hosts).toContainText(`root@127.0.0.1:${lab2!.sshPort}`);
  await expect(hosts).toContainText(lab().clientKey);
  await page.screenshot({ path: `${artifacts}fleet-import-ssh-config.png` });
  await importer.getByRole('button', { name: 'Import 2 hosts' }).click();
  await expect(importer.getByRole('heading', { name: 'Added 2 servers' })).toBeVisible();
  await expect(importer.getByRole('list', { name: 'Added' })).toContainText('lab-2');
  await expect(importer.getByRole('list', { name: 'Added' })).toContainText('lab-3');

  await importer.getByRole('button', { name: 'Trust keys from known_hosts…' }).click();
  const trust = page.getByRole('dialog', { name: 'Trust keys from known_hosts' });
  await trust.getByLabel('known_hosts file').fill(`${lab().dir}/known_hosts`);
  await trust.getByRole('button', { name: 'Trust listed keys' }).click();
  const trusted = trust.getByRole('table', { name: 'Trusted keys' });
  await expect(trusted.getByRole('row').filter({ hasText: 'lab-2' })).toContainText(lab2!.hostKeyFingerprint);
  await expect(trusted.getByRole('row').filter({ hasText: 'lab-3' })).toContainText(lab3!.hostKeyFingerprint);
  await page.screenshot({ path: `${artifacts}fleet-import-known-hosts.png` });
  await page.keyboard.press('Escape');
  await expect(trust).toBeHidden();

  // Imported a second time, both are already in the inventory.
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByRole('menuitem', { name: 'From SSH config' }).click();
  await importer.getByLabel('Config file').fill(configPath);
  await importer.getByRole('button', { name: 'Read' }).click();
  await expect(importer.getByRole('checkbox', { name: 'Import lab-2' })).toBeDisabled();
  await expect(importer.getByRole('row').filter({ hasText: 'lab-3' })).toContainText('already in inventory');
  await page.keyboard.press('Escape');
  await expect(importer).toBeHidden();

  await expect(page.getByRole('heading', { name: 'Fleet overview' })).toBeVisible();
  await expectOk(page, 'lab-2');
  await expectOk(page, 'lab-3');
});

test('the environment, label and text filters narrow the fleet overview', async ({ page }) => {
  const [lab1, lab2, lab3] = lab().hosts;
  await page.goto(await served.signIn());
  await addServerByHand(page, { name: 'web-1', port: lab1!.sshPort, environment: 'staging', labels: 'web, eu' });
  await addServerByHand(page, { name: 'web-2', port: lab2!.sshPort, environment: 'production', labels: 'web, us' });
  await addServerByHand(page, { name: 'db-1', port: lab3!.sshPort, environment: 'production', labels: 'db, eu' });
  await addServerByHand(page, { name: 'qa-1', port: lab().noDocker.sshPort, environment: 'qa', labels: 'web' });

  await openOverview(page);
  const table = page.getByRole('table', { name: 'Fleet' });
  const names = table.getByRole('link');
  await expect(names).toHaveText(['web-1', 'web-2', 'db-1', 'qa-1']);

  // Why a server is not ok: on hover, and spelled out on demand.
  const qa = overviewRow(page, 'qa-1');
  await expect(qa.getByTestId('state')).toContainText('untrusted');
  await qa.getByRole('button', { name: 'why?' }).click();
  await expect(page.getByRole('alert')).toContainText('host key of qa-1 is not trusted');
  await setTheme(page, 'dark');
  await page.screenshot({ path: `${artifacts}fleet-overview-problem-dark.png`, fullPage: true });
  await setTheme(page, 'light');
  await qa.getByRole('button', { name: 'hide' }).click();
  await expect(page.getByRole('alert')).toBeHidden();

  const environments = page.getByRole('group', { name: 'Environment' });
  await environments.getByRole('button', { name: 'production' }).click();
  await expect(names).toHaveText(['web-2', 'db-1']);
  await page.getByRole('combobox', { name: 'Label' }).selectOption('eu');
  await expect(names).toHaveText(['db-1']);
  await expect(page.getByText('1 of 4 servers')).toBeVisible();

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(names).toHaveText(['web-1', 'web-2', 'db-1', 'qa-1']);
  await page.getByRole('combobox', { name: 'Label' }).selectOption('web');
  await expect(names).toHaveText(['web-1', 'web-2', 'qa-1']);
  await environments.getByRole('button', { name: 'qa' }).click();
  await expect(names).toHaveText(['qa-1']);
  await environments.getByRole('button', { name: 'All' }).click();
  await page.getByRole('combobox', { name: 'Label' }).selectOption('');

  // `/` takes the text filter, from anywhere in the Fleet section.
  await names.first().click();
  await expect(page.getByRole('heading', { name: 'web-1' })).toBeVisible();
  await page.locator('body').press('/');
  await expect(page.getByRole('searchbox', { name: 'Filter servers' })).toBeFocused();
  await page.keyboard.type('db');
  await expect(names).toHaveText(['db-1']);
  await expect(page.getByRole('complementary', { name: 'Servers' }).getByRole('listitem')).toHaveCount(1);
});

test('a container restarts after a confirmation, and its logs can be read', async ({ page }) => {
  const host = lab().hosts[2]!;
  await page.goto(await served.signIn());
  await addServerByHand(page, { name: host.name, port: host.sshPort });
  await page.getByRole('region', { name: 'Host key' }).getByRole('button', { name: 'Trust and connect' }).click();

  const containers = page.getByRole('region', { name: 'Containers' });
  const app = containers.getByRole('row').filter({ has: page.getByRole('cell', { name: 'lab-app-v1', exact: true }) });
  await expect(app.getByRole('cell', { name: 'running' })).toBeVisible();

  // Logs: the last 200 lines by default, then 1000.
  await app.getByRole('button', { name: 'Logs' }).click();
  const logs = page.getByRole('region', { name: 'Logs of lab-app-v1' });
  await expect(logs).toContainText(/read \d/);
  await expect(logs.getByLabel('Lines', { exact: true })).toHaveValue('200');
  await logs.getByLabel('Lines', { exact: true }).selectOption('1000');
  await expect(logs.getByLabel('Lines', { exact: true })).toHaveValue('1000');
  await expect(logs.getByLabel('Last lines of lab-app-v1')).toBeVisible();
  await setTheme(page, 'dark');
  await page.screenshot({ path: `${artifacts}fleet-logs-dark.png`, fullPage: true });
  await setTheme(page, 'light');
  await logs.getByRole('button', { name: 'Close' }).click();
  await expect(logs).toBeHidden();

  // Escape cancels the confirmation; nothing restarts.
  await app.getByRole('button', { name: 'Restart…' }).click();
  const confirm = page.getByRole('group', { name: 'Confirm restart of lab-app-v1' });
  await expect(confirm).toContainText(`Restart lab-app-v1 on ${host.name}?`);
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();

  // Enter confirms.
  await app.getByRole('button', { name: 'Restart…' }).click();
  await expect(confirm.getByRole('button', { name: 'Restart lab-app-v1' })).toBeFocused();
  await page.screenshot({ path: `${artifacts}fleet-restart-confirm.png`, fullPage: true });
  await page.keyboard.press('Enter');
  await expect(app.getByRole('status')).toContainText(/restarted at/, { timeout: 20_000 });
  await expect(confirm).toBeHidden();
  await expect(app.getByRole('cell', { name: 'running' })).toBeVisible();
  await expect(app).toContainText(/Up (Less than a second|\d+ seconds?)/);
});

test('a password is stored, never shown again, and kept when the server is edited', async ({ page }) => {
  const host = lab().hosts[0]!;
  const { password } = lab().sdlab;
  await page.goto(await served.signIn());
  const form = page.getByRole('form', { name: 'Add a server' });
  await form.getByLabel('Name', { exact: true }).fill('sd-1');
  await form.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await form.getByLabel('Port').fill(String(host.sshPort));
  await form.getByLabel('User').fill('sdlab');
  await form.getByRole('radio', { name: 'ssh-agent' }).check();
  await expect(form).toContainText('SSH_AUTH_SOCK');
  await form.getByRole('radio', { name: 'Password' }).check();
  await form.getByLabel('Login password').fill(password);
  await form.getByRole('button', { name: 'Add server' }).click();
  await expect(page.getByRole('heading', { name: 'sd-1' })).toBeVisible();
  await page.getByRole('region', { name: 'Host key' }).getByRole('button', { name: 'Trust and connect' }).click();
  await expect(page.getByText(/Connected as sdlab@127\.0\.0\.1:\d+/)).toBeVisible();
  await expect(page.getByText('password (stored)')).toBeVisible();
  expect(await page.content()).not.toContain(password);

  await page.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Edit server' });
  await expect(edit.getByLabel('Name', { exact: true })).toHaveValue('sd-1');
  await expect(edit.getByRole('radio', { name: 'Password' })).toBeChecked();
  await expect(edit.getByLabel('Login password')).toHaveValue('');
  await expect(edit.getByLabel('Login password')).toHaveAttribute('placeholder', 'unchanged — type to replace');
  await page.screenshot({ path: `${artifacts}fleet-edit-form.png`, fullPage: true });

  // The engine's objection names the field, and the form takes the user there.
  await edit.getByLabel('Name', { exact: true }).fill('sd 1');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByRole('alert')).toContainText('name');
  await expect(edit.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(edit.getByLabel('Name', { exact: true })).toBeFocused();

  await edit.getByLabel('Name', { exact: true }).fill('sd-1');
  await edit.getByLabel('Labels').fill('ops, eu');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  // The stored password still logs in.
  await expect(page.getByText(/Connected as sdlab@127\.0\.0\.1:\d+/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Server sd-1' })).toContainText('ops');
  expect(await page.content()).not.toContain(password);
});

test('fleet settings are checked against the shared limits, saved, and pause the refresh', async ({ page }) => {
  await page.goto(await served.signIn());
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Settings' }).click();
  const form = page.getByRole('form', { name: 'Fleet refresh' });
  await expect(form.getByLabel('Refresh every (seconds)')).toHaveValue('5');
  await expect(form.getByLabel('Hosts at once')).toHaveValue('8');

  await form.getByLabel('Hosts at once').fill('100');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText('Hosts at once must be a whole number from 1 to 64');
  await expect(form.getByLabel('Hosts at once')).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: `${artifacts}fleet-settings-problem.png`, fullPage: true });

  await form.getByLabel('Hosts at once').fill('4');
  await form.getByLabel('Refresh every (seconds)').fill('0');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  await expect(form).toContainText('Paused');

  await page.reload();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Settings' }).click();
  await expect(form.getByLabel('Refresh every (seconds)')).toHaveValue('0');
  await expect(form.getByLabel('Hosts at once')).toHaveValue('4');
  await openOverview(page);
  await expect(page.getByText('auto-refresh paused')).toBeVisible();
});
