import { defineConfig } from '@playwright/test';
import { CHROMIUM, chromiumArgs } from './tests/e2e/env';

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  // One engine at a time: the machine's cores are shared.
  workers: 1,
  timeout: 180_000,
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: { executablePath: CHROMIUM, args: chromiumArgs('fake') },
    trace: 'retain-on-failure',
  },
});
