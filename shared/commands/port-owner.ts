import { command, type RemoteCommand } from './command';

/**
 * Who holds the socket that answers on a port of a host, as commands: the proof, before traffic
 * moves, that the health answer came from the new container (shared/port-owner.ts reads their output).
 */

/**
 * The host's sockets listening on `port`, IPv4 and IPv6, filtered on the host: a busy server's
 * table holds tens of thousands of connections (TIME-WAIT among them), and only LISTEN lines
 * (state 0A) on this port matter. A host without IPv6 has no tcp6: that is no error.
 */
export function socketTableCommand(port: number): RemoteCommand {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const script =
    'grep -hE "^ *[0-9]+: [0-9A-Fa-f]+:$1 [0-9A-Fa-f]+:[0-9A-Fa-f]+ 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null; true';
  return command('sh', ['-c', script, 'sockets', hex], `Read the host's sockets listening on port ${port}`);
}

// Lists the open files of the processes named (every process when none is) with `ls -l` (in busybox as in
// coreutils, one process for the whole search) and keeps the folder headers and the sockets asked for;
// processes the user may not read are skipped. `/dev/null` makes ls print a header even for a single folder.
const holdersScript =
  'p=$1; shift; if [ $# -eq 0 ]; then set -- /proc/[0-9]*/fd; fi; ls -l "$@" /dev/null 2>/dev/null | grep -E "$p"; true';

function holdersPattern(inodes: readonly string[]): string {
  const wanted = inodes.filter((i) => /^\d+$/.test(i));
  return `^/proc/[0-9]+/fd:|socket:\\[(${wanted.join('|') || '0'})\\]`;
}

/** The processes on the host that hold the given sockets: among `pids` only, or among every process. */
export function socketHoldersCommand(inodes: readonly string[], pids: readonly number[] = []): RemoteCommand {
  const folders = pids.filter(Number.isSafeInteger).map((pid) => `/proc/${pid}/fd`);
  return command(
    'sh',
    ['-c', holdersScript, 'holders', holdersPattern(inodes), ...folders],
    folders.length
      ? "Check that the container's processes hold the listening socket"
      : 'Find which processes hold the listening socket',
  );
}

/**
 * The same search inside the container (its own processes only), for a
 * deploy user who may not read the container's /proc entries from the host.
 */
export function socketHoldersInContainerCommand(container: string, inodes: readonly string[]): RemoteCommand {
  return command(
    'docker',
    ['exec', container, 'sh', '-c', holdersScript, 'holders', holdersPattern(inodes)],
    `Find inside ${container} whether it holds the listening socket`,
  );
}

/** The name of each process (its /proc/<pid>/comm), to name the one that holds a port. */
export function processNamesCommand(pids: readonly number[]): RemoteCommand {
  return command(
    'sh',
    [
      '-c',
      'for p in "$@"; do printf "%s %s\\n" "$p" "$(cat /proc/$p/comm 2>/dev/null)"; done',
      'names',
      ...pids.map(String),
    ],
    'Name the processes that hold the port',
  );
}
