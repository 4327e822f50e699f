import { command, type RemoteCommand } from './commands/command';

/**
 * Who holds the socket that answers on a port of a host: the proof, before
 * traffic moves, that the health answer came from the new container and not
 * from another process that took the port between planning and running.
 * Commands are built here as data; the engine runs them over the host's link.
 */

/** The local addresses, as /proc/net/tcp(6) writes them, that a connection to 127.0.0.1 can reach. */
const reachableFromLoopback = new Set(['0100007F', '00000000', '00000000000000000000000000000000', '0000000000000000FFFF00000100007F']);

/** The inodes of the sockets listening on `port` that a connection to 127.0.0.1:port can reach. */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const inodes = new Set<string>();
  for (const line of procNetTcp.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const [address, hexPort] = (fields[1] ?? '').split(':');
    // fields: sl, local address, remote address, state (0A is LISTEN), ..., inode (the tenth).
    if (fields[3] !== '0A' || address === undefined || parseInt(hexPort ?? '', 16) !== port) continue;
    if (reachableFromLoopback.has(address.toUpperCase()) && /^\d+$/.test(fields[9] ?? '') && fields[9] !== '0') inodes.add(fields[9]!);
  }
  return [...inodes];
}

/**
 * The host's sockets listening on `port`, IPv4 and IPv6, filtered on the host: a busy server's
 * table holds tens of thousands of connections (TIME-WAIT among them), and only LISTEN lines
 * (state 0A) on this port matter. A host without IPv6 has no tcp6: that is no error.
 */
export function socketTableCommand(port: number): RemoteCommand {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const script = 'grep -hE "^ *[0-9]+: [0-9A-Fa-f]+:$1 [0-9A-Fa-f]+:[0-9A-Fa-f]+ 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null; true';
  return command('sh', ['-c', script, 'sockets', hex], `Read the host's sockets listening on port ${port}`);
}

/** Whether the container runs, how often it restarted, in one line: `true 0`. */
export function containerStateCommand(container: string): RemoteCommand {
  return command('docker', ['inspect', '--format', '{{.State.Running}} {{.RestartCount}}', container], `Read whether ${container} runs and how often it restarted`);
}

/** The host's process ids of the container's processes (its init and the app), one a line after a header. */
export function containerPidsCommand(container: string): RemoteCommand {
  return command('docker', ['top', container, '-o', 'pid'], `List the processes of ${container}`);
}

// Lists the open files of the processes named (every process when none is) with `ls -l` (in busybox as in
// coreutils, one process for the whole search) and keeps the folder headers and the sockets asked for;
// processes the user may not read are skipped. `/dev/null` makes ls print a header even for a single folder.
const holdersScript = 'p=$1; shift; if [ $# -eq 0 ]; then set -- /proc/[0-9]*/fd; fi; ls -l "$@" /dev/null 2>/dev/null | grep -E "$p"; true';

function holdersPattern(inodes: readonly string[]): string {
  const wanted = inodes.filter((i) => /^\d+$/.test(i));
  return `^/proc/[0-9]+/fd:|socket:\\[(${wanted.join('|') || '0'})\\]`;
}

/** The processes on the host that hold the given sockets: among `pids` only, or among every process. */
export function socketHoldersCommand(inodes: readonly string[], pids: readonly number[] = []): RemoteCommand {
  const folders = pids.filter(Number.isSafeInteger).map((pid) => `/proc/${pid}/fd`);
  return command('sh', ['-c', holdersScript, 'holders', holdersPattern(inodes), ...folders], folders.length ? 'Check that the container\'s processes hold the listening socket' : 'Find which processes hold the listening socket');
}

/**
 * The same search inside the container (its own processes only), for a
 * deploy user who may not read the container's /proc entries from the host.
 */
export function socketHoldersInContainerCommand(container: string, inodes: readonly string[]): RemoteCommand {
  return command('docker', ['exec', container, 'sh', '-c', holdersScript, 'holders', holdersPattern(inodes)], `Find inside ${container} whether it holds the listening socket`);
}

/** The name of each process (its /proc/<pid>/comm), to name the one that holds a port. */
export function processNamesCommand(pids: readonly number[]): RemoteCommand {
  return command('sh', ['-c', 'for p in "$@"; do printf "%s %s\\n" "$p" "$(cat /proc/$p/comm 2>/dev/null)"; done', 'names', ...pids.map(String)], 'Name the processes that hold the port');
}

export interface SocketHolder {
  readonly pid: number;
  readonly inode: string;
}

/** What the holders commands printed, read back: which process holds which socket. */
export function parseSocketHolders(text: string): SocketHolder[] {
  const holders: SocketHolder[] = [];
  let pid: number | undefined;
  for (const line of text.split('\n')) {
    const folder = /^\/proc\/(\d+)\/fd:$/.exec(line.trim());
    if (folder) pid = Number(folder[1]);
    const socket = /-> socket:\[(\d+)\]$/.exec(line.trim());
    if (socket && pid !== undefined && !holders.some((h) => h.pid === pid && h.inode === socket[1])) holders.push({ pid, inode: socket[1]! });
  }
  return holders;
}

/** The lines of `processNamesCommand`, as pid → name. */
export function parseProcessNames(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const m of text.matchAll(/^(\d+) (.*)$/gm)) names.set(Number(m[1]), m[2]!.trim());
  return names;
}

/** The pids `docker top <container> -o pid` printed. */
export function parseContainerPids(text: string): Set<number> {
  return new Set(text.split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l)).map(Number));
}
