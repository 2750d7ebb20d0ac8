import fs from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { createUserAsAdmin, E2E_ADMIN, pageAs, uniqueEmail } from './helpers';

/*
 * Runs train on the "demo" dataset that `mlops up` generates and imports on first
 * start; the worker started by the same command executes them. Decision trees of
 * small depth keep each run to seconds.
 */
const SHOTS = 'test-results/screenshots';

/**
 * The demo import runs in the background after start-up: wait until the launch
 * form offers it, and choose it (other specs import datasets of their own).
 */
async function openLaunchForm(page: Page) {
  await expect(async () => {
    await page.goto('/runs/new');
    await page.getByLabel('Dataset').selectOption('demo', { timeout: 2_000 });
  }).toPass({ timeout: 240_000, intervals: [3_000] });
  await expect(page.getByLabel('Dataset')).toHaveValue('demo');
}

async function launchTree(page: Page, opts: { name: string; maxDepth: number; tag: string }) {
  await openLaunchForm(page);
  await page.getByLabel('Algorithm').selectOption({ label: 'Decision tree' });
  await expect(page.getByText('A single CART tree: the interpretable baseline.')).toBeVisible();
  await page.getByLabel('maxDepth').fill(String(opts.maxDepth));
  await page.getByLabel('Name', { exact: true }).fill(opts.name);
  await page.getByLabel('Tags', { exact: true }).fill(opts.tag);
  await page.getByRole('button', { name: 'Launch run' }).click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/, { timeout: 15_000 });
  await expect(page.getByRole('heading', { level: 1 })).toContainText(opts.name);
}

