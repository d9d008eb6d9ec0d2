import { defineConfig, devices } from '@playwright/test';
import path from 'node:path';
import { DEMO_PASSWORD } from './tests/support';

// Browser tests for the e-safety induction app.
//
// Run through `cargo xtask test` (which builds the release site first and
// sets E2E_PORT / E2E_JSON_REPORT), or by hand after
// `cargo leptos build --release`:  cd end2end && npx playwright test
//
// We use Debian's Chromium (/usr/bin/chromium): Playwright's own browser
// download is not reachable from the project's machines.

const repoRoot = path.resolve(__dirname, '..');
const port = Number(process.env.E2E_PORT ?? 3107);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = path.join(repoRoot, 'target', 'e2e-data');

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  // Two cores: one worker in CI keeps timings steady; two locally.
  workers: process.env.CI ? 1 : 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    // Read by `cargo xtask test` to count passed and failed tests.
    ['json', { outputFile: process.env.E2E_JSON_REPORT ?? path.join(repoRoot, 'target', 'e2e-report.json') }],
  ],
  use: {
    baseURL,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    // A fresh data dir every run, so the demo accounts are always new.
    // `exec` makes the server the process Playwright stops at the end.
    command: `rm -rf '${dataDir}' && mkdir -p '${dataDir}' && exec ./target/release/esafety serve`,
    cwd: repoRoot,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      ESAFETY_ADDR: `127.0.0.1:${port}`,
      ESAFETY_BASE_URL: baseURL,
      ESAFETY_DATA_DIR: dataDir,
      ESAFETY_DEMO_PASSWORD: DEMO_PASSWORD,
    },
  },
});
