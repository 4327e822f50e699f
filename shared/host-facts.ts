import type { HostFacts } from './fleet-status';

/** Parse what hostFactsCommand (shared/commands/host.ts) printed; undefined names the first missing fact. */
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

/** The files a host's vital signs are read from, as text (and the root filesystem's statvfs). */
export interface ProcReadings {
  readonly osRelease: string;
  readonly ostype: string;
  readonly osrelease: string;
  readonly cpuinfo: string;
  readonly uptime: string;
  readonly loadavg: string;
  readonly meminfo: string;
  readonly rootFs: { readonly blockSize: number; readonly blocks: number; readonly freeBlocks: number };
}

/** Vital signs from the raw files, as `df` and `uptime` would report them. */
export function factsFromProc(r: ProcReadings): HostFacts | { missing: string } {
  const pretty = /^PRETTY_NAME=(.*)$/m.exec(r.osRelease)?.[1]?.replace(/^"(.*)"$/, '$1');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s*(\\d+) kB`, 'm').exec(r.meminfo)?.[1]);
  const lines = [
    `os=${pretty ?? 'unknown'}`,
    `kernel=${r.ostype.trim()} ${r.osrelease.trim()}`,
    `uptime=${r.uptime.split(/\s+/)[0] ?? ''}`,
    `load=${r.loadavg.split(/\s+/).slice(0, 3).join(' ')}`,
    `cpus=${(r.cpuinfo.match(/^processor\s*:/gm) ?? []).length || 1}`,
    `memtotal=${kb('MemTotal')}`,
    `memavailable=${kb('MemAvailable')}`,
    `disk=${Math.floor((r.rootFs.blocks * r.rootFs.blockSize) / 1024)} ${Math.floor(((r.rootFs.blocks - r.rootFs.freeBlocks) * r.rootFs.blockSize) / 1024)} /`,
  ];
  return parseHostFacts(lines.join('\n'));
}
