import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandLine } from '../../../../shared/commands/command';
import { homeDirectory, hostFactsCommand, readServiceState } from '../../../../shared/commands/host';
import { parseHostFacts } from '../../../../shared/host-facts';

describe('host commands', () => {
  it("reads the deploy user's home", () => {
    expect(homeDirectory()).toEqual({
      program: 'printenv',
      args: ['HOME'],
      purpose: "Find the deploy user's home",
      redact: [],
    });
  });

  it('reads the service state file', () => {
    expect(readServiceState('/home/deploy/.shipdeck/web/state.json')).toEqual({
      program: 'cat',
      args: ['/home/deploy/.shipdeck/web/state.json'],
      purpose: 'Read the service state on the host',
      redact: [],
    });
  });

  it('reads the vital signs with shell builtins and one df', () => {
    expect(hostFactsCommand).toEqual({
      program: 'sh',
      args: [
        '-c',
        '( . /etc/os-release 2>/dev/null; echo "os=${PRETTY_NAME:-unknown}" ); ' +
          'read -r ostype < /proc/sys/kernel/ostype; read -r release < /proc/sys/kernel/osrelease; echo "kernel=$ostype $release"; ' +
          'read -r up _ < /proc/uptime; echo "uptime=$up"; ' +
          'read -r l1 l5 l15 _ < /proc/loadavg; echo "load=$l1 $l5 $l15"; ' +
          'n=0; while read -r key _; do [ "$key" = processor ] && n=$((n+1)); done < /proc/cpuinfo; echo "cpus=$n"; ' +
          'while read -r key value _; do case "$key" in MemTotal:) echo "memtotal=$value";; MemAvailable:) echo "memavailable=$value";; esac; done < /proc/meminfo; ' +
          'df -Pk / | { read -r _; read -r _ total used _ _ mount; echo "disk=$total $used $mount"; }',
      ],
      purpose: "Read the host's OS, uptime, load, memory and disk",
      redact: [],
    });
  });

  it("prints what parseHostFacts reads, on this machine's own shell", () => {
    const facts = parseHostFacts(execFileSync('sh', ['-c', commandLine(hostFactsCommand)], { encoding: 'utf8' }));
    expect(facts).not.toHaveProperty('missing');
  });
});
