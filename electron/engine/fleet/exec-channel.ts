import type { ClientChannel } from 'ssh2';
import { redact, type RemoteCommand } from '../../../shared/commands/command';

/** Where a command's output goes as it comes, and what it reads on stdin. */
export interface ExecHandlers {
  readonly onStdout?: (text: string) => void;
  readonly onStderr?: (text: string) => void;
  /** Sent to the command's stdin, which is then closed. */
  readonly stdin?: string;
}

/** How a command ended: its exit code or the signal that ended it, and how long it took. */
export interface ExecResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
}

/** A command's channel followed to its end: its output passed on as it comes (its secrets taken out), then how it ended. */
export function collectOutput(
  channel: ClientChannel,
  cmd: RemoteCommand,
  handlers: ExecHandlers,
  started: number,
): Promise<ExecResult> {
  return new Promise((resolve) => {
    let exitCode: number | null = null;
    let signal: string | null = null;
    const out = redactedStream(cmd.redact, handlers.onStdout);
    const err = redactedStream(cmd.redact, handlers.onStderr);
    channel.on('data', (chunk: Buffer) => out.push(chunk));
    channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    channel.on('exit', (code: number | null, sig?: string) => {
      exitCode = code;
      signal = sig ?? null;
    });
    channel.on('close', (code?: number | null, sig?: string) => {
      out.end();
      err.end();
      resolve({
        exitCode: exitCode ?? (typeof code === 'number' ? code : null),
        signal: signal ?? sig ?? null,
        durationMs: Math.round(performance.now() - started),
      });
    });
  });
}

/**
 * Decode a command's output and take its secrets out. A secret may straddle
 * two chunks, so a command that has secrets lets text out line by line.
 */
function redactedStream(secrets: readonly string[], emit: ((text: string) => void) | undefined) {
  const decoder = new TextDecoder();
  let held = '';
  return {
    push(chunk: Buffer) {
      const text = held + decoder.decode(chunk, { stream: true });
      if (secrets.length === 0) return emit?.(text);
      const end = text.lastIndexOf('\n') + 1;
      held = text.slice(end);
      if (end > 0) emit?.(redact(text.slice(0, end), secrets));
    },
    end() {
      const rest = held + decoder.decode();
      held = '';
      if (rest) emit?.(redact(rest, secrets));
    },
  };
}
