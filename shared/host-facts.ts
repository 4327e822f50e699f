import { command, type RemoteCommand } from './command';
import type { HostFacts } from './fleet-status';

/** One read-only command that prints a host's vital signs as `key=value` lines. */
export const hostFactsCommand: RemoteCommand = command(
  'sh',
  [
    '-c',
    [
      'printf "os=%s\\n" "$( (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") || uname -s)"',
      'printf "kernel=%s\\n" "$(uname -sr)"',
      'printf "uptime=%s\\n" "$(cut -d" " -f1 /proc/uptime)"',
      'printf "load=%s\\n" "$(cut -d" " -f1-3 /proc/loadavg)"',
      'printf "cpus=%s\\n" "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)"',
      'sed -n "s/^MemTotal: *\\([0-9]*\\) kB/memtotal=\\1/p; s/^MemAvailable: *\\([0-9]*\\) kB/memavailable=\\1/p" /proc/meminfo',
      'df -Pk / | awk "NR==2 {print \\"disk=\\" \\$2 \\" \\" \\$3 \\" \\" \\$6}"',
    ].join('; '),
  ],
  'Read the host\'s OS, uptime, load, memory and disk',
);

/** Parse what hostFactsCommand printed; undefined names the first missing fact. */
export function parseHostFacts(text: string): HostFacts | { missing: string } {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const need = (key: string) => values.get(key);
  const load = (need('load') ?? '').split(/\s+/).map(Number);
  const disk = (need('disk') ?? '').split(/\s+/);
  const numbers = {
    uptime: Number(need('uptime')),
    cpus: Number(need('cpus')),
    memTotal: Number(need('memtotal')),
    memAvailable: Number(need('memavailable')),
    diskTotal: Number(disk[0]),
    diskUsed: Number(disk[1]),
  };
  for (const [key, value] of Object.entries(numbers)) if (!Number.isFinite(value)) return { missing: key };
  if (load.length !== 3 || load.some((n) => !Number.isFinite(n))) return { missing: 'load' };
  return {
    os: need('os') || 'unknown',
    kernel: need('kernel') || 'unknown',
    uptimeSeconds: Math.round(numbers.uptime),
    load: [load[0]!, load[1]!, load[2]!],
    cpus: numbers.cpus,
    memory: { totalBytes: numbers.memTotal * 1024, availableBytes: numbers.memAvailable * 1024 },
    disk: { path: disk[2] ?? '/', totalBytes: numbers.diskTotal * 1024, usedBytes: numbers.diskUsed * 1024 },
  };
}
