import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { sessionProtocolPrefix, socketProtocol } from '../../shared/browser-session';

export interface ServedShipdeck {
  /** The first sign-in link it printed (good once). */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  /** A fresh one-time sign-in link, asked for as a user does: Enter in the terminal. */
  signIn(): Promise<string>;
  /** A session credential, from a fresh link traded as a browser trades it (the redirect's fragment). */
  session(): Promise<string>;
  /** The contract's socket with a fresh session, open. */
  socket(): Promise<WebSocket>;
  readonly dataDir: string;
  readonly process: ChildProcess;
  /** Milliseconds from spawn to the printed URL. */
  readonly readyMs: number;
  stop(): Promise<void>;
}

const root = new URL('../..', import.meta.url).pathname;

/** Start `shipdeck serve` from the build, the way a user does, in a fresh data folder. */
export async function serveShipdeck(options: { dataDir?: string; port?: number } = {}): Promise<ServedShipdeck> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'shipdeck-data-'));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      join(root, 'dist/electron/cli.js'),
      'serve',
      '--data-dir',
      dataDir,
      ...(options.port ? ['--port', String(options.port)] : []),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SHIPDECK_DATA_DIR: '' } },
  );
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
  const linkPattern = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/g;
  let linksSeen = [...output.matchAll(linkPattern)].length;
  const signIn = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`shipdeck serve printed no new sign-in link in 10 s:\n${output}`)),
        10_000,
      );
      const onData = () => {
        const links = [...output.matchAll(linkPattern)];
        if (links.length <= linksSeen) return;
        linksSeen = links.length;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(links.at(-1)![0]);
      };
      child.stdout!.on('data', onData);
      child.stdin!.write('\n');
    });
  const session = async () => {
    const answer = await fetch(await signIn(), { redirect: 'manual' });
    const credential = /#session=([\w-]+)$/.exec(answer.headers.get('location') ?? '')?.[1];
    if (answer.status !== 303 || !credential)
      throw new Error(`signing in got ${answer.status} ${answer.headers.get('location')}`);
    return credential;
  };
  const socket = async () => {
    const ws = new WebSocket(
      `${parsed.origin.replace('http', 'ws')}/api`,
      [socketProtocol, `${sessionProtocolPrefix}${await session()}`],
      { headers: { Origin: parsed.origin } },
    );
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return ws;
  };
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    dataDir,
    signIn,
    session,
    socket,
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
