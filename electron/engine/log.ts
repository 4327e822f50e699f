import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

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
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'engine.log');
  let redact = (text: string) => text;
  return {
    path,
    redactWith: (given) => void (redact = given),
    write(level, message) {
      const line = `${new Date().toISOString()} ${level.toUpperCase()} ${redact(message)}`;
      appendFileSync(path, `${line}\n`, { mode: 0o600 });
      echo(line);
    },
  };
}
