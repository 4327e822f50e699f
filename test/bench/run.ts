// `npm run bench`: every figure Shipdeck promises, measured for real and printed.
// Builds if needed, and brings the lab up (with its 10 fleet hosts) unless it is up.
// `npm run bench -- releases verify` measures only the sections named.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { printFigures } from './figures';
import { fleetFigures } from './fleet';
import { foundationFigures } from './foundation';
import { logFigures } from './logs';
import { verifyFigures } from './verify';
import { recordFigures } from './records';
import { releaseFigures } from './releases';

const root = new URL('../..', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const step = (args: string[], what: string) => {
  process.stdout.write(`bench: ${what}\n`);
  if (spawnSync(args[0]!, args.slice(1), { cwd: root, stdio: 'inherit' }).status !== 0)
    throw new Error(`bench: ${what} failed`);
};

if (!existsSync(join(root, 'dist/electron/cli.js')) || !existsSync(join(root, 'dist/renderer/index.html')))
  step(['npm', 'run', '--silent', 'build'], 'building');
const labWasUp = spawnSync(tsx, ['test/lab/lab.ts', 'status'], { cwd: root, stdio: 'ignore' }).status === 0;
step([tsx, 'test/lab/lab.ts', 'up', '--fleet', '10'], 'lab up with 10 fleet hosts');
const sections = [
  ['Foundation', foundationFigures],
  ['Fleet', fleetFigures],
  ['Releases', releaseFigures],
  ['Live logs', logFigures],
  ['Verify', verifyFigures],
  ['Records', recordFigures],
] as const;
const asked = process.argv.slice(2).map((name) => name.toLowerCase());
const unknown = asked.filter((name) => !sections.some(([title]) => title.toLowerCase().startsWith(name)));
if (unknown.length) {
  process.stderr.write(
    `bench: no section ${unknown.join(', ')}; the sections are ${sections.map(([title]) => title.toLowerCase()).join(', ')}\n`,
  );
  process.exit(2);
}
let failed = false;
try {
  for (const [title, section] of sections) {
    if (asked.length && !asked.some((name) => title.toLowerCase().startsWith(name))) continue;
    try {
      printFigures(title, await section());
    } catch (error) {
      failed = true;
      process.stdout.write(`\n${title}: could not measure: ${(error as Error).message}\n`);
    }
  }
} finally {
  if (!labWasUp) step([tsx, 'test/lab/lab.ts', 'down'], 'lab down');
}
process.exit(failed ? 1 : 0);
