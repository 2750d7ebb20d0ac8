import fs from 'node:fs/promises';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { createUserAsAdmin, E2E_ADMIN, pageAs, uniqueEmail } from './helpers';

/*
 * The model lifecycle through the browser, checked against the real prediction
 * API: `mlops up` starts the inference service on E2E_INFERENCE_PORT, and on
 * first start the demo set-up trains, registers, approves and deploys a default
 * model to production (a minute or two after start-up).
 */
const PREDICT_URL = `http://127.0.0.1:${process.env.E2E_INFERENCE_PORT ?? 8180}/v1/predict`;
const SHOTS = 'test-results/screenshots';
const BASKET = { storeFormat: 'LS', basketSize: 'M', lines: [{ prod: 'PRD0900001', p10: 'CL00001', quantity: 2, spend: 3.4 }, { prod: 'PRD0900002', quantity: 1, spend: 1.2 }] };

/** The version the API answers with, or 0 while it cannot answer (no model yet, key not published yet). */
async function servedVersion(request: APIRequestContext, key: string): Promise<number> {
  const res = await request.post(PREDICT_URL, { headers: { Authorization: `Bearer ${key}` }, data: { basket: BASKET }, failOnStatusCode: false }).catch(() => null);
  if (!res?.ok()) return 0;
  return ((await res.json()) as { model: { version: number } }).model.version;
}

async function createPredictKey(page: Page) {
  await page.goto('/settings/api-keys');
  await page.getByLabel('Name').fill('e2e-predict');
  await page.getByRole('checkbox', { name: /predict/ }).check();
  await page.getByRole('button', { name: 'Create API key' }).click();
  const secret = (await page.getByTestId('new-key-secret').locator('code').innerText()).trim();
  expect(secret).toMatch(/^psk_/);
  return secret;
}

/** Waits for the demo dataset (imported in the background after start-up), then launches a small tree on it. */
async function launchTree(page: Page, name: string) {
  await expect(async () => {
    await page.goto('/runs/new');
    await page.getByLabel('Dataset').selectOption('demo', { timeout: 2_000 });
  }).toPass({ timeout: 240_000, intervals: [3_000] });
  await page.getByLabel('Algorithm').selectOption({ label: 'Decision tree' });
  await page.getByLabel('maxDepth').fill('6');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Launch run' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name, { timeout: 15_000 });
  await expect(page).toHaveURL(/\/runs\/(?!new$)[a-z0-9]+$/);
}

async function setAccuracyGate(admin: Page, value: string) {
  await admin.goto('/models');
  await admin.getByRole('button', { name: 'Edit thresholds' }).click();
  await admin.getByLabel('Accuracy at least').fill(value);
  await admin.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(admin.getByText('KPI gates updated')).toBeVisible();
}

