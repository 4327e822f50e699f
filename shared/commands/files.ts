import { command, type RemoteCommand } from './command';

/**
 * Files over exec, for servers whose sshd has no SFTP subsystem, and files followed as they grow.
 * The content travels on stdin, the paths as arguments: nothing of either is in the script.
 */

/** Write stdin beside the file, then rename it over the file: a reader never sees half of it. */
export function writeFileCommand(path: string, temp: string): RemoteCommand {
  return command(
    'sh',
    ['-c', 'cat > "$2" && mv -f -- "$2" "$1" || { rm -f -- "$2"; exit 1; }', 'write', path, temp],
    `Write ${path}`,
  );
}

/** Print a file to stdout. */
export function readFileCommand(path: string): RemoteCommand {
  return command('cat', ['--', path], `Read ${path}`);
}

/** A file's last `lines` lines, then each new one, across rotations (`tail -F`): it never ends by itself. */
export function followFile(path: string, lines: number): RemoteCommand {
  return command('tail', ['-n', String(lines), '-F', '--', path], `Follow ${path}`);
}
