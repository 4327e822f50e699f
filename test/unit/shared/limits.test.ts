import { describe, expect, it } from 'vitest';
import { settleLimited, Slots } from '../../../shared/limit';
import { backoffMs } from '../../../electron/engine/fleet/connections';
import { demultiplex } from '../../../electron/engine/fleet/docker-frames';

describe('settleLimited', () => {
  it('never runs more than the limit at once, and keeps the input order', async () => {
    let running = 0;
    let peak = 0;
    const results = await settleLimited([50, 10, 30, 20, 40, 5, 15], 3, async (ms) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      if (ms === 20) throw new Error('twenty');
      return ms * 2;
    });
    expect(peak).toBe(3);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      100,
      20,
      60,
      'twenty',
      80,
      10,
      30,
    ]);
  });

  it('copes with no items', async () => {
    expect(await settleLimited([], 8, async () => 1)).toEqual([]);
  });
});

describe('reconnect backoff', () => {
  it('doubles from 1 s and stops at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(backoffMs)).toEqual([
      0, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });
});

describe('Docker log frames', () => {
  const frame = (type: number, text: string) => {
    const body = Buffer.from(text);
    const header = Buffer.alloc(8);
    header[0] = type;
    header.writeUInt32BE(body.length, 4);
    return Buffer.concat([header, body]);
  };

  it('splits stdout and stderr frames in order', () => {
    expect(demultiplex(Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err 1\n'), frame(1, 'out 2\n')]))).toEqual([
      { stream: 'stdout', text: 'out 1\n' },
      { stream: 'stderr', text: 'err 1\n' },
      { stream: 'stdout', text: 'out 2\n' },
    ]);
  });

  it('treats an unframed (TTY) buffer as stdout', () => {
    expect(demultiplex(Buffer.from('plain text\n'))).toEqual([{ stream: 'stdout', text: 'plain text\n' }]);
  });
});

describe('Slots', () => {
  it('holds the number of holders to its size, taking the waiting in order', async () => {
    let size = 2;
    const slots = new Slots(() => size);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const job = (n: number) =>
      slots.run(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(n);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        return n;
      });
    expect(await Promise.all([1, 2, 3, 4, 5].map(job))).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    size = 4;
    peak = 0;
    await Promise.all([1, 2, 3, 4, 5, 6].map(job));
    expect(peak).toBe(4);
  });

  it('frees a slot when the work fails', async () => {
    const slots = new Slots(() => 1);
    await expect(
      slots.run(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
  });
});
