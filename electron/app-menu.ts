/** The desktop app's menu, built as data so what packaged builds lack can be tested. */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  readonly platform: NodeJS.Platform;
  /** Packaged builds get no developer tools. */
  readonly isPackaged: boolean;
  readonly onAbout: () => void;
}

/** The application menu: File, Edit, View, Window, Help (developer tools only outside a packaged build). */
export function appMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const developer: MenuItemConstructorOptions[] = options.isPackaged ? [] : [{ role: 'toggleDevTools' }];
  return [
    ...(options.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { label: 'File', submenu: [{ role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...developer,
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About Shipdeck', click: () => options.onAbout() }] },
  ];
}

/** The About box's text: our version and the runtime underneath. */
export function aboutDetail(
  version: string,
  versions: Partial<Record<'electron' | 'chrome' | 'node', string>>,
): string {
  return [
    `Version ${version}`,
    `Electron ${versions.electron ?? '?'}`,
    `Chromium ${versions.chrome ?? '?'}`,
    `Node ${versions.node ?? '?'}`,
  ].join('\n');
}
