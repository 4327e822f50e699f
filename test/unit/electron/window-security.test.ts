import { EventEmitter } from 'node:events';
import type { HandlerDetails, Session, WebContents, WindowOpenHandlerResponse } from 'electron';
import { describe, expect, it } from 'vitest';
import { reportStyleSource } from '../../../shared/report-style';
import { appEntry } from '../../../electron/app-scheme';
import {
  contentSecurityPolicy,
  onlyNotifications,
  externalLink,
  guardWebContents,
  isOwnPage,
  secureWebPreferences,
  withContentSecurityPolicy,
  type OwnPages,
} from '../../../electron/window-security';

const ownPage = appEntry;
const own: OwnPages = { entry: appEntry };
const withDevServer: OwnPages = { entry: appEntry, devServer: 'http://localhost:5173' };

describe('isOwnPage', () => {
  it("accepts the renderer's page on app://shipdeck, with or without a fragment", () => {
    expect(appEntry).toBe('app://shipdeck/index.html');
    expect(isOwnPage(ownPage, own)).toBe(true);
    expect(isOwnPage(`${ownPage}#/runs/42`, own)).toBe(true);
    expect(isOwnPage('APP://SHIPDECK/index.html', own)).toBe(true);
  });

  it('refuses every other app:// page and host', () => {
    expect(isOwnPage('app://shipdeck/other.html', own)).toBe(false);
    expect(isOwnPage('app://shipdeck/assets/index.js', own)).toBe(false);
    expect(isOwnPage('app://shipdeck/%69ndex.html', own)).toBe(false);
    expect(isOwnPage('app://evil/index.html', own)).toBe(false);
    expect(isOwnPage('app://shipdeck.evil.example/index.html', own)).toBe(false);
  });

  it('refuses every file:// URL, the built renderer itself included: the UI is never a file page', () => {
    expect(isOwnPage('file:///opt/Shipdeck/resources/app.asar/dist/renderer/index.html', own)).toBe(false);
    expect(isOwnPage('file:///etc/passwd', own)).toBe(false);
    expect(isOwnPage('file:///index.html', own)).toBe(false);
    expect(isOwnPage('file://shipdeck/index.html', own)).toBe(false);
  });

  it('refuses web, data, about and javascript URLs, and garbage', () => {
    for (const url of [
      'http://localhost:5173/',
      'https://example.com/',
      'data:text/html,<h1>Shipdeck</h1>',
      'about:blank',
      'javascript:alert(1)',
      'not a url',
      '',
    ]) {
      expect(isOwnPage(url, own), url).toBe(false);
    }
  });

  it('accepts the dev server only when one is configured, and only its exact origin', () => {
    expect(isOwnPage('http://localhost:5173/', own)).toBe(false);
    expect(isOwnPage('http://localhost:5173/', withDevServer)).toBe(true);
    expect(isOwnPage('http://localhost:5173/src/main.tsx', withDevServer)).toBe(true);
    expect(isOwnPage('http://localhost:5174/', withDevServer)).toBe(false);
    expect(isOwnPage('https://localhost:5173/', withDevServer)).toBe(false);
    expect(isOwnPage('http://127.0.0.1:5173/', withDevServer)).toBe(false);
    expect(isOwnPage('http://localhost.evil.example:5173/', withDevServer)).toBe(false);
  });
});

describe('externalLink', () => {
  it('passes http and https links, normalised', () => {
    expect(externalLink('https://github.com/shipdeck/shipdeck/issues')).toBe(
      'https://github.com/shipdeck/shipdeck/issues',
    );
    expect(externalLink('HTTP://Example.COM')).toBe('http://example.com/');
  });

  it('refuses every other scheme, however it is disguised', () => {
    for (const url of [
      'javascript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'file:///etc/passwd',
      'smb://attacker/share',
      'data:text/html,hi',
      'mailto:a@b.c',
      'ms-msdt:/id',
      'vscode://file/x',
      'not a url',
      '',
    ]) {
      expect(externalLink(url), url).toBeUndefined();
    }
  });

  it('refuses links that carry credentials', () => {
    expect(externalLink('https://user:secret@example.com/')).toBeUndefined();
    expect(externalLink('https://github.com@evil.example/')).toBeUndefined();
  });
});

