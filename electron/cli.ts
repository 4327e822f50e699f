import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { describeVerification } from '../shared/audit-chain';
import { describeProblem } from '../shared/problem';
import { verifyAuditFolder } from './engine/audit/audit-trail';
import { resolveDataDir } from './engine/data-dir';
import { makeFolder } from './engine/data-file';
import { Engine } from './engine/engine';
import { toProblem } from './engine/engine-problem';
import { fileLog } from './engine/log';
import { confSettingsStore } from './engine/settings-store';
import { keyFileCipher } from './engine/vault';
import { chromiumPrinter } from './engine/report/chromium-printer';
import { startBrowserHost } from './host/browser-host';

declare const SHIPDECK_VERSION: string;

const usage = `Usage: shipdeck serve [--port N] [--data-dir DIR]
       shipdeck audit verify [--data-dir DIR]

  serve        Run Shipdeck's engine and serve its UI to a browser on this
               machine (127.0.0.1 only). The printed link signs in
               one tab once; press Enter for another.
  audit verify Check the audit trail's hash chain, offline: exit 0 if it is
               intact (a write a crash or a full disk left incomplete, which
               hides no entry, is named but keeps it intact), 1 naming the
               first entry altered, missing or moved, 3 naming an entry lost
               to a write cut short (not tampering).
  --port N     Port to listen on (default: a free one).
  --data-dir   Where settings, inventory and logs live
               (default: SHIPDECK_DATA_DIR, else ~/.config/shipdeck).
`;

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  const staticDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
  if (!existsSync(join(staticDir, 'index.html')))
    fail(`The UI is not built (no ${join(staticDir, 'index.html')}): run \`npm run build\` first.`);

  const dataDir = resolveDataDir(values['data-dir']);
  let log;
  let engine;
  try {
    makeFolder(dataDir);
    log = fileLog(dataDir);
    engine = new Engine({
      store: confSettingsStore(dataDir),
      log,
      dataDir,
      host: 'browser',
      version: SHIPDECK_VERSION,
      cipher: keyFileCipher(dataDir),
      printReport: chromiumPrinter(),
    });
  } catch (error) {
    // A data folder that cannot be written (read-only, full, not ours) is said plainly, not as a stack trace.
    fail(describeProblem(toProblem(error)));
  }
  let host;
  try {
    host = await startBrowserHost({ engine, staticDir, port, log: (level, message) => log.write(level, message) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(
      code === 'EADDRINUSE'
        ? `Port ${port} on 127.0.0.1 is in use: choose another with --port, or leave it out for a free one.`
        : `Could not start: ${(error as Error).message}`,
    );
  }
  log.write('info', `browser host listening on 127.0.0.1:${host.port}`);
  process.stdout.write(
    `Shipdeck ${SHIPDECK_VERSION} is serving at:\n\n    ${host.url}\n\nData folder: ${dataDir}\n` +
      'Open the address above in a browser on this machine: it signs in one tab, once.\n' +
      'Press Enter here for another sign-in link; Ctrl+C to stop.\n',
  );
  // Each line on standard input asks for one more one-time link (another tab, another browser on this machine).
  createInterface({ input: process.stdin }).on('line', () =>
    process.stdout.write(`\nSign-in link (one use):\n\n    ${host.newSignInUrl()}\n\n`),
  );

  const stop = async () => {
    engine.close();
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** `shipdeck audit verify`: reads the data folder only, so it works without an engine and on a copy. */
function audit(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  if (positionals.join(' ') !== 'verify')
    fail(
      `${positionals.length ? `unknown audit command "${positionals.join(' ')}"` : 'audit needs a command'}: use \`shipdeck audit verify [--data-dir DIR]\``,
    );
  const dataDir = resolveDataDir(values['data-dir']);
  if (!existsSync(dataDir)) fail(`There is no data folder at ${dataDir}: name one with --data-dir.`);
  const verification = verifyAuditFolder(dataDir);
  process.stdout.write(`${describeVerification(verification)}\n`);
  if (verification.break) process.exit(verification.break.what === 'incomplete' ? 3 : 1);
}

function fail(message: string): never {
  process.stderr.write(`shipdeck: ${message}\n`);
  process.exit(2);
}

const [commandName, ...rest] = process.argv.slice(2);
switch (commandName) {
  case 'serve':
    await serve(rest);
    break;
  case 'audit':
    audit(rest);
    break;
  case '--version':
  case '-v':
    process.stdout.write(`${SHIPDECK_VERSION}\n`);
    break;
  case undefined:
  case 'help':
  case '--help':
  case '-h':
    process.stdout.write(usage);
    break;
  default:
    process.stderr.write(`shipdeck: unknown command "${commandName}"\n\n${usage}`);
    process.exit(2);
}
