// electron/main.ts wired against a stand-in 'electron' (the binary cannot run here):
// what happens before ready, what is registered after it, and how a request travels.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelNames, ipcPrefix, type Reply } from '../../../shared/contract';
import { Engine } from '../../../electron/engine/engine';
import { confSettingsStore } from '../../../electron/engine/settings-store';
import { contentSecurityPolicy } from '../../../electron/window-security';

const electron = await vi.hoisted(async () => {
  // vi.hoisted runs before the imports above, so Node's EventEmitter is loaded here.
  const { EventEmitter: Emitter } = await import('node:events');
  const calls: string[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    setPath: (name: string, path: string) => void calls.push(`setPath ${name} ${path}`),
    enableSandbox: () => void calls.push('enableSandbox'),
    requestSingleInstanceLock: () => (calls.push('requestSingleInstanceLock'), true),
    whenReady: () => (calls.push('whenReady'), ready),
    quit: () => void calls.push('quit'),
    exit: (code: number) => void calls.push(`exit ${code}`),
  });
  const permissionHandlers: { request?: (...args: unknown[]) => void; check?: (...args: unknown[]) => boolean } = {};
  const defaultSession = {
    setPermissionRequestHandler: (handler: (...args: unknown[]) => void) => void (permissionHandlers.request = handler),
    setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => void (permissionHandlers.check = handler),
    webRequest: { onHeadersReceived: (listener: unknown) => void (headers.listener = listener) },
  };
  const headers: { listener?: unknown } = {};
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const removedListeners: string[] = [];
  const ipcMain = {
    handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) =>
      void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
    removeAllListeners: (channel: string) => void removedListeners.push(channel),
  };
  let nextId = 1;
  const newContents = () => {
    const contents = Object.assign(new Emitter(), {
      id: nextId++,
      session: defaultSession,
      sent: [] as unknown[],
      send: (channel: string, payload: unknown) => void contents.sent.push([channel, payload]),
      isDestroyed: () => false,
      openHandler: undefined as unknown,
      setWindowOpenHandler: (handler: unknown) => void (contents.openHandler = handler),
    });
    return contents;
  };
  type Contents = ReturnType<typeof newContents>;
  const windows: Array<{ options: Record<string, unknown>; loaded: string[]; focused: number; webContents: Contents }> =
    [];
  class BrowserWindow extends Emitter {
    readonly webContents: Contents;
    readonly record: (typeof windows)[number];
    constructor(options: Record<string, unknown>) {
      super();
      const contents = newContents();
      this.webContents = contents;
      this.record = { options, loaded: [], focused: 0, webContents: contents };
      windows.push(this.record);
      app.emit('web-contents-created', {}, contents);
    }
    loadURL(url: string) {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
    isDestroyed = () => false;
    isMinimized = () => false;
    restore = () => {};
    focus = () => void (this.record.focused += 1);
    show = () => {};
    static getFocusedWindow = () => null;
  }
  const menus: unknown[] = [];
  const schemes: { privileged?: unknown; handlers: Map<string, (request: Request) => Promise<Response>> } = {
    handlers: new Map(),
  };
  const protocol = {
    registerSchemesAsPrivileged: (custom: unknown) => (
      calls.push('registerSchemesAsPrivileged'),
      void (schemes.privileged = custom)
    ),
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
      void schemes.handlers.set(scheme, handler),
  };
  const module = {
    app,
    ipcMain,
    protocol,
    BrowserWindow,
    session: { defaultSession },
    // A Linux desktop without a keyring: the engine must fall back to its key-file cipher.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: (s: string) => Buffer.from(s),
      decryptString: (b: Buffer) => b.toString(),
    },
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: unknown) => void menus.push(menu),
    },
    dialog: {
      showErrorBox: (title: string, text: string) => void calls.push(`showErrorBox ${title}: ${text}`),
      showMessageBox: async () => ({ response: 0 }),
    },
    shell: { openExternal: async (url: string) => void calls.push(`openExternal ${url}`) },
  };
  return { module, calls, markReady, handlers, removedListeners, windows, menus, permissionHandlers, headers, schemes };
});

vi.mock('electron', () => ({ ...electron.module, default: electron.module }));
// electron-store loads the real 'electron' from node_modules, out of vi.mock's reach: use conf, the same store underneath.
vi.mock('../../../electron/electron-settings-store', () => ({
  electronSettingsStore: (dataDir: string) => confSettingsStore(dataDir),
}));

const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-main-'));
const saved = { argv: process.argv, dev: process.env.SHIPDECK_DEV_SERVER_URL };
const devServer = 'http://localhost:5173/';
const closeSpy = vi.spyOn(Engine.prototype, 'close');

