/** What the desktop app was launched with: the data folder flag and, in development only, the dev server. */

/**
 * The `--data-dir` value among the process arguments (`--data-dir DIR` or
 * `--data-dir=DIR`). Electron and Chromium add switches of their own, so
 * anything else is ignored rather than refused.
 */
export function dataDirArgument(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--data-dir') {
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('--'))
        throw new Error('--data-dir needs a folder: --data-dir /path/to/folder');
      return value;
    }
    if (arg?.startsWith('--data-dir=')) {
      const value = arg.slice('--data-dir='.length);
      if (value === '') throw new Error('--data-dir needs a folder: --data-dir=/path/to/folder');
      return value;
    }
  }
  return undefined;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The Vite dev server to load instead of the built renderer: only when
 * SHIPDECK_DEV_SERVER_URL is set explicitly, never in a packaged app, and only
 * on this machine, so no setting can point the app at a remote page.
 */
export function devServerUrl(
  env: Readonly<Record<string, string | undefined>>,
  isPackaged: boolean,
): string | undefined {
  const value = env.SHIPDECK_DEV_SERVER_URL;
  if (isPackaged || value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `SHIPDECK_DEV_SERVER_URL is not a URL: "${value}". Set it to the dev server's address, such as http://localhost:5173/, or unset it.`,
    );
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !loopbackHosts.has(url.hostname)) {
    throw new Error(
      `SHIPDECK_DEV_SERVER_URL must be an http(s) address on this machine (localhost, 127.0.0.1 or [::1]), not "${value}".`,
    );
  }
  return url.href;
}