test('[RUNS] engineer launches a run from the browser, sees progress, and sees the result', async ({ browser }) => {
  test.setTimeout(420_000);
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('run-engineer');
  const page = await pageAs(browser, email, await createUserAsAdmin(admin, email, 'Rui Engineer', 'ML engineer'));

  await page.goto('/runs');
  await page.getByRole('link', { name: 'New run' }).first().click();
  await openLaunchForm(page);
  // A bad value is refused by the server and pinned to its field.
  await page.getByLabel('Algorithm').selectOption({ label: 'Decision tree' });
  await page.getByLabel('maxDepth').fill('999');
  await page.getByRole('button', { name: 'Launch run' }).click();
  await expect(page.getByText('must be ≤ 64 (got 999)', { exact: true })).toBeVisible();
  await expect(page.getByText('Not launched: check the highlighted fields.')).toBeVisible();

  await launchTree(page, { name: `e2e tree ${Date.now()}`, maxDepth: 6, tag: 'e2e-launch' });
  // Live without a reload: queued or running with a progress bar, then the result.
  await expect(page.getByRole('progressbar', { name: 'Run progress' }).or(page.getByText('Succeeded', { exact: true }))).toBeVisible();
  await expect(page.getByRole('log', { name: 'Run log' })).toContainText('Loading demo', { timeout: 60_000 });
  await expect(page.getByText('Succeeded', { exact: true })).toBeVisible({ timeout: 300_000 });
  const accuracy = page.getByRole('region', { name: 'Headline metrics' }).getByText('Accuracy').locator('..');
  await expect(accuracy).toContainText(/0\.\d{4}/);
  await expect(page.getByRole('table', { name: 'Confusion matrix' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Confusion matrix' }).getByRole('columnheader', { name: 'UM' })).toBeVisible();
  await expect(page.getByRole('log', { name: 'Run log' })).toContainText('Stored the model');
  await fs.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/run-page.png`, fullPage: true });
});

test('[RUNS] engineer compares two runs', async ({ browser }) => {
  test.setTimeout(420_000);
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('compare-engineer');
  const page = await pageAs(browser, email, await createUserAsAdmin(admin, email, 'Cy Engineer', 'ML engineer'));
  const tag = `cmp-${Date.now().toString(36)}`;

  await launchTree(page, { name: `shallow ${tag}`, maxDepth: 3, tag });
  await launchTree(page, { name: `deeper ${tag}`, maxDepth: 8, tag });

  await page.goto(`/runs?tag=${tag}`);
  const table = page.getByRole('table');
  await expect(table.getByRole('row')).toHaveCount(3);
  // The list refreshes itself until both have finished.
  await expect(table.getByText('Succeeded', { exact: true })).toHaveCount(2, { timeout: 300_000 });
  await page.getByRole('checkbox', { name: /Select run #\d+/ }).first().check();
  await expect(page.getByRole('button', { name: 'Compare (1)' })).toBeDisabled();
  await page.getByRole('checkbox', { name: /Select run #\d+/ }).nth(1).check();
  await page.getByRole('link', { name: 'Compare (2)' }).click();

  await expect(page).toHaveURL(/\/runs\/compare\?ids=/);
  await expect(page.getByRole('heading', { name: 'Compare 2 runs', level: 1 })).toBeVisible();
  const compared = page.getByRole('table', { name: 'Runs compared' });
  await expect(compared.getByRole('columnheader', { name: /shallow/ })).toBeVisible();
  await expect(compared.getByRole('columnheader', { name: /deeper/ })).toBeVisible();
  const depthRow = compared.getByRole('row', { name: /maxDepth/ });
  await expect(depthRow).toHaveAttribute('data-differs', 'true');
  await expect(depthRow).toContainText('3');
  await expect(depthRow).toContainText('8');
  await expect(compared.getByRole('row', { name: /criterion/ })).not.toHaveAttribute('data-differs', 'true');
  await expect(page.getByText('1 parameter differs between these runs')).toBeVisible();
  await expect(page.getByRole('table', { name: /Confusion matrix of run/ })).toHaveCount(2);
  await fs.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/compare-page.png`, fullPage: true });
});

test('[RUNS] a viewer can watch runs but cannot launch them', async ({ browser }) => {
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('run-viewer');
  const page = await pageAs(browser, email, await createUserAsAdmin(admin, email, 'Vi Viewer', 'Viewer'));

  await page.goto('/runs');
  await expect(page.getByRole('heading', { name: 'Training runs', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New run' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'New run' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'New sweep' })).toBeDisabled();
  await page.goto('/runs/new');
  await expect(page.getByText('Your role cannot launch runs')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Launch run' })).toHaveCount(0);
  // The API refuses too, whatever the UI shows.
  const res = await page.request.post('/api/v1/runs', { data: { dataset: 'demo', algorithm: 'decision_tree' } });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.message).toMatch(/may not/);
});

test('[RUNS] engineer launches a grid sweep and sees the best run highlighted', async ({ browser }) => {
  test.setTimeout(420_000);
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('sweep-engineer');
  const page = await pageAs(browser, email, await createUserAsAdmin(admin, email, 'Sol Engineer', 'ML engineer'));

  await expect(async () => {
    await page.goto('/runs/sweeps/new');
    const demo = await page.getByLabel('Dataset version').locator('option', { hasText: /^demo v/ }).first().getAttribute('value', { timeout: 2_000 });
    await page.getByLabel('Dataset version').selectOption(demo!);
  }).toPass({ timeout: 240_000, intervals: [3_000] });
  await page.getByLabel('Algorithm').selectOption({ label: 'Decision tree' });
  await page.getByLabel('Strategy').selectOption('grid');
  await page.getByRole('checkbox', { name: 'Search maxDepth' }).check();
  await page.getByLabel('maxDepth values').fill('2, 6');
  await page.getByLabel('Runs at most').fill('2');
  await page.getByLabel('At a time').fill('1');
  const name = `e2e sweep ${Date.now()}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Launch sweep' }).click();
  await expect(page).toHaveURL(/\/runs\/sweeps\/[a-z0-9]+$/, { timeout: 15_000 });
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  // One at a time: the page follows both runs to the end by itself, then names the best.
  await expect(page.getByText(/^Best so far: run #\d+/)).toBeVisible({ timeout: 300_000 });
  await expect(page.getByRole('table').getByText('Succeeded', { exact: true })).toHaveCount(2, { timeout: 300_000 });
  // The sweep closes itself once its last run is recorded; the page follows.
  await expect(page.getByRole('button', { name: 'Cancel sweep' })).toBeHidden({ timeout: 60_000 });
  await fs.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/sweep-page.png`, fullPage: true });
});