beforeAll(async () => {
  (globalThis as Record<string, unknown>).SHIPDECK_VERSION = '9.9.9-test';
  process.argv = ['/usr/bin/electron', 'dist/electron/main.js', '--data-dir', dataDir];
  // The dev server path: the built renderer need not exist for this test.
  process.env.SHIPDECK_DEV_SERVER_URL = devServer;
  await import('../../../electron/main');
});

afterAll(() => {
  process.argv = saved.argv;
  if (saved.dev === undefined) delete process.env.SHIPDECK_DEV_SERVER_URL;
  else process.env.SHIPDECK_DEV_SERVER_URL = saved.dev;
  rmSync(dataDir, { recursive: true, force: true });
});

function invoke(channel: string, sender: unknown, url: string, request: unknown): Promise<Reply<unknown>> {
  const handler = electron.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler({ sender, senderFrame: { url, parent: null } }, request) as Promise<Reply<unknown>>;
}

describe('electron/main.ts', () => {
  it('before ready: points userData at the data folder, enables the sandbox, makes app:// privileged, then takes the single-instance lock', () => {
    expect(electron.calls).toEqual([
      `setPath userData ${dataDir}`,
      'enableSandbox',
      'registerSchemesAsPrivileged',
      'requestSingleInstanceLock',
      'whenReady',
    ]);
    expect(electron.schemes.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(electron.schemes.handlers.size).toBe(0);
    expect(electron.handlers.size).toBe(0);
    expect(electron.windows).toHaveLength(0);
  });

  it('after ready: one handler per channel, the CSP, no permissions but notifications, a locked-down window on our page, a menu', async () => {
    electron.markReady();
    await vi.waitFor(() => expect(electron.windows).toHaveLength(1));
    expect([...electron.handlers.keys()].sort()).toEqual(channelNames.map((channel) => ipcPrefix + channel).sort());
    expect(electron.removedListeners).toContain('electron-store-get-data');

    const [window] = electron.windows;
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    });
    expect(String((window?.options.webPreferences as Record<string, unknown>).preload)).toMatch(/preload\.cjs$/);
    expect(window?.loaded).toEqual([devServer]);
    expect(window?.webContents.openHandler).toBeTypeOf('function');

    const onHeaders = electron.headers.listener as (details: unknown, callback: (answer: unknown) => void) => void;
    let answer: unknown;
    onHeaders({ url: devServer, responseHeaders: {} }, (value) => (answer = value));
    expect(answer).toEqual({ responseHeaders: { 'Content-Security-Policy': [contentSecurityPolicy] } });

    const granted: boolean[] = [];
    electron.permissionHandlers.request?.({}, 'media', (value: boolean) => granted.push(value), {});
    expect(granted).toEqual([false]);
    // Notifications alone, and only for our own page.
    expect(electron.permissionHandlers.check?.(null, 'notifications', devServer, {})).toBe(true);
    expect(electron.permissionHandlers.check?.(null, 'notifications', 'https://evil.example', {})).toBe(false);
    expect(electron.permissionHandlers.check?.(null, 'media', devServer, {})).toBe(false);
    expect(electron.menus).toHaveLength(1);
  });

  it("after ready: app:// serves the renderer's folder, with the policy, and nothing outside it", async () => {
    const serve = electron.schemes.handlers.get('app');
    if (!serve) throw new Error('no handler for app://');
    const page = await serve(new Request('app://shipdeck/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(await page.text()).toContain('<div id="root"></div>');
    // electron/main.ts sits beside renderer/ in the source tree: one folder up and it would be readable, if the handler let it.
    expect((await serve(new Request('app://shipdeck/..%2Felectron%2Fmain.ts'))).status).toBe(403);
    expect((await serve(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });

  it("answers our window's top frame through the engine, as the electron host", async () => {
    const ours = electron.windows[0]?.webContents;
    const reply = await invoke(`${ipcPrefix}getAppInfo`, ours, devServer, {});
    expect(reply).toMatchObject({
      ok: true,
      value: { name: 'Shipdeck', host: 'electron', version: '9.9.9-test', dataDir },
    });
  });

  it('refuses a foreign webContents or page without reaching the engine', async () => {
    const stranger = { id: 999 };
    const fromStranger = await invoke(`${ipcPrefix}listServers`, stranger, devServer, {});
    expect(fromStranger).toMatchObject({ ok: false, problem: { code: 'bad-request' } });
    const ours = electron.windows[0]?.webContents;
    const fromOtherPage = await invoke(`${ipcPrefix}listServers`, ours, 'https://evil.example/', {});
    expect(fromOtherPage).toMatchObject({ ok: false, problem: { code: 'bad-request' } });
  });

  it('focuses the first window when a second instance starts, and closes the engine on quit', () => {
    electron.module.app.emit('second-instance');
    expect(electron.windows[0]?.focused).toBe(1);
    expect(closeSpy).not.toHaveBeenCalled();
    electron.module.app.emit('before-quit');
    expect(closeSpy).toHaveBeenCalledTimes(1);
  });
});
