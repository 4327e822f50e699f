import { describe, expect, it } from 'vitest';
import {
  processNamesCommand,
  socketHoldersCommand,
  socketHoldersInContainerCommand,
  socketTableCommand,
} from '../../../../shared/commands/port-owner';

const holdersScript =
  'p=$1; shift; if [ $# -eq 0 ]; then set -- /proc/[0-9]*/fd; fi; ls -l "$@" /dev/null 2>/dev/null | grep -E "$p"; true';

describe('port owner commands', () => {
  it('reads the LISTEN lines of one port (in hex) from both socket tables', () => {
    expect(socketTableCommand(3001)).toEqual({
      program: 'sh',
      args: [
        '-c',
        'grep -hE "^ *[0-9]+: [0-9A-Fa-f]+:$1 [0-9A-Fa-f]+:[0-9A-Fa-f]+ 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null; true',
        'sockets',
        '0BB9',
      ],
      purpose: "Read the host's sockets listening on port 3001",
      redact: [],
    });
  });

  it('searches the given processes for the sockets, or every process, numeric inodes and pids only', () => {
    expect(socketHoldersCommand(['111', '112'], [17, 42])).toEqual({
      program: 'sh',
      args: ['-c', holdersScript, 'holders', '^/proc/[0-9]+/fd:|socket:\\[(111|112)\\]', '/proc/17/fd', '/proc/42/fd'],
      purpose: "Check that the container's processes hold the listening socket",
      redact: [],
    });
    expect(socketHoldersCommand(['111', 'x; rm'], [1.5])).toEqual({
      program: 'sh',
      args: ['-c', holdersScript, 'holders', '^/proc/[0-9]+/fd:|socket:\\[(111)\\]'],
      purpose: 'Find which processes hold the listening socket',
      redact: [],
    });
    expect(socketHoldersCommand([]).args[3]).toBe('^/proc/[0-9]+/fd:|socket:\\[(0)\\]');
  });

  it('runs the same search inside a container', () => {
    expect(socketHoldersInContainerCommand('web-v2-3001', ['111'])).toEqual({
      program: 'docker',
      args: ['exec', 'web-v2-3001', 'sh', '-c', holdersScript, 'holders', '^/proc/[0-9]+/fd:|socket:\\[(111)\\]'],
      purpose: 'Find inside web-v2-3001 whether it holds the listening socket',
      redact: [],
    });
  });

  it('names processes by pid', () => {
    expect(processNamesCommand([17, 42])).toEqual({
      program: 'sh',
      args: [
        '-c',
        'for p in "$@"; do printf "%s %s\\n" "$p" "$(cat /proc/$p/comm 2>/dev/null)"; done',
        'names',
        '17',
        '42',
      ],
      purpose: 'Name the processes that hold the port',
      redact: [],
    });
  });
});
