/**
 * Who holds the socket that answers on a port of a host: the proof, before
 * traffic moves, that the health answer came from the new container and not
 * from another process that took the port between planning and running.
 * The commands are built in shared/commands/port-owner.ts; this reads what they print.
 */

/** The local addresses, as /proc/net/tcp(6) writes them, that a connection to 127.0.0.1 can reach. */
const reachableFromLoopback = new Set([
  '0100007F',
  '00000000',
  '00000000000000000000000000000000',
  '0000000000000000FFFF00000100007F',
]);

/** The inodes of the sockets listening on `port` that a connection to 127.0.0.1:port can reach. */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const inodes = new Set<string>();
  for (const line of procNetTcp.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const [address, hexPort] = (fields[1] ?? '').split(':');
    // fields: sl, local address, remote address, state (0A is LISTEN), ..., inode (the tenth).
    if (fields[3] !== '0A' || address === undefined || parseInt(hexPort ?? '', 16) !== port) continue;
    if (reachableFromLoopback.has(address.toUpperCase()) && /^\d+$/.test(fields[9] ?? '') && fields[9] !== '0')
      inodes.add(fields[9]!);
  }
  return [...inodes];
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
    if (socket && pid !== undefined && !holders.some((h) => h.pid === pid && h.inode === socket[1]))
      holders.push({ pid, inode: socket[1]! });
  }
  return holders;
}

/** The lines of `processNamesCommand` (shared/commands/port-owner.ts), as pid → name. */
export function parseProcessNames(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const m of text.matchAll(/^(\d+) (.*)$/gm)) names.set(Number(m[1]), m[2]!.trim());
  return names;
}

/** The pids `docker top <container> -o pid` printed. */
export function parseContainerPids(text: string): Set<number> {
  return new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^\d+$/.test(l))
      .map(Number),
  );
}
