import { command, type RemoteCommand } from './command';

/** The deploy user's home on the host (`$HOME` as a login there sees it). */
export function homeDirectory(): RemoteCommand {
  return command('printenv', ['HOME'], "Find the deploy user's home");
}

/**
 * One read-only command that prints a host's vital signs as `key=value` lines.
 * It reads /proc with shell builtins and forks only `df`, so that watching a
 * fleet costs its hosts almost nothing.
 */
export const hostFactsCommand: RemoteCommand = command(
  'sh',
  [
    '-c',
    [
      '( . /etc/os-release 2>/dev/null; echo "os=${PRETTY_NAME:-unknown}" )',
      'read -r ostype < /proc/sys/kernel/ostype; read -r release < /proc/sys/kernel/osrelease; echo "kernel=$ostype $release"',
      'read -r up _ < /proc/uptime; echo "uptime=$up"',
      'read -r l1 l5 l15 _ < /proc/loadavg; echo "load=$l1 $l5 $l15"',
      'n=0; while read -r key _; do [ "$key" = processor ] && n=$((n+1)); done < /proc/cpuinfo; echo "cpus=$n"',
      'while read -r key value _; do case "$key" in MemTotal:) echo "memtotal=$value";; MemAvailable:) echo "memavailable=$value";; esac; done < /proc/meminfo',
      'df -Pk / | { read -r _; read -r _ total used _ _ mount; echo "disk=$total $used $mount"; }',
    ].join('; '),
  ],
  "Read the host's OS, uptime, load, memory and disk",
);

/** The service's state file on the host (`~/.shipdeck/<service>/state.json`), printed; exits non-zero when there is none. */
export function readServiceState(statePath: string): RemoteCommand {
  return command('cat', [statePath], 'Read the service state on the host');
}
