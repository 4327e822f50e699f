import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { secureWebPreferences } from '../../window-security';
import type { ReportPrinter } from './report-file';

/**
 * The desktop app's printer: an offscreen window locked down like the main
 * one (and with no preload, no script at all), the HTML as a data: URL,
 * printed to A4 by Chromium's own printToPDF, then closed.
 */
export function electronPrinter(open: (options: BrowserWindowConstructorOptions) => BrowserWindow): ReportPrinter {
  return async (html) => {
    const { preload: _preload, ...secure } = secureWebPreferences('', { devTools: false });
    const window = open({
      show: false,
      width: 900,
      height: 1200,
      webPreferences: { ...secure, offscreen: true, javascript: false },
    });
    try {
      await window.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
      return await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
    } finally {
      if (!window.isDestroyed()) window.destroy();
    }
  };
}
