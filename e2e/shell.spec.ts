import { expect, test } from '@playwright/test';
import { E2E_ADMIN, signIn } from './helpers';

const SECTIONS = [
  ['Datasets', 'No datasets yet'],
  ['Runs', 'No training runs yet'],
  ['Models', 'No registered models yet'],
  ['Deployments', 'Nothing is deployed yet'],
  ['Monitoring', 'No traffic to show yet'],
  ['Costs', 'No costs recorded yet'],
  ['Audit', 'Audit log'],
  ['Settings', 'Your account'],
] as const;

test('[SHELL] every section is one click away and says what to do next', async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [label, text] of SECTIONS) {
    await nav.getByRole('link', { name: label }).click();
    await expect(page.getByText(text, { exact: true }).first()).toBeVisible();
  }
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
