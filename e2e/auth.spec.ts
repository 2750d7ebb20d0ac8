import { expect, test } from '@playwright/test';
import { createUserAsAdmin, E2E_ADMIN, pageAs, signIn, signOut, uniqueEmail } from './helpers';

test('[AUTH] a wrong password or unknown user gets one clear message and no session', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('login-error')).toHaveText('Wrong email or password.');
  await expect(page.getByLabel('Email')).toHaveValue(E2E_ADMIN.email);
  await page.getByLabel('Email').fill('nobody@e2e.test');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('login-error')).toHaveText('Wrong email or password.');
  await page.goto('/runs');
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
});

test('[AUTH] the admin signs in, lands where they were going, and signs out', async ({ page, browser }) => {
  await page.goto('/audit');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const cookiesBeforeSignOut = await page.context().cookies();
  await signOut(page);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);

  // Sign-out ends the session on the server: a copy of the old cookie no longer signs anyone in.
  const replay = await browser.newContext();
  await replay.addCookies(cookiesBeforeSignOut);
  const replayPage = await replay.newPage();
  await replayPage.goto('/audit');
  await expect(replayPage).toHaveURL(/\/login/);
  await replay.close();
});

test('[AUTH] a deactivated user is refused, and their open session ends at once', async ({ browser }) => {
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('leaver');
  const password = await createUserAsAdmin(admin, email, 'Leaver', 'ML engineer');
  const leaver = await pageAs(browser, email, password);

  await admin.goto('/settings/users');
  await admin.getByRole('button', { name: `Deactivate ${email}` }).click();
  await expect(admin.getByTestId(`user-row-${email}`)).toContainText('Deactivated');

  await leaver.goto('/datasets');
  await expect(leaver).toHaveURL(/\/login/);
  await leaver.getByLabel('Email').fill(email);
  await leaver.getByLabel('Password').fill(password);
  await leaver.getByRole('button', { name: 'Sign in' }).click();
  await expect(leaver.getByTestId('login-error')).toContainText('deactivated');
});

test('[AUTH] a user changes their password and must use the new one', async ({ browser, page }) => {
  const admin = await pageAs(browser, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = uniqueEmail('changer');
  const password = await createUserAsAdmin(admin, email, 'Changer', 'Viewer');
  await signIn(page, email, password);
  await page.goto('/settings/profile');
  await page.getByLabel('Current password').fill(password);
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('must be at least 12 characters')).toBeVisible();
  await page.getByLabel('Current password').fill(password);
  await page.getByLabel('New password').fill('my-own-new-password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL(/reason=password-changed/);
  await signIn(page, email, 'my-own-new-password');
});
