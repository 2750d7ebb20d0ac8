import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests against the real product: `mlops up` with a fresh data folder
 * (embedded PostgreSQL, migrations, web, worker, inference), driven through
 * Debian's Chromium. The first admin comes from the environment.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password' };
/**
 * The instance's data folder, wiped at start. E2E_DATA_DIR lets a second run (other
 * ports too) keep its own; the name must start with .e2e-data, so the wipe cannot
 * reach anything else.
 */
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? '.e2e-data';
if (!/^\.e2e-data[\w.-]*$/.test(E2E_DATA_DIR)) throw new Error(`E2E_DATA_DIR must be a folder name starting with .e2e-data (got "${E2E_DATA_DIR}")`);

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    command: `rm -rf ${E2E_DATA_DIR} && exec node_modules/.bin/tsx --conditions=react-server server/cli/main.ts up`,
    url: `http://localhost:${PORT}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      MLOPS_DATA_DIR: E2E_DATA_DIR,
      PORT: String(PORT),
      INFERENCE_PORT: String(Number(process.env.E2E_INFERENCE_PORT ?? 8180)),
      MLOPS_ADMIN_EMAIL: E2E_ADMIN.email,
      MLOPS_ADMIN_PASSWORD: E2E_ADMIN.password,
      LOG_LEVEL: 'warn',
    },
  },
});
