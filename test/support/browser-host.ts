import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServedShipdeck {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly dataDir: string;
  readonly process: ChildProcess;
  /** Milliseconds from spawn to the printed URL. */
  readonly readyMs: number;
  stop(): Promise<void>;
}

const root = new URL('../..', import.meta.url).pathname;

/** Start `shipdeck serve` from the build, the way a user does, in a fresh data folder. */
export async function serveShipdeck(options: { dataDir?: string } = {}): Promise<ServedShipdeck> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'shipdeck-data-'));
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'dist/electron/cli.js'), 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SHIPDECK_DATA_DIR: '' } });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`shipdeck serve printed no URL in 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`shipdeck serve exited with ${code}:\n${output}`)));
  });
  const readyMs = performance.now() - started;
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    dataDir,
    process: child,
    readyMs,
    stop: () =>
      new Promise<void>((resolve) => {
        // A process killed by a signal has no exit code, only its signal.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
