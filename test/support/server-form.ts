import { expect, type Page } from '@playwright/test';
import { lab } from './lab-servers';

/** What a test types into the add-server form for a lab host (as root, with the lab's key unless it says otherwise). */
export interface ServerFields {
  readonly name: string;
  readonly port: number;
  readonly keyPath?: string;
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
