// `npm test`: every check a change must pass, in order, with the lab brought up
// (and down again, if this run started it) around the suites that need it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const artifacts = join(root, 'test/.artifacts');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
mkdirSync(artifacts, { recursive: true });

interface Step {
  name: string;
  ok: boolean;
  seconds: number;
}
const steps: Step[] = [];

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  process.stdout.write(`\n── ${name} ──\n`);
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  steps.push({ name, ok, seconds: (performance.now() - started) / 1000 });
  return ok;
}

function labIsUp(): boolean {
  return spawnSync(bin('tsx'), ['test/lab/lab.ts', 'status'], { cwd: root, stdio: 'ignore' }).status === 0;
}

const vitestReport = join(artifacts, 'vitest.json');
const playwrightReport = join(artifacts, 'playwright.json');
rmSync(vitestReport, { force: true });
rmSync(playwrightReport, { force: true });

const checks = [
  run('typecheck', bin('tsc'), ['-b']),
  run('lint', bin('eslint'), ['.', '--max-warnings', '0']),
  run('format (Prettier)', bin('prettier'), ['--check', '--log-level', 'warn', '**/*.{ts,tsx,mts,js,mjs,css}']),
  run('build', 'npm', ['run', '--silent', 'build']),
];

const labWasUp = labIsUp();
const labUp = labWasUp || run('lab up', bin('tsx'), ['test/lab/lab.ts', 'up']);
try {
  if (labUp) {
    run('unit and integration tests (vitest)', bin('vitest'), [
      'run',
      '--config',
      'test/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${vitestReport}`,
    ]);
    run(
      'end-to-end tests (Playwright, Chromium, Electron)',
      bin('playwright'),
      ['test', '--config', 'test/playwright.config.ts', '--reporter=list,json'],
      { PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightReport, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport },
    );
  }
} finally {
  if (labUp && !labWasUp && !process.env.SHIPDECK_KEEP_LAB) run('lab down', bin('tsx'), ['test/lab/lab.ts', 'down']);
}

// Count what ran, so that a run that tested nothing cannot pass unnoticed.
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestReport)) {
  const v = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
}
if (existsSync(playwrightReport)) {
  const p = JSON.parse(readFileSync(playwrightReport, 'utf8'));
  passed += (p.stats?.expected ?? 0) + (p.stats?.flaky ?? 0);
  failed += p.stats?.unexpected ?? 0;
  skipped += p.stats?.skipped ?? 0;
}

process.stdout.write('\n── summary ──\n');
for (const step of steps)
  process.stdout.write(`${step.ok ? 'ok  ' : 'FAIL'} ${step.name} (${step.seconds.toFixed(1)} s)\n`);
const allOk = checks.every(Boolean) && labUp && steps.every((s) => s.ok) && passed > 0;
if (passed === 0) process.stdout.write('No test ran: that is a failure.\n');
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(allOk ? 0 : 1);
