import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, signIn } from './support';

test('the sign-in page has its fields and the password reset link', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Email', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Forgotten your password?' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a wrong password shows an alert and does not sign in', async ({ page }) => {
  await signIn(page, 'learner@demo.test', 'not-the-password');
  await expect(page.getByRole('alert').filter({ hasText: 'Email or password is wrong' })).toBeVisible();
  await expect(page).not.toHaveURL(/\/home$/);
  await expectNoAxeViolations(page);
});
