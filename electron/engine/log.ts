import { join } from 'node:path';
import { appendWhole, makeFolder } from './data-file';

export type LogLevel = 'info' | 'warn' | 'error';

/** The engine's own log: one line per event in `<dataDir>/logs/engine.log`, secrets redacted. */
export interface EngineLog {
  write(level: LogLevel, message: string): void;
  /** The engine's redaction, which every line goes through from now on (secrets set later included). */
  redactWith(redact: (text: string) => string): void;
  readonly path: string;
}

export function fileLog(dataDir: string, echo: (line: string) => void = () => {}): EngineLog {
  const dir = join(dataDir, 'logs');
  makeFolder(dir);
  const path = join(dir, 'engine.log');
  let redact = (text: string) => text;
  return {
    path,
    redactWith: (given) => void (redact = given),
    write(level, message) {
      const line = `${new Date().toISOString()} ${level.toUpperCase()} ${redact(message)}`;
      try {
        appendWhole(path, `${line}\n`, { sync: false });
      } catch {
        // A full disk must not turn a log line into a failure of what it reports; the line is lost whole, never torn.
      }
      echo(line);
    },
  };
}
