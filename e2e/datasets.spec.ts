import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { HEADER_LINE } from '../server/datasets/schema';
import { toCsv, transactionRows } from '../test/transactions';
import { createUserAsAdmin, E2E_ADMIN, pageAs, signIn, uniqueEmail } from './helpers';

/*
 * Small dunnhumby-format files written for the test: 12 baskets × 3 lines per week,
 * labels cycling LA, MM, UM, MM, XX (so 3 of 12 baskets are LA).
 */
let dir: string;
const WEEKS = [200607, 200609] as const;
const ROWS_PER_FILE = 36;
const LA_ROWS_PER_FILE = 9;
const fileFor = (week: number) => path.join(dir, `transactions_${week}.csv`);

test.beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pricesense-e2e-datasets-'));
  for (const week of WEEKS) await fs.writeFile(fileFor(week), toCsv(transactionRows({ week, baskets: 12, linesPerBasket: 3 })));
  // Same bytes as week 200607 under another name: content, not names, identifies a version.
  await fs.copyFile(fileFor(200607), path.join(dir, 'renamed_copy.csv'));
  // A header with SHOP_WEEK misspelt.
  const bad = toCsv(transactionRows({ week: 200610, baskets: 4 })).replace(HEADER_LINE, HEADER_LINE.replace('SHOP_WEEK', 'WEEK'));
  await fs.writeFile(path.join(dir, 'transactions_200610.csv'), bad);
});

test.afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const uniqueDataset = (prefix: string) => `${prefix}-${Date.now().toString(36)}`;

/** Fill the import form and start the upload; the page moves on to the version (or shows a message). */
async function importFiles(page: Page, dataset: string, files: string[]) {
  await page.goto(`/datasets/import?dataset=${dataset}`);
  await expect(page.getByLabel('Dataset')).toHaveValue(dataset);
  await page.getByLabel('Choose files').setInputFiles(files);
  const chosen = page.getByRole('list', { name: 'Chosen files' });
  for (const file of files) await expect(chosen).toContainText(path.basename(file));
  await page.getByRole('button', { name: `Import ${files.length} file${files.length === 1 ? '' : 's'}` }).click();
}

