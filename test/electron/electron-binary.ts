import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronBinary =
  { readonly found: true; readonly path: string } | { readonly found: false; readonly reason: string };

/**
 * Where the Electron executable is, or why there is none. It reads what the
 * `electron` package's own index.js reads (path.txt, dist/, the
 * ELECTRON_OVERRIDE_DIST_PATH override) rather than requiring it, because
 * requiring it with the binary missing starts a download.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron package is not installed; run npm install' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, recorded || 'electron');
    return existsSync(path)
      ? { found: true, path }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH points at ${path}, which does not exist` };
  }
  if (!recorded)
    return {
      found: false,
      reason: `${pathFile} is missing: the binary download was skipped or failed; run \`npx install-electron\` where the network allows`,
    };
  const path = join(packageDir, 'dist', recorded);
  return existsSync(path)
    ? { found: true, path }
    : { found: false, reason: `${path} does not exist; run \`npx install-electron\` where the network allows` };
}
