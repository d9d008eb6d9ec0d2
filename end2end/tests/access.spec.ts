import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, signInHome } from './support';

test('a learner is refused the users page with 403', async ({ page }) => {
  await signInHome(page, 'learner@demo.test');

  const response = await page.goto('/admin/users');
  expect(response?.status()).toBe(403);
  await expect(
    page.getByRole('heading', { level: 1, name: 'You do not have access to this page' }),
  ).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a signed-out visitor opening /home is sent to sign in', async ({ page }) => {
  await page.goto('/home');
  await expect(page).toHaveURL(/\/login(\?.*)?$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expectNoAxeViolations(page);
});
