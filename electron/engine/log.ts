import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../../shared/command';

export type LogLevel = 'info' | 'warn' | 'error';

/** The engine's own log: one line per event in `<dataDir>/logs/engine.log`, secrets redacted. */
export interface EngineLog {
  write(level: LogLevel, message: string): void;
  /** Register a value that must never reach the log. */
  addSecret(secret: string): void;
  readonly path: string;
}

export function fileLog(dataDir: string, echo: (line: string) => void = () => {}): EngineLog {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'engine.log');
  const secrets: string[] = [];
  return {
    path,
    addSecret: (secret) => void (secret && secrets.push(secret)),
    write(level, message) {
      const line = `${new Date().toISOString()} ${level.toUpperCase()} ${redact(message, secrets)}`;
      appendFileSync(path, `${line}\n`, { mode: 0o600 });
      echo(line);
    },
  };
}
