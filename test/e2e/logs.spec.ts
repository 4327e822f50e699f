import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import Docker from 'dockerode';
import type { LabHost } from '../lab/lab-state';
import { addLabHostsByHand, saveServiceByHand, section } from '../support/server-form';
import { serveShipdeck, type ServedShipdeck } from '../support/browser-host';
import { lab } from '../support/lab-servers';

const artifacts = new URL('../.artifacts/', import.meta.url).pathname;
const hosts = lab().hosts.slice(0, 2);
const service = 'chatter';
/** Every container this test starts carries this label, and afterAll removes them by it. */
const testLabel = 'shipdeck.test=logs-e2e';
const linesPerHost = 200;
let served: ServedShipdeck;

/**
 * A container of the service on a lab host (host networking, as the lab
 * requires): numbered lines, every 50th an ERROR on stderr, the rest green,
 * then silence.
 */
async function startChatter(host: LabHost): Promise<void> {
  const docker = new Docker({ socketPath: host.dockerSocket! });
  const script = [
    'i=0',
    `while [ $i -lt ${linesPerHost} ]; do i=$((i+1))`,
    `if [ $((i % 50)) -eq 0 ]; then echo "ERROR line $i from ${host.name}" >&2; else printf '\\033[32mline %d\\033[0m from ${host.name}\\n' $i; fi`,
    // Apart in time, so that the order across stdout and stderr is the order written (Docker stamps each stream on its own).
    'sleep 0.01',
    'done',
    'exec sleep 100000',
  ].join('\n');
  const container = await docker.createContainer({
    name: `chatter-${host.name}`,
    Image: 'shipdeck-lab/base:1',
    Cmd: ['sh', '-c', script],
    Labels: { 'shipdeck.service': service, [testLabel.split('=')[0]!]: testLabel.split('=')[1]! },
    HostConfig: { NetworkMode: 'host', Init: true },
  });
  await container.start();
}

async function removeChatter(host: LabHost): Promise<void> {
  const docker = new Docker({ socketPath: host.dockerSocket! });
  for (const c of await docker.listContainers({ all: true, filters: { label: [testLabel] } }))
    await docker.getContainer(c.Id).remove({ force: true });
}

test.beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  for (const host of hosts) await removeChatter(host);
  for (const host of hosts) await startChatter(host);
  served = await serveShipdeck();
});
test.afterAll(async () => {
  for (const host of hosts) await removeChatter(host);
  await served?.stop();
});

