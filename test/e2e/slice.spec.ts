import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { addServerByHand } from '../support/server-form';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';
import { closedPort, lab } from '../support/lab-servers';

const artifacts = new URL('../.artifacts/', import.meta.url).pathname;
let served: ServedShipdeck;

test.beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  served = await serveShipdeck();
});
test.afterAll(() => served?.stop());

test('a sign-in link that is wrong is refused, and says how to get a good one', async ({ request }) => {
  const response = await request.get(`${served.origin}/?token=not-one-it-gave-out`);
  expect(response.status()).toBe(401);
  expect(await response.text()).toContain('press Enter in the terminal');
});

test('a new user adds a server, trusts its key, runs diagnostics and sees its containers', async ({ page }) => {
  const [host] = lab().hosts;
  await page.goto(await served.signIn());
  await expect(page).toHaveURL(`${served.origin}/`);
  await expect(page.getByRole('heading', { name: 'Add a server' })).toBeVisible();

  await addServerByHand(page, { name: 'lab-1', port: host!.sshPort, keyPath: lab().clientKey });

  const card = page.getByRole('region', { name: 'Host key' });
  await expect(card.getByTestId('presented-fingerprint')).toHaveText(host!.hostKeyFingerprint);
  await card.getByRole('button', { name: 'Trust and connect' }).click();
  await expect(page.getByText(/Connected as root@127\.0\.0\.1:\d+ in \d+ ms/)).toBeVisible();

  await page.getByRole('button', { name: 'System (uname -a)' }).click();
  const output = page.getByRole('log', { name: 'Command output' });
  await expect(output).toContainText('$ uname -a');
  await expect(output).toContainText('Linux');
  await expect(output.locator('.output-exit').last()).toHaveText(/exit 0/);

  await page.getByRole('button', { name: 'Docker version' }).click();
  await expect(output).toContainText('Server:');

  const containers = page.getByRole('region', { name: 'Containers' });
  await expect(containers.getByRole('cell', { name: 'lab-app-v1' })).toBeVisible();
  await expect(containers.getByRole('cell', { name: 'shipdeck-lab/app:v1' })).toBeVisible();
  await page.screenshot({ path: `${artifacts}slice.png`, fullPage: true });

  // The inventory and trust survive a reload.
  await page.reload();
  await page.getByRole('button', { name: /lab-1/ }).click();
  await expect(page.getByText(host!.hostKeyFingerprint).first()).toBeVisible();
  await expect(containers.getByRole('cell', { name: 'lab-app-v1' })).toBeVisible();
});

test('an unreachable host, a wrong key and a host without Docker each say what to do', async ({ page }) => {
  const [host] = lab().hosts;
  await page.goto(await served.signIn());

  await addServerByHand(page, { name: 'nowhere', port: await closedPort(), keyPath: lab().clientKey });
  await expect(page.getByRole('alert')).toContainText('Nothing accepts SSH connections');
  await expect(page.getByRole('alert')).toContainText('Next:');

  await addServerByHand(page, { name: 'wrong-key', port: host!.sshPort, keyPath: lab().wrongKey });
  await page.getByRole('button', { name: 'Trust and connect' }).click();
  await expect(page.getByRole('alert')).toContainText(`refused the key ${lab().wrongKey}`);
  await expect(page.getByRole('alert')).toContainText('authorized_keys');

  await addServerByHand(page, { name: 'no-docker', port: lab().noDocker.sshPort, keyPath: lab().clientKey });
  await page.getByRole('button', { name: 'Trust and connect' }).click();
  await expect(page.getByRole('alert')).toContainText('Docker is not running on no-docker');
  await page.screenshot({ path: `${artifacts}no-docker.png`, fullPage: true });
});
