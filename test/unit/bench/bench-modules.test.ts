import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm run bench` imports every section before it brings the lab up, so no section may read the lab when imported.
const benchDir = new URL('../../bench/', import.meta.url).pathname;
const sections = readdirSync(benchDir).filter((file) => file.endsWith('.ts') && file !== 'run.ts');
const noLab = mkdtempSync(join(tmpdir(), 'sd-no-lab-'));
const before = process.env.SHIPDECK_LAB;

afterAll(() => {
  if (before === undefined) delete process.env.SHIPDECK_LAB;
  else process.env.SHIPDECK_LAB = before;
  rmSync(noLab, { recursive: true, force: true });
});

describe('the bench sections', () => {
  it('are all found', () => {
    expect(sections).toEqual(
      expect.arrayContaining(['foundation.ts', 'fleet.ts', 'releases.ts', 'logs.ts', 'verify.ts', 'records.ts']),
    );
  });

  it.each(sections)('%s imports with the lab down', async (file) => {
    process.env.SHIPDECK_LAB = noLab;
    await expect(import(join(benchDir, file))).resolves.toBeDefined();
  });
});