describe('withContentSecurityPolicy', () => {
  it('replaces any policy the response carried, in any case, and keeps the other headers', () => {
    const answer = withContentSecurityPolicy({
      url: ownPage,
      responseHeaders: {
        'content-security-policy': ['default-src *'],
        'Content-Security-Policy-Report-Only': ['script-src *'],
        'Content-Type': ['text/html'],
      },
    });
    expect(answer).toEqual({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [contentSecurityPolicy] },
    });
  });

  it('adds the policy when there were no headers, on any page', () => {
    for (const url of [ownPage, 'https://evil.example/', 'data:text/html,hi']) {
      expect(withContentSecurityPolicy({ url }), url).toEqual({
        responseHeaders: { 'Content-Security-Policy': [contentSecurityPolicy] },
      });
    }
  });

  it("leaves Chromium's own devtools pages alone", () => {
    expect(
      withContentSecurityPolicy({ url: 'devtools://devtools/bundled/devtools_app.html', responseHeaders: {} }),
    ).toEqual({});
  });

  it('is strict: own scripts only, no plugins, no base, no framing, no forms', () => {
    const directives = new Map(
      contentSecurityPolicy.split('; ').map((directive) => {
        const [name = '', ...sources] = directive.split(' ');
        return [name, sources.join(' ')] as const;
      }),
    );
    expect(Object.fromEntries(directives)).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      // The run report's stylesheet, by its hash (checked in report.test.ts).
      'style-src': `'self' ${reportStyleSource}`,
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
      'form-action': "'none'",
    });
    expect(contentSecurityPolicy).not.toMatch(/unsafe-(inline|eval)/);
  });
});

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the window and gives it no Node and no webview', () => {
    expect(secureWebPreferences('/app/dist/electron/preload.cjs', { devTools: false })).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    });
  });
});

/** A stand-in webContents: real events, a recorded window-open handler. */
function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | undefined;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (handler: typeof openHandler) => void (openHandler = handler),
  });
  const opened: string[] = [];
  guardWebContents(contents as unknown as WebContents, { own, openExternal: (url) => void opened.push(url) });
  const navigate = (event: 'will-navigate' | 'will-redirect', url: string) => {
    let prevented = false;
    emitter.emit(event, { url, preventDefault: () => void (prevented = true) });
    return prevented;
  };
  const open = (url: string) => {
    if (!openHandler) throw new Error('no window-open handler was set');
    return openHandler({
      url,
      frameName: '',
      features: '',
      disposition: 'foreground-tab',
      referrer: { url: '', policy: 'default' },
    });
  };
  return { emitter, navigate, open, opened };
}

describe('guardWebContents', () => {
  it('lets the window navigate and redirect only to our own page', () => {
    const { navigate } = fakeContents();
    expect(navigate('will-navigate', `${ownPage}#/fleet`)).toBe(false);
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-navigate', 'file:///opt/Shipdeck/resources/app.asar/dist/renderer/index.html')).toBe(true);
    expect(navigate('will-navigate', 'app://shipdeck/assets/index.js')).toBe(true);
    expect(navigate('will-redirect', ownPage)).toBe(false);
    expect(navigate('will-redirect', 'http://169.254.169.254/latest/meta-data/')).toBe(true);
  });

  it('opens no window and hands only checked web links to the system browser', () => {
    const { open, opened } = fakeContents();
    for (const url of [
      'https://example.com/docs',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'smb://attacker/share',
      ownPage,
    ]) {
      expect(open(url), url).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://example.com/docs']);
  });

  it('refuses to attach a webview', () => {
    const { emitter } = fakeContents();
    let prevented = false;
    emitter.emit(
      'will-attach-webview',
      { preventDefault: () => void (prevented = true) },
      {},
      { src: 'https://evil.example/' },
    );
    expect(prevented).toBe(true);
  });
});

describe('onlyNotifications', () => {
  const own = { entry: appEntry };
  it('refuses every permission request and check but notifications for its own page', () => {
    let request: ((...args: unknown[]) => void) | undefined;
    let check: ((...args: unknown[]) => boolean) | undefined;
    const session = {
      setPermissionRequestHandler: (handler: typeof request) => void (request = handler),
      setPermissionCheckHandler: (handler: typeof check) => void (check = handler),
    };
    onlyNotifications(session as unknown as Session, own);
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'clipboard-read', 'openExternal', 'geolocation']) {
      request?.({ getURL: () => own.entry }, permission, (granted: boolean) => answers.push(granted), {
        requestingUrl: own.entry,
      });
      expect(check?.(null, permission, own.entry, {}), permission).toBe(permission === 'notifications');
    }
    expect(answers).toEqual([false, true, false, false, false]);
    // Another page (a link that got loaded somehow) gets nothing, notifications included.
    request?.({ getURL: () => 'https://evil.example/' }, 'notifications', (granted: boolean) => answers.push(granted), {
      requestingUrl: 'https://evil.example/',
    });
    expect(answers.at(-1)).toBe(false);
    expect(check?.(null, 'notifications', 'file:///tmp/other.html', {})).toBe(false);
    expect(check?.(null, 'notifications', 'app://shipdeck/other.html', {})).toBe(false);
  });
});

describe('one Content-Security-Policy for every host', () => {
  it('is the one index.html carries (less frame-ancestors, which a meta tag cannot set)', async () => {
    const { readFileSync } = await import('node:fs');
    const html = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    const { contentSecurityPolicy } = await import('../../../shared/content-security-policy');
    expect(meta?.split('; ').sort()).toEqual(
      contentSecurityPolicy
        .split('; ')
        .filter((d) => !d.startsWith('frame-ancestors'))
        .sort(),
    );
  });
});
