import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { aboutDetail, appMenuTemplate } from '../../../electron/app-menu';

function roles(items: readonly MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    item.role ?? item.label ?? item.type ?? '',
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

describe('appMenuTemplate', () => {
  const onAbout = () => {};

  it('offers developer tools only outside a packaged build', () => {
    expect(roles(appMenuTemplate({ platform: 'linux', isPackaged: false, onAbout }))).toContain('toggleDevTools');
    expect(roles(appMenuTemplate({ platform: 'linux', isPackaged: true, onAbout }))).not.toContain('toggleDevTools');
  });

  it('has File, Edit, View, Window and Help, and the app menu first on macOS', () => {
    const top = (platform: NodeJS.Platform) =>
      appMenuTemplate({ platform, isPackaged: true, onAbout }).map((item) => item.label ?? item.role);
    expect(top('linux')).toEqual(['File', 'Edit', 'View', 'windowMenu', 'help']);
    expect(top('darwin')).toEqual(['appMenu', 'File', 'Edit', 'View', 'windowMenu', 'help']);
  });

  it('shows the About box from Help', () => {
    let shown = 0;
    const help = appMenuTemplate({ platform: 'linux', isPackaged: true, onAbout: () => void (shown += 1) }).find(
      (item) => item.role === 'help',
    );
    const about = (help?.submenu as MenuItemConstructorOptions[] | undefined)?.find(
      (item) => item.label === 'About Shipdeck',
    );
    (about?.click as (() => void) | undefined)?.();
    expect(shown).toBe(1);
  });

  it('says which version runs on which runtime', () => {
    expect(aboutDetail('0.1.0', { electron: '45.4.1', chrome: '142.0', node: '22.20.0' })).toBe(
      'Version 0.1.0\nElectron 45.4.1\nChromium 142.0\nNode 22.20.0',
    );
  });
});
