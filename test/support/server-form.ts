import { expect, type Locator, type Page } from '@playwright/test';
import type { LabHost } from '../lab/lab-state';
import { labReload } from './lab-cleanup';
import { lab } from './lab-servers';

/** What a test types into the add-server form for a lab host (as root, with the lab's key unless it says otherwise). */
export interface ServerFields {
  readonly name: string;
  readonly port: number;
  readonly keyPath?: string;
  /** The key's passphrase, when it has one. */
  readonly passphrase?: string;
  /** staging (the default), production, or a name of one's own. */
  readonly environment?: string;
  readonly labels?: string;
  /** The host's nginx: where the upstream file is and how it reloads. */
  readonly proxy?: { readonly upstreamFile: string; readonly reload: string };
}

/** Fill the add-server form the way a person does, and wait for the new server's page. */
export async function addServerByHand(page: Page, fields: ServerFields): Promise<void> {
  await page.getByRole('button', { name: 'Add server' }).first().click();
  const form = page.getByRole('form', { name: 'Add a server' });
  await form.getByLabel('Name', { exact: true }).fill(fields.name);
  await form.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await form.getByLabel('Port').fill(String(fields.port));
  await form.getByLabel('User').fill('root');
  await form.getByRole('radio', { name: 'Key file' }).check();
  await form.getByLabel('Private key file').fill(fields.keyPath ?? lab().clientKey);
  if (fields.passphrase !== undefined) await form.getByLabel('Key passphrase').fill(fields.passphrase);
  const environment = fields.environment ?? 'staging';
  if (environment === 'staging' || environment === 'production') {
    await form.getByLabel('Environment', { exact: true }).selectOption(environment);
  } else {
    await form.getByLabel('Environment', { exact: true }).selectOption({ label: 'other…' });
    await form.getByLabel('Environment name').fill(environment);
  }
  if (fields.labels) await form.getByLabel('Labels').fill(fields.labels);
  if (fields.proxy) {
    await form.getByLabel('Upstream file').fill(fields.proxy.upstreamFile);
    await form.getByLabel('Reload command').fill(fields.proxy.reload);
  }
  await form.getByRole('button', { name: 'Add server' }).click();
  await expect(page.getByRole('heading', { name: fields.name })).toBeVisible();
}

/** One of the left navigation's sections. */
export function section(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name });
}

/** Import… → Trust keys from known_hosts, with the lab's known_hosts: every host named is trusted. */
export async function trustLabKeys(page: Page, hosts: readonly { readonly name: string }[]): Promise<void> {
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByRole('menuitem', { name: 'Trust keys from known_hosts' }).click();
  const trust = page.getByRole('dialog', { name: 'Trust keys from known_hosts' });
  await trust.getByLabel('known_hosts file').fill(`${lab().dir}/known_hosts`);
  await trust.getByRole('button', { name: 'Trust listed keys' }).click();
  for (const host of hosts) await expect(trust.getByRole('table', { name: 'Trusted keys' })).toContainText(host.name);
  await page.keyboard.press('Escape');
  await expect(trust).toBeHidden();
}

/**
 * In the release dialog, before the preview: a low-class change (its manual
 * items optional, its automatic ones checked by Shipdeck) with a known impact,
 * so the run goes through without pausing.
 */
/** The lab hosts added by hand (each with its own nginx unless `nginx: false`), and their keys trusted from the lab's known_hosts. */
export async function addLabHostsByHand(
  page: Page,
  hosts: readonly LabHost[],
  options: { readonly nginx?: boolean } = {},
): Promise<void> {
  for (const host of hosts)
    await addServerByHand(page, {
      name: host.name,
      port: host.sshPort,
      ...(options.nginx === false ? {} : { proxy: { upstreamFile: host.nginx!.upstream, reload: labReload(host) } }),
    });
  await trustLabKeys(page, hosts);
}

/** A new service from its spec, as a person writes it in the editor: checked, saved, then shown. */
export async function saveServiceByHand(page: Page, spec: string): Promise<void> {
  const name = /^service:\s*(\S+)/m.exec(spec)?.[1] ?? 'web';
  await section(page, 'Services').click();
  await page.getByRole('button', { name: 'New service' }).first().click();
  await page.getByRole('textbox', { name: /^Spec/ }).fill(spec.endsWith('\n') ? spec : `${spec}\n`);
  await expect(page.getByText('No problems')).toBeVisible();
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
}

export async function describeLowChange(dialog: Locator): Promise<void> {
  await dialog.getByLabel('Change class').selectOption('low');
  await dialog.getByLabel('Business impact').fill('e2e: the lab only');
  await dialog.getByLabel('Your name').fill('e2e');
}

/** After the preview: give every stop gate it met a reason, so the run may start past them. */
export async function overridePredictedGates(dialog: Locator): Promise<void> {
  const reasons = dialog.getByLabel(/^Override with a reason/);
  for (const reason of await reasons.all()) await reason.fill('e2e: the lab is no production');
}

/** From the saved service, preview a low-class release of `version` to its first environment and run it; resolves with the run's view. */
export async function releaseByHand(page: Page, service: string, version: string) {
  await section(page, 'Services').click();
  await page
    .getByRole('complementary', { name: 'Services' })
    .getByRole('button', { name: new RegExp(service) })
    .click();
  await page.getByRole('button', { name: 'Release…' }).click();
  const dialog = page.getByRole('dialog', { name: `Release ${service}` });
  await dialog.getByLabel('Version').fill(version);
  await describeLowChange(dialog);
  await dialog.getByRole('button', { name: 'Preview plan' }).click();
  await expect(dialog.getByRole('table', { name: 'Hosts in the plan' })).toBeVisible();
  await overridePredictedGates(dialog);
  await dialog.getByRole('button', { name: 'Run this plan' }).click();
  await expect(dialog).toBeHidden();
  const run = page.getByRole('region', { name: `Run ${service} ${version}` });
  await expect(run).toBeVisible();
  return run;
}
