import { command, type RemoteCommand } from './commands/command';

/**
 * Files over exec, for servers whose sshd has no SFTP subsystem. The content
 * travels on stdin, the paths as arguments: nothing of either is in the script.
 */

/** Write stdin beside the file, then rename it over the file: a reader never sees half of it. */
export function writeFileCommand(path: string, temp: string): RemoteCommand {
  return command('sh', ['-c', 'cat > "$2" && mv -f -- "$2" "$1" || { rm -f -- "$2"; exit 1; }', 'write', path, temp], `Write ${path}`);
}

/** Print a file to stdout. */
export function readFileCommand(path: string): RemoteCommand {
  return command('cat', ['--', path], `Read ${path}`);
}

/** What to add to a server's sshd_config so that Shipdeck reads and writes files over SFTP again. */
export const sftpSubsystemHint = 'Add `Subsystem sftp internal-sftp` to /etc/ssh/sshd_config on the server and reload sshd; until then Shipdeck reads and writes files over exec (cat), which works but starts a process for each file.';
