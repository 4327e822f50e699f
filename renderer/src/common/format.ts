/** How long a host has run, the way people say it: "3 d 4 h", "5 h 12 min", "7 min". */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${s} s`;
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** "1.2 / 7.8 GiB": both numbers in the total's unit, so they compare at a glance. */
export function formatUsage(usedBytes: number, totalBytes: number): string {
  let unit = 0;
  while (unit < units.length - 1 && totalBytes >= 1024 ** (unit + 1)) unit++;
  const scale = 1024 ** unit;
  const digits = totalBytes / scale >= 100 || unit === 0 ? 0 : 1;
  return `${(usedBytes / scale).toFixed(digits)} / ${(totalBytes / scale).toFixed(digits)} ${units[unit]}`;
}

/** Used over total, between 0 and 1 (0 when the total is unknown). */
export function ratioOf(used: number, total: number): number {
  return total > 0 ? Math.min(1, Math.max(0, used / total)) : 0;
}

/** "4 s ago", "3 min ago", "2 h ago". */
export function formatAgo(fromIso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3_600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** Load averages with two decimals at most, as uptime prints them. */
export function formatLoad(load: readonly [number, number, number]): string {
  return load.map((value) => value.toFixed(2)).join(' ');
}

/** A milliseconds interval as the seconds people set it in. */
export function formatInterval(ms: number): string {
  if (ms <= 0) return 'paused';
  const seconds = ms / 1000;
  return `every ${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** A duration the way a run shows it: "850 ms", "4.2 s", "42 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number): string {
  const value = Math.max(0, ms);
  if (value < 1000) return `${Math.round(value)} ms`;
  const seconds = value / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  if (whole < 3_600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3_600)} h ${Math.floor((whole % 3_600) / 60)} min`;
}

/** From one time to another (or to `now` while it lasts). */
export function durationBetween(
  startIso: string | undefined,
  endIso: string | undefined,
  now: number,
): number | undefined {
  if (!startIso) return undefined;
  return (endIso ? Date.parse(endIso) : now) - Date.parse(startIso);
}

/** When something started: the time of day today, the date and time before. */
export function formatStarted(iso: string, now: number): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  if (at.toDateString() === new Date(now).toDateString()) return time;
  return `${at.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}
