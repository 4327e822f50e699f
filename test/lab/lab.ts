// npm run lab -- up|down|status
// A fleet of real servers on 127.0.0.1 for Shipdeck's tests: sshd, dockerd and
// nginx per host. See ../../../shared/LAB.md for why it is built this way.
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { labDir, readLabState, type LabState } from './lab-state.js';
import { labPaths, MAX_FLEET, SDLAB_USER, socketPathProblem } from './layout.js';
import { INSTALL_HINT, isRoot, missingPrerequisites } from './prereqs.js';
import { formatMs, Progress } from './progress.js';
import { liveDaemons, printHealth, probeLab } from './status.js';
import { isAlive, readPidFile } from './sys.js';
import { didAnything, teardown } from './teardown.js';
import { printSummary, resizeFleet, up } from './up.js';

const USAGE = `usage: npm run lab -- up [--fleet N] | down | status
  up      start lab-1..3 (sshd + dockerd + nginx each), lab-nodocker, lab-jump and lab-nojump
          (sshd only) on 127.0.0.1, and make sure the login user ${SDLAB_USER} exists
    --fleet N   also fleet-1..N (0..${MAX_FLEET}, default 0): sshd only, sharing lab-1's engine.
                On a lab that is already up, adds or removes fleet hosts to match N
                (without --fleet, an up lab keeps its fleet).
  down    stop everything up started and remove its runtime state (keys stay)
  status  show what each host answers
lab dir: $SHIPDECK_LAB or /tmp/shipdeck-lab (now ${labDir()})`;

/** An expected failure: print the message alone and exit with `code`. */
class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

// dockerd finds containerd, runc and docker-init on PATH, and those live in sbin dirs.
function ensureSbinOnPath(): void {
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  for (const d of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (!dirs.includes(d)) dirs.push(d);
  }
  process.env.PATH = dirs.join(':');
}

function checkMachine(command: 'up' | 'down', dir: string): void {
  const problems: string[] = [];
  const missing = command === 'up' ? missingPrerequisites() : [];
  if (missing.length > 0) problems.push(`missing: ${missing.join(', ')}`, `install them with:\n  ${INSTALL_HINT}`);
  if (!isRoot()) problems.push('the lab must run as root: it starts dockerd and sshd and mounts filesystems');
  const tooLong = socketPathProblem(dir);
  if (tooLong) problems.push(tooLong);
  if (problems.length > 0) throw new CliError(problems.join('\n'));
}

/** One lab command at a time per lab dir. */
function lock(dir: string): () => void {
  const { lockFile } = labPaths(dir);
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readPidFile(lockFile);
      if (holder !== null && isAlive(holder)) {
        throw new CliError(`another lab command (pid ${holder}) is working on ${dir}; wait for it or kill it`);
      }
      rmSync(lockFile, { force: true }); // left by a command that was killed
    }
  }
  throw new CliError(`cannot take the lock ${lockFile}`);
}

/** `up`'s options: the fleet size asked for, or null when --fleet was not given. */
function parseUpArgs(args: string[]): { fleet: number | null } {
  let fleet: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const inline = /^--fleet=(.*)$/.exec(arg);
    if (arg !== '--fleet' && !inline) throw new CliError(`unknown option ${arg}\n${USAGE}`, 2);
    const value = inline ? inline[1]! : args[++i];
    if (value === undefined || !/^\d+$/.test(value) || Number(value) > MAX_FLEET) {
      throw new CliError(
        `--fleet wants a whole number from 0 to ${MAX_FLEET}, not ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
        2,
      );
    }
    fleet = Number(value);
  }
  return { fleet };
}

async function cmdUp(dir: string, fleet: number | null): Promise<number> {
  const current = await runningLab(dir);
  if (current && (fleet === null || fleet === current.fleet.length)) {
    console.log('lab is already up: nothing to do\n');
    printHealth(current, await probeLab(current));
    return 0;
  }
  if (current && fleet !== null) {
    console.log(`lab is up with ${current.fleet.length} fleet hosts: making it ${fleet}`);
    const progress = new Progress();
    try {
      printSummary(await resizeFleet(current, fleet, progress), progress.elapsedMs(), 'fleet resized');
      return 0;
    } catch (err) {
      printFailure(err);
      console.error('\nthe fleet is half resized: `npm run lab -- down` then `up` starts clean');
      return 1;
    }
  }

  console.log(`starting the shipdeck lab in ${dir}`);
  const progress = new Progress();
  try {
    const state = await up(dir, progress, fleet ?? 0);
    printSummary(state, progress.elapsedMs());
    return 0;
  } catch (err) {
    printFailure(err);
    console.error(`\nstopping what was started (logs stay in ${dir}/<host>/)`);
    await teardown(dir, null).catch((e: Error) => console.error(`cleanup failed too: ${e.message}`));
    return 1;
  }
}

/** The lab's state if every host is alive and answering, else null. */
async function runningLab(dir: string): Promise<LabState | null> {
  let state: LabState;
  try {
    state = readLabState(dir);
  } catch {
    return null;
  }
  const health = await probeLab(state);
  const down = health.filter((h) => !h.healthy);
  if (down.length === 0) return state;
  console.log(`lab is partly down (${down.map((h) => h.name).join(', ')}): starting it again`);
  return null;
}

async function cmdDown(dir: string): Promise<number> {
  console.log(`stopping the shipdeck lab in ${dir}`);
  const progress = new Progress();
  const report = await teardown(dir, progress);
  console.log(
    `\nlab down in ${formatMs(progress.elapsedMs())}${didAnything(report) ? '' : ' (nothing was running)'}; keys stay in ${dir}`,
  );
  return 0;
}

async function cmdStatus(dir: string): Promise<number> {
  let state: LabState;
  try {
    state = readLabState(dir);
  } catch (err) {
    console.log((err as Error).message);
    const live = liveDaemons(dir);
    if (live > 0) console.log(`but ${live} lab daemons are still running: \`npm run lab -- down\` stops them`);
    return 1;
  }
  const health = await probeLab(state);
  printHealth(state, health);
  return health.every((h) => h.healthy) ? 0 : 1;
}

function printFailure(err: unknown): void {
  const errors = err instanceof AggregateError ? err.errors : [err];
  console.error('\nlab up FAILED:');
  for (const e of errors) console.error(`  ${e instanceof Error ? e.message : String(e)}`.replaceAll('\n', '\n    '));
}

async function main(): Promise<number> {
  ensureSbinOnPath();
  const command = process.argv[2];
  const dir = labDir();
  if (command === 'status') return cmdStatus(dir);
  if (command !== 'up' && command !== 'down') throw new CliError(USAGE, 2);
  const rest = process.argv.slice(3);
  if (command === 'down' && rest.length > 0) throw new CliError(USAGE, 2);
  const { fleet } = parseUpArgs(command === 'up' ? rest : []);
  checkMachine(command, dir);
  const unlock = lock(dir);
  try {
    return command === 'up' ? await cmdUp(dir, fleet) : await cmdDown(dir);
  } finally {
    unlock();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof CliError ? err.message : err);
    process.exit(err instanceof CliError ? err.code : 1);
  },
);
