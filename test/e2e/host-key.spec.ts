import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { regenerateHostKey, restoreHostKey } from '../lab/control';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';
import { lab } from '../support/lab-servers';
import { consoleErrors } from '../support/lab-session';
import { addServerByHand } from '../support/server-form';

const artifacts = new URL('../.artifacts/', import.meta.url).pathname;
let served: ServedShipdeck;

test.beforeEach(async () => {
  mkdirSync(artifacts, { recursive: true });
  served = await serveShipdeck();
});
test.afterEach(async () => {
  await served?.stop();
  // The lab host gets its own key back, whatever the test did.
  await restoreHostKey(lab().hosts[2]!.name);
});

function overviewState(page: Page, name: string): Locator {
  return page
    .getByRole('table', { name: 'Fleet' })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) })
    .getByTestId('state');
}

async function openSection(page: Page, name: 'Fleet' | 'Settings') {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click();
}

test("a changed host key shows in the fleet as soon as a connection is refused, and is re-trusted by typing the server's name", async ({
  page,
}) => {
  const host = lab().hosts[2]!;
  const errors = consoleErrors(page);
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(await served.signIn());
  await addServerByHand(page, { name: host.name, port: host.sshPort });
  await page.getByRole('region', { name: 'Host key' }).getByRole('button', { name: 'Trust and connect' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Connected as' })).toBeVisible();
  await openSection(page, 'Fleet');
  await expect(page.getByRole('heading', { name: 'Fleet overview' })).toBeVisible();
  await expect(overviewState(page, host.name)).toHaveText('ok', { timeout: 30_000 });

  // The host is reinstalled: a new key, sshd restarted, the fleet's open connection kept (as `systemctl restart ssh` does).
  const { oldFingerprint, newFingerprint } = await regenerateHostKey(host.name, { keepConnections: true });

  // Opening the server connects: the key is read again and refused; the fleet shows it at once.
  await page.getByRole('link', { name: host.name, exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Connection refused: host key changed' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Live status' })).toContainText('host key changed');
  const card = page.getByRole('region', { name: 'Host key' });
  await expect(card.getByRole('heading', { name: 'The host key has CHANGED' })).toBeVisible();
  await expect(card.getByTestId('trusted-fingerprint')).toHaveText(oldFingerprint);
  await expect(card.getByTestId('presented-fingerprint')).toHaveText(newFingerprint);
  await page.screenshot({ path: `${artifacts}host-key-changed.png`, fullPage: true });

  await openSection(page, 'Fleet');
  await expect(overviewState(page, host.name)).toContainText('host key changed');
  // A refresh keeps the refusal, though the older link still answers.
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await expect(page.getByRole('button', { name: 'Refresh now' })).toBeEnabled();
  await expect(overviewState(page, host.name)).toContainText('host key changed');

  // Re-trust: only once the server's name is typed.
  await page.getByRole('link', { name: host.name, exact: true }).click();
  const trust = card.getByRole('button', { name: 'Trust the new key' });
  await expect(trust).toBeDisabled();
  await card.getByLabel(`Type ${host.name} to trust the new key`).fill(`${host.name}x`);
  await expect(trust).toBeDisabled();
  await card.getByLabel(`Type ${host.name} to trust the new key`).fill(host.name);
  await trust.click();
  await expect(page.getByRole('status').filter({ hasText: 'Connected as' })).toContainText('ssh-ed25519');
  await expect(page.getByText(newFingerprint).first()).toBeVisible();
  await openSection(page, 'Fleet');
  await expect(overviewState(page, host.name)).toHaveText('ok', { timeout: 30_000 });

  // The audit trail names the re-trust: the new key, and the one it replaced.
  await openSection(page, 'Settings');
  await expect(page.getByRole('table', { name: 'Latest audit entries' })).toContainText(
    `re-trusted ${newFingerprint} in place of ${oldFingerprint}`,
  );
  expect(errors).toEqual([]);
});
