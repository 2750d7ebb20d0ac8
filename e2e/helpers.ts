import { expect, type Browser, type Page } from '@playwright/test';
import { E2E_ADMIN } from '../playwright.config';

export { E2E_ADMIN };

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
}

/** A fresh browser context signed in as the given user (separate cookies from other tests). */
export async function pageAs(browser: Browser, email: string, password: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password);
  return page;
}

let n = 0;
export const uniqueEmail = (prefix: string) => `${prefix}-${Date.now()}-${++n}@e2e.test`;

/** Admin creates a user in Settings → Users and returns the generated password. */
export async function createUserAsAdmin(admin: Page, email: string, name: string, role: string) {
  await admin.goto('/settings/users');
  const form = admin.getByRole('region', { name: /create an account/i });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Role').selectOption({ label: role });
  await form.getByRole('button', { name: 'Create user' }).click();
  const password = (await admin.getByTestId('created-password').locator('code').first().innerText()).trim();
  expect(password).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);
  return password;
}
