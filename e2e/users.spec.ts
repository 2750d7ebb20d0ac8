import { expect, test } from '@playwright/test';
import { createUserAsAdmin, E2E_ADMIN, pageAs, signIn, uniqueEmail } from './helpers';

test('[USERS] an admin invites an engineer by link; the invitee joins and signs in with that role', async ({ browser, page }) => {
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('invitee');
  await admin.goto('/settings/users');
  const invite = admin.getByRole('region', { name: 'Invite by link' });
  await invite.getByLabel('Email').fill(email);
  await invite.getByLabel('Role').selectOption({ label: 'ML engineer' });
  await invite.getByRole('button', { name: 'Create invite link' }).click();
  const link = (await admin.getByTestId('invite-link').locator('code').innerText()).trim();
  expect(link).toMatch(/\/invite\/psi_/);

  await page.goto(link);
  await expect(page.getByText('You were invited as ML engineer.')).toBeVisible();
  await page.getByLabel('Your name').fill('Ines Invitee');
  await page.getByLabel('Choose a password').fill('ines-chooses-a-password');
  await page.getByRole('button', { name: 'Join PriceSense' }).click();
  await expect(page.getByText('Your account is ready.')).toBeVisible();
  await signIn(page, email, 'ines-chooses-a-password');
  await page.goto('/settings/profile');
  await expect(page.getByText('ML engineer', { exact: true })).toBeVisible();

  // The link works once.
  await page.goto(link);
  await expect(page.getByText('This invite was already used. Sign in instead.')).toBeVisible();
});

test('[USERS] an admin changes a role; duplicate emails are refused with a clear message', async ({ browser }) => {
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('promoted');
  await createUserAsAdmin(admin, email, 'Promoted', 'Viewer');
  await admin.reload();
  await admin.getByLabel(`Role of ${email}`).selectOption({ label: 'Approver' });
  await expect(admin.getByLabel(`Role of ${email}`)).toHaveValue('approver');
  await admin.reload();
  await expect(admin.getByLabel(`Role of ${email}`)).toHaveValue('approver');

  const form = admin.getByRole('region', { name: /create an account/i });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Name').fill('Twin');
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(admin.getByText(`A user with email ${email} already exists`)).toBeVisible();
  await expect(form.getByLabel('Email')).toHaveValue(email);
});

test('[USERS] a viewer sees everything read-only: no forms to add people, keys or change roles', async ({ browser }) => {
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('viewer');
  const password = await createUserAsAdmin(admin, email, 'Vic Viewer', 'Viewer');
  const viewer = await pageAs(browser, email, password);
  await expect(viewer.getByText('Read-only')).toBeVisible();
  await viewer.goto('/settings/users');
  await expect(viewer.getByRole('heading', { name: /People/ })).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Create invite link' })).toHaveCount(0);
  await expect(viewer.getByRole('combobox')).toHaveCount(0);
  await viewer.goto('/settings/api-keys');
  await expect(viewer.getByText('Only admins and ML engineers own API keys.')).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Create API key' })).toHaveCount(0);
});
