import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { E2E_DATA_DIR } from '../playwright.config';
import { createUserAsAdmin, E2E_ADMIN, pageAs, uniqueEmail } from './helpers';

/*
 * Monitoring, costs and alerts through the browser, against traffic the platform's
 * own traffic command sends to the inference service of this instance. The demo
 * set-up deploys a first model to production a minute or two after start-up; the
 * worker collects the inference counters every 15 s.
 */
const run = promisify(execFile);
const SHOTS = 'test-results/screenshots';
/** The CLI run against this instance: its data folder (embedded PostgreSQL, storage, secret) and inference port. */
const CLI_ENV = { ...process.env, MLOPS_DATA_DIR: E2E_DATA_DIR, INFERENCE_PORT: String(Number(process.env.E2E_INFERENCE_PORT ?? 8180)), LOG_LEVEL: 'warn' };

type TrafficReport = { sent: number; ok: number; errors: number; p95_ms: number | null };

async function traffic(rps: number, seconds: number): Promise<TrafficReport> {
  const { stdout } = await run('npm', ['run', '-s', 'mlops', '--', 'traffic', '--deployment', 'production', '--rps', String(rps), '--duration', String(seconds), '--json'], { env: CLI_ENV, timeout: 120_000 });
  return JSON.parse(stdout) as TrafficReport;
}

/** Waits until production answers predictions (the demo model is deployed and loaded), by sending a little traffic until it all succeeds. */
async function waitForProduction() {
  await expect(async () => {
    const report = await traffic(5, 1);
    expect(report.ok).toBeGreaterThan(0);
    expect(report.errors).toBe(0);
  }).toPass({ timeout: 360_000, intervals: [5_000] });
}

/** The value paragraph of a Monitoring page stat tile, by its label. */
const statValue = (page: Page, label: string) => page.locator('div').filter({ has: page.getByText(label, { exact: true }) }).last().locator('p').nth(1);

test('[MONITORING] traffic from the traffic command appears on the Monitoring charts', async ({ browser }) => {
  test.setTimeout(600_000);
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  await waitForProduction();

  const report = await traffic(10, 15);
  expect(report).toMatchObject({ sent: expect.any(Number), errors: 0 });
  expect(report.ok).toBeGreaterThanOrEqual(100);

  await admin.goto('/monitoring?deployment=production&range=1h');
  // The page polls every 10 s; the worker collects every 15 s.
  await expect(statValue(admin, 'Requests')).not.toHaveText('0', { timeout: 90_000 });
  await expect.poll(async () => Number((await statValue(admin, 'Requests').innerText()).replace(/,/g, '')), { timeout: 60_000 }).toBeGreaterThanOrEqual(report.ok);
  await expect(statValue(admin, 'p95 latency')).toHaveText(/\d+(\.\d+)? (ms|s)/);

  // Charts drawn from the data: a requests line and the latency percentiles, with data rows behind them.
  const requests = admin.getByRole('img', { name: 'Requests per second to production' });
  await expect(requests.locator('path.recharts-line-curve')).toHaveCount(1);
  await expect(requests.locator('path.recharts-line-curve')).toHaveAttribute('d', /\d/);
  const latency = admin.getByRole('img', { name: /^Latency percentiles of production/ });
  await expect(latency.locator('path.recharts-line-curve')).toHaveCount(3);
  await expect(admin.getByRole('img', { name: 'Predictions of production by class' }).locator('path.recharts-area-area').first()).toHaveAttribute('d', /\d/);
  await fs.mkdir(SHOTS, { recursive: true });
  await admin.screenshot({ path: `${SHOTS}/monitoring-traffic.png`, fullPage: true });
});