test("follow a service's logs across two hosts: colours, search, filter to one host, export what is shown", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(message.text());
  });
  await page.setViewportSize({ width: 1500, height: 1000 });
  await page.goto(await served.signIn());
  await page.evaluate(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });

  await addLabHostsByHand(page, hosts, { nginx: false });
  await saveServiceByHand(
    page,
    [
      `service: ${service}`,
      'image: shipdeck-lab/app',
      'port: 3999',
      'servers:',
      `  staging: [${hosts.map((h) => h.name).join(', ')}]`,
    ].join('\n'),
  );

  // Follow: both hosts' containers, merged, every line once.
  const panel = page.getByRole('region', { name: 'Logs' });
  await panel.getByRole('button', { name: 'Follow logs' }).click();
  await expect(panel.getByLabel('Environment')).toHaveValue('staging');
  const log = panel.getByRole('log', { name: `Logs of ${service} on staging` });
  const counts = panel.getByTestId('log-counts');
  await expect(counts).toContainText(`${2 * linesPerHost} lines shown`, { timeout: 30_000 });
  for (const host of hosts) await expect(counts).toContainText(`${host.name} · chatter-${host.name}`);
  await expect(panel.getByRole('button', { name: 'Follow', exact: true })).toHaveAttribute('aria-pressed', 'true');
  // Following shows the newest lines: the last ones written.
  await expect(log).toContainText(`line ${linesPerHost} from`);
  // Only the rows in view (and a few more) are in the page.
  expect(await log.locator('.log-row').count()).toBeLessThan(100);

  // ANSI colours by class, and no CSP violation.
  const green = log.locator('.ansi-fg-2').first();
  await expect(green).toBeVisible();
  expect(await green.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(126, 231, 135)');
  await page.screenshot({ path: `${artifacts}logs-service-light.png` });
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await page.screenshot({ path: `${artifacts}logs-service-dark.png` });
  await page.evaluate(() => delete document.documentElement.dataset.theme);

  // Scrolling up pauses; f follows again.
  await log.hover();
  await page.mouse.wheel(0, -600);
  await expect(panel.getByRole('button', { name: 'Follow', exact: true })).toHaveAttribute('aria-pressed', 'false');
  await expect(counts).toContainText('paused');
  await log.focus();
  await page.keyboard.press('f');
  await expect(panel.getByRole('button', { name: 'Follow', exact: true })).toHaveAttribute('aria-pressed', 'true');

  // Search: `/` from the list, the count, the highlight, Enter to the first match.
  await log.focus();
  await page.keyboard.press('/');
  const search = panel.getByRole('searchbox', { name: 'Search the log' });
  await expect(search).toBeFocused();
  await page.keyboard.type('error line');
  await expect(panel.getByRole('status').filter({ hasText: 'matching' })).toHaveText('8 matching lines');
  const matchCount = panel.getByRole('status').filter({ hasText: 'matching' });
  // Enter goes to the first match after the top of the view (following: near the end).
  await page.keyboard.press('Enter');
  await expect(matchCount).toHaveText(/^\d of 8 matching lines$/);
  const at = Number((await matchCount.textContent())!.split(' ')[0]);
  await expect(log.locator('.current-match mark.log-hit')).toHaveText(/error line/i);
  await expect(panel.getByRole('button', { name: 'Follow', exact: true })).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('Enter');
  await expect(matchCount).toHaveText(`${(at % 8) + 1} of 8 matching lines`);
  await page.keyboard.press('Shift+Enter');
  await expect(matchCount).toHaveText(`${at} of 8 matching lines`);
  await page.keyboard.press('F3');
  await expect(matchCount).toHaveText(`${(at % 8) + 1} of 8 matching lines`);
  await page.screenshot({ path: `${artifacts}logs-search.png` });

  // A regex that does not parse says so.
  await panel.getByRole('checkbox', { name: 'Regex' }).check();
  await search.fill('line (1');
  await expect(panel.getByRole('status').filter({ hasText: 'regular expression' })).toContainText(
    'Not a valid regular expression',
  );
  await search.fill('^ERROR line \\d+0 ');
  await expect(panel.getByRole('status').filter({ hasText: 'matching' })).toHaveText('8 matching lines');

  // Filter to one host: only its lines, counted.
  const [one] = hosts;
  await panel.getByLabel('Host').selectOption(one!.name);
  await expect(counts).toContainText(`${linesPerHost} lines shown of ${2 * linesPerHost}`);
  await expect(panel.getByRole('status').filter({ hasText: 'matching' })).toHaveText('4 matching lines');
  await expect(log.locator('.log-host').first()).toHaveText(one!.name);
  expect(new Set(await log.locator('.log-host').allTextContents())).toEqual(new Set([one!.name]));

  // Export: exactly the shown lines, with time, host, container and stream.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Export' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^shipdeck-chatter-on-staging-\d{8}-\d{6}\.log$/);
  const lines = readFileSync((await download.path())!, 'utf8')
    .trimEnd()
    .split('\n');
  expect(lines).toHaveLength(linesPerHost);
  // Docker stamps stdout and stderr as it reads each pipe, so a stderr line may sort just after the stdout line that followed it; within a stream the order is exact.
  const numbers: Record<string, number[]> = { stdout: [], stderr: [] };
  for (const line of lines) {
    const [time, host, container, stream, text] = line.split('\t');
    expect(Date.parse(time!)).toBeGreaterThan(0);
    expect(host).toBe(one!.name);
    expect(container).toBe(`chatter-${one!.name}`);
    const n = Number(/line (\d+) from/.exec(text!)?.[1]);
    expect(stream).toBe(n % 50 === 0 ? 'stderr' : 'stdout');
    expect(text).toBe(n % 50 === 0 ? `ERROR line ${n} from ${one!.name}` : `line ${n} from ${one!.name}`);
    numbers[stream!]!.push(n);
  }
  const all = Array.from({ length: linesPerHost }, (_, i) => i + 1);
  expect(numbers.stdout).toEqual(all.filter((n) => n % 50 !== 0));
  expect(numbers.stderr).toEqual(all.filter((n) => n % 50 === 0));

  // Next error (e), then select and copy plain text.
  await log.focus();
  await page.keyboard.press('e');
  await expect(log.locator('.log-row.selected')).toContainText('ERROR line');
  await expect(panel.getByRole('button', { name: /^Copy 1$/ })).toBeEnabled();

  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  expect(errors).toEqual([]);
});

test("a secret set on the service page is kept, never shown again, and appears as *** in the service's logs", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const token = `tok-${process.pid}-${Date.now().toString(36)}`;
  const host = hosts[0]!;
  await page.setViewportSize({ width: 1500, height: 1000 });
  await page.goto(await served.signIn());
  // The servers and the service the test before added stay in the served data folder.
  await section(page, 'Services').click();
  await page
    .getByRole('complementary', { name: 'Services' })
    .getByRole('button', { name: new RegExp(service) })
    .click();
  const spec = page.getByRole('textbox', { name: /^Spec/ });
  await spec.fill(`${await spec.inputValue()}secrets: [CHATTER_TOKEN]\n`);
  await page.getByRole('button', { name: 'Save changes' }).click();

  const secrets = page.getByRole('region', { name: 'Secrets' });
  await expect(secrets).toContainText('Not set yet: CHATTER_TOKEN');
  const row = secrets.getByRole('form', { name: 'Secret CHATTER_TOKEN' });
  await expect(row).toContainText('not set');
  await row.getByLabel('Value of CHATTER_TOKEN').fill(token);
  await row.getByRole('button', { name: 'Set' }).click();
  await expect(row).toContainText('set');
  await expect(row.getByRole('status')).toHaveText('Saved');
  await expect(secrets).not.toContainText('Not set yet');
  await expect(row.getByLabel('Value of CHATTER_TOKEN')).toHaveValue('');

  // A container of the service prints the token: the viewer shows ***, and the page never holds the value.
  const docker = new Docker({ socketPath: host.dockerSocket! });
  await (
    await docker.createContainer({
      name: `chatter-secret-${host.name}`,
      Image: 'shipdeck-lab/base:1',
      Cmd: ['sh', '-c', `echo "connecting with token ${token} now"; exec sleep 100000`],
      Labels: { 'shipdeck.service': service, [testLabel.split('=')[0]!]: testLabel.split('=')[1]! },
      HostConfig: { NetworkMode: 'none', Init: true },
    })
  ).start();
  const panel = page.getByRole('region', { name: 'Logs' });
  await panel.getByRole('button', { name: 'Follow logs' }).click();
  const log = panel.getByRole('log', { name: `Logs of ${service} on staging` });
  await expect(log).toContainText('connecting with token *** now', { timeout: 30_000 });
  expect(await page.content()).not.toContain(token);
});
