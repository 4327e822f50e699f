// Processes, commands, mounts and cgroups, read straight from /proc.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import {
  accessSync,
  constants,
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Runs a command to completion; never rejects for a non-zero exit. */
export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${options.timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // a child may exit without reading its input
    child.stdin.end(options.input);
  });
}

/** Like run, but rejects with the command and its stderr when it fails. */
export async function runOk(cmd: string, args: string[], options: RunOptions = {}): Promise<string> {
  const result = await run(cmd, args, options);
  if (result.code !== 0) {
    const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-15).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.code}:\n${output}`);
  }
  return result.stdout;
}

/** Runs `producer | consumer`, e.g. tar into docker import. */
export function runPipe(
  producer: [string, string[]],
  consumer: [string, string[]],
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const options: SpawnOptions = { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] };
    const left = spawn(producer[0], producer[1], options);
    const right = spawn(consumer[0], consumer[1], { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    left.stderr!.on('data', (chunk: Buffer) => (err += chunk));
    right.stderr!.on('data', (chunk: Buffer) => (err += chunk));
    right.stdout!.on('data', (chunk: Buffer) => (out += chunk));
    left.stdout!.pipe(right.stdin!);
    let leftCode: number | null = null;
    left.on('error', reject);
    right.on('error', reject);
    left.on('close', (code) => (leftCode = code));
    right.on('close', (code) => {
      if (code === 0 && leftCode === 0) resolve(out);
      else reject(new Error(`${producer[0]} | ${consumer[0]} failed (${leftCode}, ${code}):\n${err.trim()}`));
    });
  });
}

/** Starts a long-running daemon in its own session, logging to a file (emptied first unless `append`), and lets this process exit without it. */
export function spawnDaemon(
  cmd: string,
  args: string[],
  logFile: string,
  env?: NodeJS.ProcessEnv,
  append = false,
): ChildProcess {
  const log = openSync(logFile, append ? 'a' : 'w');
  try {
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', log, log], env: env ?? process.env });
    child.unref();
    return child;
  } finally {
    closeSync(log);
  }
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findExecutable(name: string): string | null {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    '/usr/local/sbin',
    '/usr/sbin',
    '/sbin',
    '/usr/bin',
    '/bin',
  ];
  return (
    dirs
      .filter(Boolean)
      .map((dir) => join(dir, name))
      .find(isExecutable) ?? null
  );
}

/** True for an ELF executable without an interpreter, i.e. one that runs alone in an empty rootfs. */
export function isStaticElf(file: string): boolean {
  let elf: Buffer;
  try {
    elf = readFileSync(file);
  } catch {
    return false;
  }
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) return false; // 64-bit ELF only
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    if (elf.readUInt32LE(phoff + i * phentsize) === 3) return false; // PT_INTERP
  }
  return true;
}

export interface ProcInfo {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  session: number;
  cmdline: string;
}

export function procInfo(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
    return {
      pid,
      comm: stat.slice(stat.indexOf('(') + 1, close),
      state: fields[0] ?? '?',
      ppid: Number(fields[1]),
      session: Number(fields[3]),
      cmdline,
    };
  } catch {
    return null;
  }
}

// PID 1 on these machines reaps orphans lazily: a killed daemon can linger as
// a zombie, which kill(pid, 0) still reports as alive.
export function isAlive(pid: number): boolean {
  const info = procInfo(pid);
  return info !== null && info.state !== 'Z' && info.state !== 'X';
}

export function allProcs(): ProcInfo[] {
  const procs: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = procInfo(Number(entry));
    if (info && info.state !== 'Z' && info.pid !== process.pid) procs.push(info);
  }
  return procs;
}

/** Every live descendant of `roots` (children, grandchildren...), roots excluded. */
export function descendants(roots: number[], procs: ProcInfo[] = allProcs()): number[] {
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const found = new Set<number>();
  const queue = [...roots];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      if (!found.has(child) && !roots.includes(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  return [...found];
}

const TCP_ESTABLISHED = '01';

/** Socket inodes of established TCP connections whose local port is in `ports` (IPv4 and IPv6). */
function establishedInodes(ports: ReadonlySet<number>): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1];
      if (!local || f[3] !== TCP_ESTABLISHED) continue;
      const port = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
      if (ports.has(port) && f[9] && f[9] !== '0') inodes.add(f[9]);
    }
  }
  return inodes;
}

/**
 * The per-connection processes of the sshd listening on `ports`: sshd
 * processes holding an established connection on one of those ports, whose
 * parent is one of `listeners` or gone (orphaned by a killed listener), plus
 * everything they run. Sessions of another sshd that got the same port later
 * have a live parent that is not in `listeners`, so they are left alone.
 */
export function sshdSessionPids(ports: number[], listeners: number[]): number[] {
  const inodes = establishedInodes(new Set(ports));
  if (inodes.size === 0) return [];
  const procs = allProcs();
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const sessions = procs.filter((p) => {
    if (p.comm !== 'sshd' || listeners.includes(p.pid)) return false;
    const parent = byPid.get(p.ppid);
    // sshd retitles itself: "sshd: /usr/sbin/sshd -D -f ... [listener] 0 of 100-200 startups",
    // "sshd: root [priv]" (a connection's monitor), "sshd: root@notty" (its unprivileged half).
    const ours =
      listeners.includes(p.ppid) || // a connection's monitor, child of our listener
      !parent ||
      parent.comm !== 'sshd' || // orphaned: its listener was killed
      !parent.cmdline.includes('[listener]'); // the unprivileged half, child of a monitor
    return ours && holdsSocket(p.pid, inodes);
  });
  const pids = sessions.map((p) => p.pid);
  return [...new Set([...pids, ...descendants(pids, procs)])];
}

function holdsSocket(pid: number, inodes: Set<string>): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}

export function readPidFile(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

/** The pid in a pid file, if that process is alive and is the lab's own daemon (guards against pid reuse). */
export function labDaemonPid(pidFile: string, comm: string, labDir: string): number | null {
  const pid = readPidFile(pidFile);
  if (pid === null) return null;
  const info = procInfo(pid);
  if (!info || info.state === 'Z' || info.comm !== comm || !info.cmdline.includes(labDir + '/')) return null;
  return pid;
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

/** Sends `sig`, waits up to `graceMs`, then SIGKILLs whatever is left. Returns the pids that needed SIGKILL. */
export async function stopPids(pids: number[], sig: NodeJS.Signals, graceMs: number): Promise<number[]> {
  for (const pid of pids) signal(pid, sig);
  await waitUntil(() => pids.every((pid) => !isAlive(pid)), graceMs);
  const stubborn = pids.filter(isAlive);
  for (const pid of stubborn) signal(pid, 'SIGKILL');
  await waitUntil(() => stubborn.every((pid) => !isAlive(pid)), 5_000);
  return stubborn;
}

export function tail(file: string, lines = 20): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

interface MountEntry {
  mountPoint: string;
  fsType: string;
}

// mountinfo escapes spaces and the like as \040-style octal.
const unescapeMount = (text: string): string =>
  text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

function mounts(): MountEntry[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const fields = line.split(' ');
      const dash = fields.indexOf('-');
      return { mountPoint: unescapeMount(fields[4] ?? ''), fsType: fields[dash + 1] ?? '' };
    });
}

export function mountsUnder(dir: string): string[] {
  return mounts()
    .map((m) => m.mountPoint)
    .filter((mp) => mp.startsWith(dir + '/'));
}

/** Unmounts everything under dir, deepest first (lazily if busy). Returns how many were unmounted. */
export async function unmountUnder(dir: string): Promise<number> {
  let count = 0;
  // A mount point can be stacked several times, so repeat until nothing is left.
  for (let round = 0; round < 5; round++) {
    const points = [...new Set(mountsUnder(dir))].sort((a, b) => b.length - a.length);
    if (points.length === 0) break;
    for (const point of points) {
      const plain = await run('umount', [point]);
      if (plain.code === 0 || (await run('umount', ['-l', point])).code === 0) count++;
    }
  }
  const left = mountsUnder(dir);
  if (left.length > 0) throw new Error(`cannot unmount under ${dir}:\n  ${left.join('\n  ')}`);
  return count;
}

function cgroupRoots(): string[] {
  return mounts()
    .filter((m) => m.fsType === 'cgroup' || m.fsType === 'cgroup2')
    .map((m) => m.mountPoint);
}

/** Pids of every process inside the cgroup `parent` (and its children), in any hierarchy. */
export function pidsInCgroup(parent: string): number[] {
  const pids = new Set<number>();
  for (const root of cgroupRoots()) {
    const base = join(root, parent);
    if (!existsSync(base)) continue;
    const dirs = [
      base,
      ...readdirSync(base, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => join(base, e.name)),
    ];
    for (const dir of dirs) {
      try {
        for (const line of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) {
          if (line) pids.add(Number(line));
        }
      } catch {
        // removed meanwhile
      }
    }
  }
  return [...pids].filter(isAlive);
}

/** Removes the (empty) cgroup `parent` and its children from every hierarchy. */
export function removeCgroup(parent: string): void {
  for (const root of cgroupRoots()) {
    const base = join(root, parent);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      if (entry.isDirectory()) tryRmdir(join(base, entry.name));
    }
    tryRmdir(base);
  }
}

function tryRmdir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // still busy or already gone: harmless
  }
}
