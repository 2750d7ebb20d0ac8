import { expect, test } from '@playwright/test';
import { createUserAsAdmin, E2E_ADMIN, pageAs, signIn, uniqueEmail } from './helpers';

test('[KEYS] an engineer creates a key, sees the secret once, calls the API with it, then revokes it', async ({ browser, request }) => {
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('engineer');
  const password = await createUserAsAdmin(admin, email, 'Eng', 'ML engineer');
  const page = await pageAs(browser, email, password);

  await page.goto('/settings/api-keys');
  await page.getByLabel('Name').fill('ci-pipeline');
  await page.getByRole('checkbox', { name: /write/ }).check();
  await page.getByRole('button', { name: 'Create API key' }).click();
  const secret = (await page.getByTestId('new-key-secret').locator('code').innerText()).trim();
  expect(secret).toMatch(/^psk_/);

  const ok = await request.get('/api/v1/whoami', { headers: { Authorization: `Bearer ${secret}` } });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ kind: 'api_key', user: { email, role: 'ml_engineer' }, key: { name: 'ci-pipeline', scopes: ['read', 'write'] } });

  // Shown once: after a reload only the prefix remains.
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByText(`${secret.slice(0, 12)}…`)).toBeVisible();

  await page.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByText('Revoked', { exact: true })).toBeVisible();
  const refused = await request.get('/api/v1/whoami', { headers: { Authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.message).toMatch(/revoked/);
});

test('[KEYS] the API answers 401 without a key or with a bad one, with a message that says why', async ({ request }) => {
  const none = await request.get('/api/v1/whoami');
  expect(none.status()).toBe(401);
  expect((await none.json()).error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/Missing API key/) });
  const bad = await request.get('/api/v1/whoami', { headers: { Authorization: 'Bearer psk_0000000000000000000000000000000000000000000' } });
  expect(bad.status()).toBe(401);
  expect((await bad.json()).error.message).toBe('Unknown API key.');
});

test('[KEYS] the REST API refuses malformed JSON, unknown fields and keys minting keys, and changes nothing', async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const api = page.request; // carries the admin's session cookie
  const count = async () => ((await (await api.get('/api/v1/keys?include=revoked')).json()).keys as unknown[]).length;
  const before = await count();

  const malformed = await api.post('/api/v1/keys', { data: Buffer.from('{"name": "x",'), headers: { 'content-type': 'application/json' } });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error).toMatchObject({ code: 'BAD_JSON', message: expect.stringMatching(/^Malformed JSON body/) });

  const unknown = await api.post('/api/v1/keys', { data: { name: 'x', scopes: ['read'], role: 'admin' } });
  expect(unknown.status()).toBe(400);
  expect((await unknown.json()).error.fields).toContainEqual({ field: 'role', message: 'unknown field: role' });

  const created = await api.post('/api/v1/keys', { data: { name: 'made-by-api', scopes: ['read', 'write'] } });
  expect(created.status()).toBe(201);
  const { id, secret } = await created.json();

  const minted = await api.post('/api/v1/keys', { data: { name: 'minted', scopes: ['read'] }, headers: { Authorization: `Bearer ${secret}` } });
  expect(minted.status()).toBe(403);
  expect((await minted.json()).error.message).toMatch(/may not create API keys/);
  expect(await count()).toBe(before + 1);

  const revoked = await api.delete(`/api/v1/keys/${id}`);
  expect(revoked.status()).toBe(200);
  const again = await api.delete(`/api/v1/keys/${id}`);
  expect(again.status()).toBe(409);
});