/** The background worker processes the import; the version page refreshes itself when it is done. */
async function waitForReadyVersion(page: Page, dataset: string) {
  await expect(page).toHaveURL(new RegExp(`/datasets/${dataset}/versions/`), { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${dataset} v1`, { timeout: 90_000 });
}

function rowsTotal(summary: string): number {
  const match = /of ([\d,]+)/.exec(summary);
  if (!match) throw new Error(`no total in "${summary}"`);
  return Number(match[1]!.replaceAll(',', ''));
}

test('[DATASETS] an engineer uploads transaction files, watches the import and browses the rows', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('data-engineer');
  const password = await createUserAsAdmin(admin, email, 'Dana Engineer', 'ML engineer');
  const page = await pageAs(browser, email, password);
  const dataset = uniqueDataset('e2e-shop');

  await page.goto('/datasets');
  await page.getByRole('link', { name: 'Import data' }).first().click();
  await expect(page.getByRole('heading', { name: 'Import data', level: 1 })).toBeVisible();
  await page.getByLabel('Dataset').fill(dataset);
  await expect(page.getByText(`Creates a new dataset “${dataset}”.`)).toBeVisible();
  await page.getByLabel('Choose files').setInputFiles(WEEKS.map(fileFor));
  await expect(page.getByRole('list', { name: 'Chosen files' }).getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Import 2 files' }).click();

  // The import is watched live until the worker has validated and versioned it.
  await expect(page).toHaveURL(new RegExp(`/datasets/${dataset}/versions/`), { timeout: 30_000 });
  await expect(page.getByRole('progressbar', { name: 'Import progress' }).or(page.getByRole('heading', { name: `${dataset} v1` }))).toBeVisible();
  await waitForReadyVersion(page, dataset);
  await expect(page.getByRole('region', { name: 'Key counts' })).toContainText(String(ROWS_PER_FILE * WEEKS.length));
  await expect(page.getByRole('cell', { name: 'transactions_200609.csv' })).toBeVisible();

  const sections = page.getByRole('navigation', { name: 'Version sections' });
  await sections.getByRole('link', { name: /Quality/ }).click();
  await expect(page.getByRole('heading', { name: 'Data-quality report' })).toBeVisible();
  await expect(page.getByRole('main').getByText(/^Quality: (Passed|Warnings)$/).first()).toBeVisible();
  await expect(page.getByRole('list', { name: 'Checks' }).getByRole('heading', { name: 'Files are complete CSV with the transaction header' })).toBeVisible();

  await sections.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { name: 'Label distribution' })).toBeVisible();
  const labels = page.getByRole('table', { name: /Basket labels/ });
  await expect(labels.getByRole('row', { name: /LA Price sensitive 6 25\.0%/ })).toBeVisible();
  await expect(page.locator('.recharts-surface').first()).toBeVisible();

  await sections.getByRole('link', { name: 'Rows' }).click();
  const summary = page.getByTestId('rows-summary');
  await expect(summary).toContainText(`of ${ROWS_PER_FILE * WEEKS.length}`);
  const before = rowsTotal(await summary.innerText());
  await page.getByLabel('Label').selectOption('LA');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/label=LA/);
  await expect(summary).toContainText(`of ${LA_ROWS_PER_FILE * WEEKS.length}`);
  expect(rowsTotal(await summary.innerText())).toBeLessThan(before);
  const labelCells = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Label' }) }).locator('tbody tr td:nth-child(9)');
  for (const text of await labelCells.allInnerTexts()) expect(text).toMatch(/^LA/);
});

test('[DATASETS] a file with a wrong header is rejected with a message naming the file', async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const dataset = uniqueDataset('e2e-bad');

  await importFiles(page, dataset, [path.join(dir, 'transactions_200610.csv')]);
  // Rejected imports open on their quality report, with the reason on top.
  const rejected = page.getByText('This import was rejected');
  await expect(rejected).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole('main')).toContainText('transactions_200610.csv has an unexpected header');
  await expect(page.getByRole('list', { name: 'Checks' })).toContainText('transactions_200610.csv');

  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: dataset }).click();
  await expect(page.getByRole('heading', { name: 'No ready version yet' })).toBeVisible();
  await expect(page.getByText('Recent import attempts')).toBeVisible();
  await expect(page.getByRole('main')).toContainText('transactions_200610.csv has an unexpected header');
});

test('[DATASETS] importing the same files again is recognised, not duplicated', async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const dataset = uniqueDataset('e2e-twice');

  await importFiles(page, dataset, [fileFor(200607)]);
  await waitForReadyVersion(page, dataset);

  // Same bytes under another file name.
  await importFiles(page, dataset, [path.join(dir, 'renamed_copy.csv')]);
  await expect(page.getByText('Same content as version 1 — nothing new imported')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('link', { name: `Open ${dataset} v1` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${dataset} v1`);

  await page.goto(`/datasets/${dataset}`);
  const versions = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Content hash' }) });
  await expect(versions.locator('tbody tr')).toHaveCount(1);
  await expect(versions.getByRole('link', { name: 'v1' })).toBeVisible();
});

test('[DATASETS] a viewer sees datasets read-only', async ({ browser }) => {
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('viewer');
  const password = await createUserAsAdmin(admin, email, 'Vic Viewer', 'Viewer');
  // An import the admin has opened but not uploaded yet: the dataset exists, the attempt is in progress.
  const dataset = uniqueDataset('e2e-open');
  const opened = await admin.request.post('/api/v1/datasets/imports', { data: { dataset, files: [{ name: 'transactions_200607.csv', bytes: 1000 }] } });
  expect(opened.status()).toBe(201);
  const { versionId } = (await opened.json()) as { versionId: string };

  const viewer = await pageAs(browser, email, password);
  await viewer.goto('/datasets');
  await expect(viewer.getByRole('heading', { name: 'Datasets', level: 1 })).toBeVisible();
  await expect(viewer.getByRole('link', { name: 'Import data' })).toHaveCount(0);

  await viewer.getByRole('link', { name: dataset, exact: true }).click();
  await expect(viewer.getByRole('heading', { name: dataset, level: 1 })).toBeVisible();
  await expect(viewer.getByRole('link', { name: 'Import new version' })).toHaveCount(0);
  await viewer.getByRole('status').filter({ hasText: 'An import is in progress' }).getByRole('link').click();
  await expect(viewer.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await expect(viewer.getByText('Waiting for the files: 0 of 1 received')).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Cancel import' })).toHaveCount(0);

  await viewer.goto('/datasets/import');
  await expect(viewer.getByText('Your role cannot import data')).toBeVisible();
  await expect(viewer.getByLabel('Choose files')).toHaveCount(0);
  const refused = await viewer.request.post('/api/v1/datasets/imports', { data: { dataset: 'viewer-try', files: [{ name: 'a.csv', bytes: 10 }] } });
  expect(refused.status()).toBe(403);

  await admin.request.delete(`/api/v1/datasets/imports/${versionId}`);
  await expect.poll(async () => ((await (await admin.request.get(`/api/v1/datasets/versions/${versionId}`)).json()) as { status: string }).status).toBe('cancelled');
});
