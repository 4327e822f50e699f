import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, consoleErrors, labSession } from '../support/lab-session';
import { lab } from '../support/lab-servers';
import { labReload } from '../support/lab-cleanup';
import { addServerByHand, releaseByHand, saveServiceByHand, section, trustLabKeys } from '../support/server-form';

const session = labSession();
const [host, other] = session.hosts as [(typeof session.hosts)[number], (typeof session.hosts)[number]];

/** Every file under a folder, recursively, with its bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, bytes: readFileSync(path) }];
  });
}

/** Where a place holds a secret: as it is, or as JSON would escape it. */
function hitsIn(place: string, text: string, secrets: Readonly<Record<string, string>>): string[] {
  return Object.entries(secrets).flatMap(([what, secret]) =>
    [secret, JSON.stringify(secret).slice(1, -1)].some((form) => text.includes(form)) ? [`${what} in ${place}`] : [],
  );
}

test('no secret reaches any record: hooks that print and contain a service secret, a password and a passphrase leave only *** in the data folder, the report, the PDF, every frame and the engine log', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = consoleErrors(page);
  // Every WebSocket frame the page receives, from the first one.
  const frames: string[] = [];
  page.on('websocket', (ws) =>
    ws.on('framereceived', (frame) =>
      frames.push(typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8')),
    ),
  );

  // The three kinds of secret Shipdeck holds: a key's passphrase, a login password, a service's secret.
  const passphrase = `pp-${Date.now().toString(36)}-Kq7`;
  const keyPath = join(artifacts, 'secrets-passphrase-key');
  rmSync(keyPath, { force: true });
  copyFileSync(lab().clientKey, keyPath);
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', passphrase, '-f', keyPath]);
  const password = lab().sdlab.password;
  const dbPassword = `db-${Date.now().toString(36)}-Zx9w`;
  const secrets = { passphrase, password, 'service secret': dbPassword };
  const { port } = session;

  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(await session.served.signIn());
  // The release's host logs in with the passphrase-protected key; a second server logs in as sdlab with its password.
  await addServerByHand(page, {
    name: host.name,
    port: host.sshPort,
    keyPath,
    passphrase,
    proxy: { upstreamFile: host.nginx!.upstream, reload: labReload(host) },
  });
  const form = async () => {
    await page.getByRole('button', { name: 'Add server' }).first().click();
    return page.getByRole('form', { name: 'Add a server' });
  };
  const passwordForm = await form();
  await passwordForm.getByLabel('Name', { exact: true }).fill('password-box');
  await passwordForm.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await passwordForm.getByLabel('Port').fill(String(other.sshPort));
  await passwordForm.getByLabel('User').fill('sdlab');
  await passwordForm.getByRole('radio', { name: 'Password' }).check();
  await passwordForm.getByLabel('Login password').fill(password);
  await passwordForm.getByRole('button', { name: 'Add server' }).click();
  await expect(page.getByRole('heading', { name: 'password-box' })).toBeVisible();
  await trustLabKeys(page, [{ name: host.name }, { name: 'password-box' }]);

  // The service lists its secret, which is set on its page.
  const base = [
    'service: web',
    'image: shipdeck-lab/app',
    `port: ${port}`,
    `servers: { staging: [${host.name}] }`,
    'healthcheck: { path: /up, status: 200, interval: 200ms, timeout: 1s, retries: 50 }',
    'secrets: [DB_PASSWORD]',
  ];
  await saveServiceByHand(page, base.join('\n'));
  const row = page.getByRole('region', { name: 'Secrets' }).getByRole('form', { name: 'Secret DB_PASSWORD' });
  await row.getByLabel('Value of DB_PASSWORD').fill(dbPassword);
  await row.getByRole('button', { name: 'Set' }).click();
  await expect(row.getByRole('status')).toHaveText('Saved');

  // Hooks that carry every secret in their command line and print them: whole, split across two chunks of output,
  // and in the new container's `docker inspect`; the post-deploy hook then fails, so the run's hint carries its output.
  const half = Math.floor(dbPassword.length / 2);
  const hooks = [
    'hooks:',
    '  pre-deploy:',
    `    - "echo pre: ${password} ${passphrase} ${dbPassword}"`,
    `    - "printf 'split: ${dbPassword.slice(0, half)}'; sleep 0.5; printf '${dbPassword.slice(half)} :split\\\\n'"`,
    '  post-deploy:',
    `    - "docker inspect web-{{release}}-${port}; echo post: ${password} ${passphrase} ${dbPassword}; exit 7"`,
  ];
  await section(page, 'Services').click();
  await page.getByRole('complementary', { name: 'Services' }).getByRole('button', { name: /web/ }).click();
  await page.getByRole('textbox', { name: /^Spec/ }).fill(`${[...base, ...hooks].join('\n')}\n`);
  await expect(page.getByText('No problems')).toBeVisible();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled();

  const run = await releaseByHand(page, 'web', 'v2');
  await expect(run.getByTestId('run-status').first()).toHaveText('rolled back', { timeout: 120_000 });
  await expect(run).toContainText('post-deploy hook failed');

  // The Report view, the Markdown and the PDF.
  const report = run.getByRole('group', { name: 'Run report' });
  await report.getByRole('button', { name: 'Report', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Report: web v2 → staging' });
  const sheet = dialog.frameLocator('iframe[title="Run report"]');
  await expect(sheet.getByRole('heading', { name: 'Run report: web v2 → staging' })).toBeVisible();
  const reportView = await sheet.locator('body').innerText();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Export Markdown' }).click(),
  ]);
  const markdown = readFileSync(await download.path(), 'utf8');
  await page.keyboard.press('Escape');
  const pdfDownload = page.waitForEvent('download');
  await report.getByRole('button', { name: 'Export PDF' }).click();
  const pdfFile = join(artifacts, 'secrets-report.pdf');
  await (await pdfDownload).saveAs(pdfFile);
  const pdfText = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });

  // The editor shows the spec with *** (the page never holds a secret); an edit elsewhere keeps the hooks' secrets.
  await section(page, 'Services').click();
  await page.getByRole('complementary', { name: 'Services' }).getByRole('button', { name: /web/ }).click();
  const editor = page.getByRole('textbox', { name: /^Spec/ });
  await expect(editor).toHaveValue(/echo pre: \*\*\* \*\*\* \*\*\*/);
  await editor.fill(`${await editor.inputValue()}retain: 4\n`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled();

  // An incident whose words carry secrets, as a hurried person might paste them: its journal and the audit trail keep ***.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Open incident' }).click();
  const opening = page.getByRole('dialog', { name: 'Open an incident' });
  await opening.getByLabel('What is wrong').fill(`web leaks ${dbPassword}`);
  await opening.getByLabel('How it was noticed').fill(`the hook printed ${password} and ${passphrase}`);
  await opening.getByLabel('Your name').fill('e2e');
  await opening.getByRole('button', { name: 'Open incident' }).click();
  await expect(
    page.getByRole('region', { name: 'Incident web leaks ***' }).getByTestId('incident-status').first(),
  ).toHaveText('open');

  // Search everything. The spec file is the user's own text, kept as written (it is the input the hooks run from,
  // not a record), so it is checked to be exactly that and nothing more; every other file must hold no secret.
  const specFile = join(session.served.dataDir, 'services', 'web.yaml');
  const files = filesUnder(session.served.dataDir).filter((f) => f.path !== specFile);
  const engineLog = readFileSync(join(session.served.dataDir, 'logs', 'engine.log'), 'utf8');
  const places = [
    ...files.map((f) => ({
      place: f.path.slice(session.served.dataDir.length + 1),
      text: f.bytes.toString('latin1') + f.bytes.toString('utf8'),
    })),
    { place: 'the exported Markdown', text: markdown },
    { place: "the PDF's text", text: pdfText },
    { place: 'the Report view', text: reportView },
    { place: 'the engine log', text: engineLog },
    ...frames.map((text, i) => ({ place: `WebSocket frame ${i + 1}`, text })),
  ];
  const hits = places.flatMap(({ place, text }) => hitsIn(place, text, secrets));
  const searched = { files: files.length, frames: frames.length, chars: places.reduce((n, p) => n + p.text.length, 0) };
  console.log(
    `secret hits: ${hits.length}, in ${places.length} places searched (${searched.files} files of the data folder, ${searched.frames} WebSocket frames, the Markdown, the PDF's text, the Report view, the engine log; ${searched.chars} characters) for 3 secrets`,
  );
  if (hits.length)
    console.log(
      `where: ${[...new Set(hits.map((h) => h.replace(/WebSocket frame \d+/, 'WebSocket frames')))].join('; ')}`,
    );

  // What was recorded is really there, as ***: the hooks ran, printed, and failed, and the search had text to search.
  expect(readFileSync(specFile, 'utf8')).toBe(`${[...base, ...hooks, 'retain: 4'].join('\n')}\n`);
  const journal = filesUnder(join(session.served.dataDir, 'runs'))
    .map((f) => f.bytes.toString('utf8'))
    .join('\n');
  expect(journal).toContain('pre: *** *** ***');
  expect(journal).toContain('DB_PASSWORD=***');
  // The secret printed in two chunks half a second apart is caught whole.
  expect(journal).toContain('split: *** :split');
  expect(journal).toContain('Its last output');
  expect(engineLog).toContain('rolled-back');
  expect(markdown).toContain('echo pre: *** *** ***');
  expect(markdown).toContain('Its last output');
  expect(markdown).toContain('post: *** *** ***');
  expect(pdfText).toContain('Run report: web v2');
  expect(reportView).toContain('echo pre: *** *** ***');
  expect(frames.join('\n')).toContain('pre: *** *** ***');
  expect(
    filesUnder(join(session.served.dataDir, 'incidents'))
      .map((f) => f.bytes.toString('utf8'))
      .join(''),
  ).toContain('the hook printed *** and ***');
  expect(hits).toEqual([]);
  expect(errors.filter((e) => !e.startsWith("Blocked script execution in 'about:srcdoc'"))).toEqual([]);
});