test('[MONITORING] a viewer lands on the overview: the production model, cost against the budget, and Costs one click away', async ({ browser }) => {
  test.setTimeout(480_000);
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('manager');
  const viewer = await pageAs(browser, email, await createUserAsAdmin(admin, email, 'Mia Manager', 'Viewer'));
  await waitForProduction();

  await viewer.setViewportSize({ width: 1280, height: 900 });
  await viewer.goto('/');
  await expect(viewer.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  const glance = viewer.getByRole('region', { name: 'Production at a glance' });
  await expect(glance.getByRole('article', { name: 'In production' })).toContainText(/price-sensitivity v\d+/);
  await expect(glance.getByRole('article', { name: 'In production' })).toContainText('serving');
  const cost = glance.getByRole('article', { name: 'Cost this month' });
  await expect(cost).toContainText(/\$\d/);
  await expect(cost).toContainText('budget $500');
  await expect(glance.getByRole('article', { name: 'p95 latency · 24 h' })).toContainText(/ms|No requests|No traffic/);
  await expect(glance.getByRole('article', { name: 'Requests today' })).toBeVisible();
  await expect(glance.getByRole('article', { name: 'Live accuracy · 24 h' })).toBeVisible();
  await expect(glance.getByRole('article', { name: 'Open alerts' })).toBeVisible();
  // The engineers' lifecycle checklist is not a manager's business.
  await expect(viewer.getByRole('heading', { name: 'Get started' })).toHaveCount(0);

  await fs.mkdir(SHOTS, { recursive: true });
  await viewer.screenshot({ path: `${SHOTS}/overview-viewer-1280.png`, fullPage: true });
  await viewer.setViewportSize({ width: 390, height: 844 });
  await viewer.reload();
  await expect(glance.getByRole('article', { name: 'Cost this month' })).toBeVisible();
  await viewer.screenshot({ path: `${SHOTS}/overview-viewer-390.png`, fullPage: true });
  await viewer.setViewportSize({ width: 1280, height: 900 });

  await glance.getByRole('link', { name: 'Open Costs' }).click();
  await expect(viewer).toHaveURL(/\/costs$/);
  await expect(viewer.getByRole('heading', { level: 1, name: 'Costs' })).toBeVisible();
  await expect(viewer.getByRole('heading', { name: 'Month to date' })).toBeVisible();
  // A viewer reads costs but does not set the budget.
  await expect(viewer.getByRole('button', { name: 'Edit budget' })).toHaveCount(0);
});

async function setP95Threshold(admin: Page, ms: string) {
  const row = admin.getByTestId('alert-rule-latency_p95');
  await row.getByRole('button', { name: 'Edit p95 latency (production)' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel('Threshold (ms)').fill(ms);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText(`p95 latency > ${ms} ms over 15 min`);
}

/** "Evaluate now" until the p95 rule shows the state (the worker's minute job may get there first; either is fine). */
async function evaluateUntil(admin: Page, state: 'Firing' | 'OK') {
  const row = admin.getByTestId('alert-rule-latency_p95');
  await expect(async () => {
    await admin.getByRole('button', { name: 'Evaluate now' }).click();
    await expect(admin.getByTestId('alert-evaluation-outcome')).toContainText(/^Evaluated \d+ rules?:/, { timeout: 10_000 });
    await expect(row.getByText(state, { exact: true })).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000, intervals: [5_000] });
}

test('[MONITORING] an alert fires and resolves', async ({ browser }) => {
  test.setTimeout(480_000);
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  await waitForProduction();
  // The p95 rule needs at least 10 requests in its 15-minute window.
  expect((await traffic(5, 4)).errors).toBe(0);

  await admin.goto('/monitoring?deployment=production&range=1h');
  await expect(statValue(admin, 'Requests')).not.toHaveText('0', { timeout: 90_000 });
  // An objective of 0.001 ms: every request breaks it.
  await setP95Threshold(admin, '0.001');
  await evaluateUntil(admin, 'Firing');
  const history = admin.getByRole('heading', { name: 'Alert history' }).locator('xpath=ancestor::*[@data-slot="card"][1]');
  await expect(history.getByRole('listitem').filter({ hasText: 'p95 latency (production)' }).first()).toContainText('Firing');
  await fs.mkdir(SHOTS, { recursive: true });
  await admin.screenshot({ path: `${SHOTS}/monitoring-alert-firing.png`, fullPage: true });

  // Everyone sees it on the overview.
  await admin.goto('/');
  const alerts = admin.getByRole('region', { name: 'Production at a glance' }).getByRole('article', { name: 'Open alerts' });
  await expect(alerts).toContainText('firing');
  await expect(alerts).toContainText(/production: p95 latency is/);
  await expect(admin.getByTestId('open-alerts')).toContainText(/production: p95 latency is .* \(rule: p95 latency > 0\.001 ms over 15 min\)/);
  await admin.screenshot({ path: `${SHOTS}/overview-alert-firing.png`, fullPage: true });

  // Back to the 200 ms objective: the next evaluation resolves it.
  await admin.goto('/monitoring?deployment=production&range=1h');
  await setP95Threshold(admin, '200');
  await evaluateUntil(admin, 'OK');
  const entry = history.getByRole('listitem').filter({ hasText: 'p95 latency (production)' }).first();
  await expect(entry).toContainText('Resolved');
  await expect(entry).toContainText(/resolved: p95 latency back to/);
  await admin.goto('/');
  await expect(admin.getByRole('region', { name: 'Production at a glance' }).getByRole('article', { name: 'Open alerts' })).not.toContainText('p95 latency');

  // The evaluation on demand is in the audit log.
  await admin.goto('/audit');
  await expect(admin.getByText(/Alert rules evaluated on demand/).first()).toBeVisible();
});
