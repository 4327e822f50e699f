/**
 * How Shipdeck's windows are locked down: which pages they may show, the
 * Content-Security-Policy, the web preferences, and the guards every
 * webContents gets. Pure or injected, so it is unit-tested without Electron;
 * only types come from 'electron'.
 */
import type { HeadersReceivedResponse, Session, WebContents, WebPreferences } from 'electron';
import { contentSecurityPolicy } from '../shared/content-security-policy';

/** The pages our windows may show. */
export interface OwnPages {
  /** The built renderer's page on Shipdeck's own scheme: app://shipdeck/index.html (app-scheme.ts). */
  readonly entry: string;
  /** Origin of the Vite dev server: set only in development, when SHIPDECK_DEV_SERVER_URL asks for it. */
  readonly devServer?: string;
}

export { contentSecurityPolicy };

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Is this URL one of our own pages? The renderer's page itself (any #fragment),
 * or the dev server's origin when one was configured. Everything else is
 * foreign: every file:// URL, other app:// paths, other hosts, data:, about:, javascript:.
 */
export function isOwnPage(url: string, own: OwnPages): boolean {
  const candidate = parseUrl(url);
  if (!candidate) return false;
  const entry = new URL(own.entry);
  if (candidate.protocol === entry.protocol)
    return candidate.host.toLowerCase() === entry.host && candidate.pathname === entry.pathname;
  if (own.devServer === undefined) return false;
  return (
    (candidate.protocol === 'http:' || candidate.protocol === 'https:') &&
    candidate.origin === new URL(own.devServer).origin
  );
}

/**
 * The link to hand to the system browser, or undefined when it is not a plain
 * web link: only http: and https: pass (never javascript:, file:, smb: or a
 * custom scheme that would launch a program), and never with credentials in it.
 */
export function externalLink(url: string): string | undefined {
  const parsed = parseUrl(url);
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return undefined;
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.href;
}

/**
 * The headers answer for `webRequest.onHeadersReceived`: every response gets
 * our Content-Security-Policy in place of any it carried, except Chromium's
 * own devtools:// pages, which must keep theirs.
 */
export function withContentSecurityPolicy(details: {
  readonly url: string;
  readonly responseHeaders?: Readonly<Record<string, string | string[]>>;
}): HeadersReceivedResponse {
  if (details.url.startsWith('devtools:')) return {};
  const responseHeaders: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only') continue;
    responseHeaders[name] = value;
  }
  responseHeaders['Content-Security-Policy'] = [contentSecurityPolicy];
  return { responseHeaders };
}

/** Web preferences for every Shipdeck window: isolated, sandboxed, no Node, no webview. */
export function secureWebPreferences(preload: string, options: { readonly devTools: boolean }): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools: options.devTools,
  };
}

export interface ContentsGuards {
  readonly own: OwnPages;
  /** Open a checked http(s) link in the system browser. */
  readonly openExternal: (url: string) => void;
}

/**
 * Guard one webContents: it may navigate or be redirected only to our own
 * page, it opens no windows (web links go to the system browser once checked),
 * and it attaches no <webview>.
 */
export function guardWebContents(contents: WebContents, guards: ContentsGuards): void {
  contents.on('will-navigate', (details) => {
    if (!isOwnPage(details.url, guards.own)) details.preventDefault();
  });
  contents.on('will-redirect', (details) => {
    if (!isOwnPage(details.url, guards.own)) details.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const link = externalLink(url);
    if (link !== undefined) guards.openExternal(link);
    return { action: 'deny' };
  });
}

/**
 * Refuse every permission request and check (camera, clipboard, USB…) but
 * one: desktop notifications for Shipdeck's own page, so a run that needs a
 * person can say so while the window is hidden.
 */
export function onlyNotifications(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  own: OwnPages,
): void {
  const allowed = (permission: string, url: string | undefined) =>
    permission === 'notifications' && url !== undefined && isOwnPage(url, own);
  session.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(
      allowed(
        permission,
        details?.requestingUrl ?? (typeof contents?.getURL === 'function' ? contents.getURL() : undefined),
      ),
    ),
  );
  session.setPermissionCheckHandler((_contents, permission, origin) => allowed(permission, origin));
}
