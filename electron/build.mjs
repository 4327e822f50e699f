// Bundles the engine for its two hosts: the CLI (browser host) and Electron's main and preload.
// Dependencies stay external (installed in node_modules); the sandboxed preload must be one CommonJS file.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { SHIPDECK_VERSION: JSON.stringify(version) },
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/cli.ts'],
    outfile: 'dist/electron/cli.js',
    format: 'esm',
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...common,
    entryPoints: ['electron/main.ts'],
    outfile: 'dist/electron/main.js',
    format: 'esm',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: ['electron/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
]);
