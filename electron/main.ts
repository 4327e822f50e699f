// Electron's main process: one locked-down window onto the engine. The rules
// live in window-security.ts and ipc-main.ts; this file only wires them up.
import {
  BrowserWindow,
  Menu,
  app,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
  type MessageBoxOptions,
} from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeProblem, ProblemError } from '../shared/problem';
import { appEntry, appResponse, appScheme, appSchemePrivileges } from './app-scheme';
import { aboutDetail, appMenuTemplate } from './app-menu';
import { electronSettingsStore } from './electron-settings-store';
import { resolveDataDir } from './engine/data-dir';
import { makeFolder } from './engine/data-file';
import { defaultOwner, Engine } from './engine/engine';
import { fileLog, type EngineLog } from './engine/log';
import { forwardEvents, serveContract } from './ipc-main';
import { desktopCipher } from './secret-cipher';
import { electronPrinter } from './engine/report/electron-printer';
import { dataDirArgument, devServerUrl } from './launch-options';
import {
  guardWebContents,
  onlyNotifications,
  secureWebPreferences,
  withContentSecurityPolicy,
  type OwnPages,
} from './window-security';

declare const SHIPDECK_VERSION: string;

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', 'renderer');
const rendererIndex = join(rendererDir, 'index.html');
const windows = new Set<BrowserWindow>();

/** Report a failure to start (on Linux before ready it goes to stderr) and stop. */
function cannotStart(error: unknown): void {
  // A data folder that cannot be written says which folder and what to do, as every Problem does.
  dialog.showErrorBox(
    'Shipdeck cannot start',
    error instanceof ProblemError
      ? describeProblem(error.problem)
      : error instanceof Error
        ? error.message
        : String(error),
  );
  app.exit(1);
}

function launch(): void {
  let dataDir: string;
  let devServer: string | undefined;
  try {
    dataDir = resolveDataDir(dataDirArgument(process.argv));
    makeFolder(dataDir);
    devServer = devServerUrl(process.env, app.isPackaged);
    if (devServer === undefined && !existsSync(rendererIndex))
      throw new Error(`The UI is not built (no ${rendererIndex}): run \`npm run build\` first.`);
  } catch (error) {
    cannotStart(error);
    return;
  }
  // Before ready: Chromium's profile and the single-instance lock live in userData, so each data folder is its own instance.
  app.setPath('userData', dataDir);
  app.enableSandbox();
  // The UI comes from app://shipdeck/, never file:// (whose extra privileges the packaged app's fuse turns off).
  protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const own: OwnPages = { entry: appEntry, ...(devServer ? { devServer: new URL(devServer).origin } : {}) };
  const entry = devServer ?? own.entry;
  const log = fileLog(dataDir);

  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, {
      own,
      openExternal: (url) =>
        void shell
          .openExternal(url)
          .catch((error: unknown) => log.write('warn', `could not open ${url} in the browser: ${String(error)}`)),
    });
    onlyNotifications(contents.session, own);
  });
  app.on('second-instance', () => {
    const [first] = windows;
    if (!first) return;
    if (first.isMinimized()) first.restore();
    first.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app
    .whenReady()
    .then(() => {
      protocol.handle(appScheme, (request) => appResponse(request, rendererDir));
      onlyNotifications(session.defaultSession, own);
      session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
        callback(withContentSecurityPolicy(details)),
      );
      const engine = new Engine({
        store: electronSettingsStore(dataDir),
        log,
        dataDir,
        host: 'electron',
        version: SHIPDECK_VERSION,
        cipher: desktopCipher(safeStorage, dataDir, process.platform),
        printReport: electronPrinter((options) => new BrowserWindow(options)),
      });
      // electron-store answers this raw sync message for renderer-side stores; ours has none, so the only IPC left is the contract.
      ipcMain.removeAllListeners('electron-store-get-data');
      serveContract(ipcMain, engine, {
        own,
        isOwnWindow: (contents) =>
          [...windows].some((window) => !window.isDestroyed() && window.webContents.id === contents.id),
        onRefused: (channel, reason) => log.write('warn', `refused ${channel}: ${reason}`),
      });
      forwardEvents(engine, () =>
        [...windows].filter((window) => !window.isDestroyed()).map((window) => window.webContents),
      );
      // A reloaded page has forgotten the logs it followed: stop them, as the browser host does when a page's socket closes.
      app.on('web-contents-created', (_event, contents) =>
        contents.on('did-start-loading', () => engine.stopLogsOf(defaultOwner)),
      );
      app.once('before-quit', () => engine.close());
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          appMenuTemplate({ platform: process.platform, isPackaged: app.isPackaged, onAbout: showAbout }),
        ),
      );
      openWindow(entry, log);
      app.on('activate', () => {
        if (windows.size === 0) openWindow(entry, log);
      });
    })
    .catch(cannotStart);
}

function openWindow(entry: string, log: EngineLog): void {
  const window = new BrowserWindow({
    title: 'Shipdeck',
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    webPreferences: secureWebPreferences(join(here, 'preload.cjs'), { devTools: !app.isPackaged }),
  });
  windows.add(window);
  window.on('closed', () => windows.delete(window));
  window.once('ready-to-show', () => window.show());
  window.loadURL(entry).catch((error: unknown) => {
    log.write('error', `could not load the UI from ${entry}: ${String(error)}`);
    dialog.showErrorBox(
      'Shipdeck could not load its window',
      `${String(error)}\n\nRebuild with \`npm run build\`; details are in ${log.path}.`,
    );
    window.show();
  });
}

function showAbout(): void {
  const options: MessageBoxOptions = {
    type: 'info',
    title: 'About Shipdeck',
    message: 'Shipdeck',
    detail: aboutDetail(SHIPDECK_VERSION, process.versions),
    buttons: ['OK'],
  };
  const parent = BrowserWindow.getFocusedWindow();
  void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
}

launch();
