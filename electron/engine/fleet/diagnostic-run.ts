import { randomUUID } from 'node:crypto';
import { commandLine } from '../../../shared/commands/command';
import type { DiagnosticStarted } from '../../../shared/contract';
import { diagnostics, type DiagnosticId } from '../../../shared/diagnostics';
import { StreamRedaction, type Redaction } from '../../../shared/redaction';
import type { Server } from '../../../shared/server';
import type { Emit, WriteLog } from '../channels';
import { toProblem } from '../engine-problem';
import type { Fleet } from './fleet';

/** What a diagnostic needs: the link to run on, the redaction its output passes, and where it streams to. */
export interface DiagnosticParts {
  readonly fleet: Fleet;
  readonly redaction: Redaction;
  readonly emit: Emit;
  readonly log: WriteLog;
}

/**
 * Start one read-only diagnostic on a server; resolves once it runs. Its
 * output streams as `diagnosticOutput` events, then one `diagnosticExit`.
 */
export async function startDiagnostic(
  { fleet, redaction, emit, log }: DiagnosticParts,
  server: Server,
  diagnostic: DiagnosticId,
): Promise<DiagnosticStarted> {
  const cmd = diagnostics[diagnostic].command;
  const link = await fleet.link(server);
  const runId = randomUUID();
  const line = commandLine(cmd);
  log('info', `run on ${server.name}: ${line}`);
  // Redacted as it streams, so a secret split across two chunks is caught too.
  const streams = { stdout: new StreamRedaction(redaction), stderr: new StreamRedaction(redaction) };
  const output = (stream: 'stdout' | 'stderr', text: string) =>
    text && emit('diagnosticOutput', { runId, stream, text });
  const running = await link.start(cmd, {
    onStdout: (text) => output('stdout', streams.stdout.push(text)),
    onStderr: (text) => output('stderr', streams.stderr.push(text)),
  });
  running.done.then(
    (result) => {
      output('stdout', streams.stdout.end());
      output('stderr', streams.stderr.end());
      log(
        result.exitCode === 0 ? 'info' : 'warn',
        `exit ${result.exitCode ?? result.signal} on ${server.name}: ${line} (${result.durationMs} ms)`,
      );
      emit('diagnosticExit', {
        runId,
        exitCode: result.exitCode,
        signal: result.signal,
        durationMs: result.durationMs,
      });
    },
    (error: unknown) =>
      emit('diagnosticExit', { runId, exitCode: null, signal: null, durationMs: 0, problem: toProblem(error) }),
  );
  return { runId, serverId: server.id, commandLine: line, startedAt: new Date().toISOString() };
}
