import { defineConfig } from '@playwright/test';

/** Debian's Chromium; Playwright never downloads a browser here. */
const chromium = {
  browserName: 'chromium' as const,
  launchOptions: {
    executablePath: process.env.SHIPDECK_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  },
};

export default defineConfig({
  testDir: '.',
  outputDir: '.artifacts/playwright',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  projects: [
    { name: 'e2e', testDir: 'e2e', use: { ...chromium, screenshot: 'only-on-failure', trace: 'retain-on-failure' } },
    { name: 'electron', testDir: 'electron' },
  ],
});
