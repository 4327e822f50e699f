import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  test: {
    projects: [
      {
        test: { name: 'unit', root, include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        // Integration tests talk to the real lab (sshd, dockerd, nginx on loopback): `npm run lab -- up`.
        test: {
          name: 'integration',
          root,
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
