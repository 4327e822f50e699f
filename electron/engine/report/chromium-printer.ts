import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProblemError } from '../../../shared/problem';
import type { ReportPrinter } from './report-file';
import { storageError } from '../data-file';

/** The names tried on PATH, in order, when CHROMIUM_PATH is not set. */
const candidates = ['chromium', 'chromium-browser', 'google-chrome'];
const timeoutMs = 30_000;

/** The Chromium to print with: CHROMIUM_PATH, else the first of chromium, chromium-browser, google-chrome on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  for (const name of candidates) {
    for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
      const path = join(dir, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // Not here; try the next folder.
      }
    }
  }
  return undefined;
}

/**
 * The browser host's printer: headless Chromium prints the HTML from a file in
 * a private temporary folder (0700, its own profile there too), which is
 * removed afterwards. The document allows no script by its own policy.
 */
export function chromiumPrinter(env: NodeJS.ProcessEnv = process.env): ReportPrinter {
  return async (html) => {
    const binary = findChromium(env);
    if (!binary) {
      throw new ProblemError({
        code: 'not-found',
        message: 'No Chromium to print the report as PDF with',
        where: env.CHROMIUM_PATH ? `CHROMIUM_PATH=${env.CHROMIUM_PATH}` : `PATH (looked for ${candidates.join(', ')})`,
        hint: 'Install Chromium (`apt-get install -y chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary; Markdown export works without it.',
      });
    }
    let dir: string;
    try {
      dir = mkdtempSync(join(tmpdir(), 'shipdeck-report-'));
    } catch (error) {
      throw storageError(error, join(tmpdir(), 'shipdeck-report-'));
    }
    try {
      const page = join(dir, 'report.html');
      const out = join(dir, 'report.pdf');
      try {
        writeFileSync(page, html, { mode: 0o600 });
      } catch (error) {
        throw storageError(error, page);
      }
      // A profile of its own: another Chromium on the default profile would otherwise take the job and print nothing.
      const args = [
        '--headless',
        '--disable-gpu',
        '--no-sandbox',
        '--no-first-run',
        '--disable-extensions',
        '--disable-background-networking',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--no-pdf-header-footer',
        `--print-to-pdf=${out}`,
        pathToFileURL(page).href,
      ];
      await new Promise<void>((resolve, reject) => {
        execFile(
          binary,
          args,
          { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, env: { ...env } },
          (error, _stdout, stderr) => {
            if (!error) return resolve();
            const timedOut = (error as NodeJS.ErrnoException & { killed?: boolean }).killed === true;
            const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
            reject(
              new ProblemError({
                code: timedOut ? 'timeout' : missing ? 'not-found' : 'command-failed',
                message: timedOut
                  ? `Chromium did not print the report within ${timeoutMs / 1000} s`
                  : missing
                    ? `Chromium is not at ${binary}`
                    : `Chromium could not print the report: ${lastLine(stderr) || error.message}`,
                where: binary,
                hint: missing
                  ? 'Install Chromium, or set CHROMIUM_PATH to a Chromium or Chrome binary.'
                  : 'Try again; if it keeps failing, export the report as Markdown, or set CHROMIUM_PATH to another Chromium.',
              }),
            );
          },
        );
      });
      let pdf: Buffer;
      try {
        pdf = readFileSync(out);
      } catch {
        throw new ProblemError({
          code: 'command-failed',
          message: 'Chromium ended without writing the PDF',
          where: binary,
          hint: 'Try again; if it keeps failing, set CHROMIUM_PATH to another Chromium, or export the report as Markdown.',
        });
      }
      if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
        throw new ProblemError({
          code: 'command-failed',
          message: 'Chromium wrote a file that is not a PDF',
          where: binary,
        });
      return pdf;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Chromium's last line of complaint, without its bus and GPU noise. */
function lastLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/dbus|gpu|vaapi|sandbox_linux|account_consistency|idle_linux/i.test(l));
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
