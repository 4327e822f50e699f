import type { Sample } from '../../../shared/verify';

/**
 * The newest samples of one role, at most `cap` of them: older ones are
 * dropped and counted, so a long VERIFY never grows the page without bound.
 * Mutable and never copied; its `version` says when it changed.
 */
export class SampleWindow {
  private items: Sample[] = [];
  /** How many older samples were dropped to stay within the cap. */
  dropped = 0;
  version = 0;

  constructor(readonly cap: number) {}

  /** Add samples (oldest first); drop the oldest beyond the cap. */
  push(samples: readonly Sample[]): void {
    if (samples.length === 0) return;
    // More than the cap in one go: only its newest part can stay.
    const start = Math.max(0, samples.length - this.cap);
    this.dropped += start;
    for (let i = start; i < samples.length; i++) this.items.push(samples[i]!);
    const over = this.items.length - this.cap;
    if (over > 0) {
      this.items.splice(0, over);
      this.dropped += over;
    }
    this.version++;
  }

  clear(): void {
    this.items = [];
    this.dropped = 0;
    this.version++;
  }

  get size(): number {
    return this.items.length;
  }

  /** The samples kept, oldest first (the window's own array: read, never change). */
  all(): readonly Sample[] {
    return this.items;
  }
}

/** A sample's identity for spotting one seen twice (read from the journal and sent live around the same moment). */
export function sampleKey(sample: Sample): string {
  const head = `${sample.kind}|${sample.role}|${sample.host}|${sample.t}|${sample.unmeasured ?? ''}`;
  switch (sample.kind) {
    case 'http':
      return `${head}|${sample.path}|${sample.status}|${sample.ms}`;
    case 'health':
      return `${head}|${sample.ok}|${sample.detail}`;
    case 'container':
      return `${head}|${sample.cpuPercent}|${sample.memoryBytes}|${sample.restarts}|${sample.errorLines}`;
    case 'host':
      return `${head}|${sample.load1}|${sample.memoryUsedShare}|${sample.diskUsedShare}`;
  }
}

/**
 * The samples of `live` not already in `read`: live updates that came while
 * the journal was being read may overlap its end. Only the part of `read`
 * from the first live sample's time on is compared.
 */
export function unseen(read: readonly Sample[], live: readonly Sample[]): Sample[] {
  if (live.length === 0) return [];
  let from = Infinity;
  for (const s of live) if (s.t < from) from = s.t;
  const seen = new Map<string, number>();
  for (const s of read) {
    if (s.t < from) continue;
    const key = sampleKey(s);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return live.filter((s) => {
    const key = sampleKey(s);
    const left = seen.get(key) ?? 0;
    if (left === 0) return true;
    seen.set(key, left - 1);
    return false;
  });
}