test('[MODELS] register → approve as a different user → deploy → predict via the API → roll back', async ({ browser, request }) => {
  test.setTimeout(720_000);
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const engineerEmail = uniqueEmail('model-engineer');
  const engineer = await pageAs(browser, engineerEmail, await createUserAsAdmin(admin, engineerEmail, 'Mo Engineer', 'ML engineer'));
  const approverEmail = uniqueEmail('model-approver');
  const approver = await pageAs(browser, approverEmail, await createUserAsAdmin(admin, approverEmail, 'Ada Approver', 'Approver'));
  const key = await createPredictKey(engineer);

  await launchTree(engineer, `e2e model ${Date.now()}`);
  const runUrl = engineer.url();
  // Meanwhile the demo set-up has put a first model into production: the API answers with it.
  await expect.poll(() => servedVersion(request, key), { timeout: 300_000, intervals: [2_000] }).toBeGreaterThan(0);
  const before = await servedVersion(request, key);

  // An admin makes the accuracy gate unreachable, so this version certainly fails one.
  await setAccuracyGate(admin, '0.99');
  await engineer.goto(runUrl);
  await expect(engineer.getByText('Succeeded', { exact: true })).toBeVisible({ timeout: 300_000 });
  await engineer.getByRole('button', { name: 'Register as model' }).click();
  await engineer.getByLabel('Comment').fill('Deeper tree, proposed for production');
  await engineer.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(engineer).toHaveURL(/\/models\/[a-z0-9]+$/);
  await setAccuracyGate(admin, '0.75');
  const heading = engineer.getByRole('heading', { level: 1 });
  await expect(heading).toContainText(/v\d+/);
  const version = Number(/v(\d+)/.exec(await heading.innerText())![1]);
  expect(version).toBeGreaterThan(before);
  const modelUrl = engineer.url();

  // The gates as evaluated at registration, with the failing one marked.
  const gates = engineer.getByRole('table', { name: 'KPI gates' });
  await expect(gates.getByRole('row', { name: /Accuracy/ })).toContainText('≥ 0.99');
  await expect(gates.getByRole('row', { name: /Accuracy/ })).toContainText('Fail');
  await expect(gates.getByRole('row', { name: /Macro F1/ })).toBeVisible();
  await expect(engineer.getByText('Pending approval').first()).toBeVisible();
  // The trainer cannot approve: approving is the approver role's, and never one's own model.
  await expect(engineer.getByRole('heading', { name: 'Waiting for an approver' })).toBeVisible();
  await expect(engineer.getByRole('button', { name: /^Approve/ })).toHaveCount(0);

  // An approver decides; failing a gate, approval needs a written override reason.
  await approver.goto(modelUrl);
  await approver.getByLabel('Comment').fill('Checked the per-class numbers with the pricing team');
  await approver.getByRole('button', { name: 'Approve with override' }).click();
  await expect(approver.getByText('is required to approve a model that fails a KPI gate')).toBeVisible();
  await approver.getByLabel('Override reason').fill('Accuracy gate raised for this test; the model is fine for production');
  await approver.getByRole('button', { name: 'Approve with override' }).click();
  await expect(approver.getByText('Approved', { exact: true }).first()).toBeVisible();
  const timeline = approver.getByRole('list', { name: 'Model version timeline' });
  await expect(timeline).toContainText('Approved with a KPI gate override');
  await expect(timeline).toContainText('Checked the per-class numbers with the pricing team');
  await expect(timeline).toContainText(approverEmail);

  // The engineer deploys it; the inference service picks it up within seconds.
  await engineer.goto(modelUrl);
  await expect(engineer.getByLabel('Deployment')).toHaveValue('production');
  await engineer.getByLabel('Comment').fill('Ship the deeper tree');
  await engineer.getByRole('button', { name: 'Deploy to production' }).click();
  await expect(engineer.getByText(`production now serves price-sensitivity v${version}`)).toBeVisible();
  await expect.poll(() => servedVersion(request, key), { timeout: 60_000, intervals: [1_000] }).toBe(version);
  await fs.mkdir(SHOTS, { recursive: true });
  await engineer.screenshot({ path: `${SHOTS}/model-page.png`, fullPage: true });

  // One click (and a confirmation) on Deployments rolls production back.
  await engineer.goto('/deployments');
  const production = engineer.getByRole('region', { name: /^production/ });
  await expect(production.getByRole('link', { name: `price-sensitivity v${version}` })).toBeVisible();
  await production.getByRole('button', { name: `Roll back to v${before}`, exact: true }).click();
  await engineer.getByRole('dialog').getByLabel('Comment').fill('Back to the demo model');
  await engineer.getByRole('dialog').getByRole('button', { name: 'Roll back', exact: true }).click();
  await expect(engineer.getByRole('dialog')).toBeHidden();
  await expect(production.getByRole('link', { name: `price-sensitivity v${before}` })).toBeVisible();
  await expect(production.getByRole('table', { name: 'History of production' }).getByRole('row').nth(1)).toContainText('rollback');
  await expect.poll(() => servedVersion(request, key), { timeout: 60_000, intervals: [1_000] }).toBe(before);
  await engineer.screenshot({ path: `${SHOTS}/deployments-page.png`, fullPage: true });
});

test('[MODELS] try it panel answers with a prediction', async ({ browser }) => {
  test.setTimeout(420_000);
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('try-viewer');
  const page = await pageAs(browser, email, await createUserAsAdmin(admin, email, 'Vic Viewer', 'Viewer'));

  // Viewers may try the deployed model too; the panel appears once production serves one.
  await expect(async () => {
    await page.goto('/deployments');
    await expect(page.getByRole('button', { name: 'Pick a basket' })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 300_000, intervals: [3_000] });
  await expect(page.getByRole('button', { name: /Roll back/ })).toHaveCount(0);
  const panel = page.getByRole('region', { name: 'Try it' });
  await panel.getByRole('button', { name: 'Pick a basket' }).click();
  await expect(panel.getByLabel('Basket (JSON)')).toHaveValue(/"basketId"/);
  await expect(panel.getByText(/true label (LA|MM|UM)/)).toBeVisible();
  await expect(panel.getByText('$PRICESENSE_API_KEY').first()).toBeVisible();

  // The service may still be loading its first model: send until it answers.
  await expect(async () => {
    await panel.getByRole('button', { name: 'Send' }).click();
    await expect(panel.getByTestId('predicted-label')).toHaveText(/^(LA|MM|UM)$/, { timeout: 5_000 });
  }).toPass({ timeout: 120_000, intervals: [2_000] });
  const answer = panel.getByRole('region', { name: 'Prediction' });
  await expect(answer.getByText('200', { exact: true })).toBeVisible();
  await expect(answer.getByRole('list', { name: 'Class probabilities' }).getByRole('listitem')).toHaveCount(3);
  await expect(answer).toContainText(/price-sensitivity v\d+/);

  // A basket the API refuses: the answer names the field.
  await panel.getByLabel('Basket (JSON)').fill('{ "lines": [] }');
  await panel.getByRole('button', { name: 'Send' }).click();
  const refused = panel.getByRole('region', { name: 'Error answer' });
  await expect(refused).toContainText('HTTP 400');
  await expect(refused).toContainText('basket.lines');
  await fs.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/try-it-panel.png`, fullPage: true });
});
