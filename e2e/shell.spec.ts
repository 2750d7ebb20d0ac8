import { expect, test } from '@playwright/test';
import { E2E_ADMIN, signIn } from './helpers';

// [navigation link, page heading]: every section has a page that says what it is for.
const SECTIONS = [
  ['Datasets', 'Datasets'],
  ['Runs', 'Training runs'],
  ['Models', 'Models'],
  ['Deployments', 'Deployments'],
  ['Monitoring', 'Monitoring'],
  ['Costs', 'Costs'],
  ['Audit', 'Audit log'],
  ['Settings', 'Settings'],
] as const;

test('[SHELL] every section is one click away and says what it is for', async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [label, heading] of SECTIONS) {
    await nav.getByRole('link', { name: label }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  }
  // Costs are recorded from the worker's first minute, so the Costs page answers at once:
  // the month so far against the default $500 budget, and the infrastructure estimate.
  // A month without records (before this installation) explains itself instead of drawing
  // an empty chart, and says what to do next.
  await nav.getByRole('link', { name: 'Costs' }).click();
  await expect(page.getByRole('heading', { name: 'Month to date' })).toBeVisible();
  await expect(page.getByText(/^of the .* monthly budget/)).toContainText('of the $500.00 monthly budget');
  await expect(page.getByRole('heading', { name: 'Infrastructure estimate' })).toBeVisible();
  await page.getByRole('link', { name: /^Previous month/ }).click();
  await expect(page.getByRole('heading', { name: /^No costs recorded in / })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Show this month' })).toBeVisible();
});

test('[AUDIT] sign-ins and changes appear in the audit log and can be filtered', async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/audit');
  await page.getByLabel('Action').selectOption('auth.sign_in');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/action=auth.sign_in/);
  const rows = page.locator('tbody tr');
  await expect(rows.first()).toContainText(`${E2E_ADMIN.email} signed in`);
  for (const text of await rows.allInnerTexts()) expect(text).toContain('auth.sign_in');
});

test('[HEALTH] /api/health reports the database, storage and worker', async ({ request }) => {
  await expect(async () => {
    const res = await request.get('/api/health');
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { ok: true }, storage: { ok: true, kind: 'local' }, workers: { ok: true } });
  }).toPass({ timeout: 30_000 });
});

test('[DEMO] a new installation greets people with the synthetic demo dataset', async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(async () => {
    await page.goto('/datasets');
    await expect(page.getByRole('link', { name: 'demo', exact: true })).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 90_000 });
  await page.goto('/audit?actor=demo');
  await expect(page.locator('tbody tr').first()).toContainText('demo set-up');
});
