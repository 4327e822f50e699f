import { test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import type { LabHost } from '../lab/lab-state';
import { serveShipdeck, type ServedShipdeck } from './browser-host';
import { restoreLabHosts } from './lab-cleanup';
import { lab } from './lab-servers';
import { freePortPair } from './ports';

/** Where end-to-end specs leave their screenshots, PDFs and exports. */
export const artifacts = new URL('../.artifacts/', import.meta.url).pathname;

/** What a spec works with: the two lab hosts, its own browser host, and a free port for its service. */
export interface LabSession {
  readonly hosts: readonly LabHost[];
  readonly served: ServedShipdeck;
  readonly port: number;
}

/**
 * A spec's own browser host on the first two lab hosts, which are put back on
 * v1 before it starts and after it ends (`beforeRestore` runs first then, to
 * undo what the spec did to the hosts, such as a stopped sshd). Call it at
 * the top of the spec file; read `served` and `port` inside the tests.
 */
export function labSession(
  options: { readonly beforeRestore?: (hosts: readonly LabHost[]) => Promise<void> } = {},
): LabSession {
  const hosts = lab().hosts.slice(0, 2);
  let served: ServedShipdeck | undefined;
  let port: number | undefined;
  test.beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await restoreLabHosts(hosts);
    served = await serveShipdeck();
    port = await freePortPair();
  });
  test.afterAll(async () => {
    await options.beforeRestore?.(hosts);
    await restoreLabHosts(hosts);
    await served?.stop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`the lab session has no ${what} yet: read it inside a test, after beforeAll`);
    return value;
  };
  return {
    hosts,
    get served() {
      return ready(served, 'browser host');
    },
    get port() {
      return ready(port, 'port');
    },
  };
}

/**
 * The page's console errors as they come, each with where it came from. The
 * browser asks for a favicon the host does not serve; that 404 is not the page's doing.
 */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
      errors.push(`${message.text()} ${message.location().url}`);
  });
  return errors;
}
