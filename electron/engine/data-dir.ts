import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where Shipdeck keeps its data: `--data-dir`, else SHIPDECK_DATA_DIR, else
 * the platform's usual place (the same folder the desktop app uses).
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.SHIPDECK_DATA_DIR) return resolve(env.SHIPDECK_DATA_DIR);
  switch (process.platform) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'shipdeck');
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'shipdeck');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'shipdeck');
  }
}
