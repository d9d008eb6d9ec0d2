import { test, expect } from '@playwright/test';
import { DEMO_ROLES, expectNoAxeViolations, mainNav, signInHome } from './support';

test.beforeEach(async ({ page }) => {
  await signInHome(page, 'admin@demo.test');
});

test('the admin sees every demo user', async ({ page }) => {
  await mainNav(page).getByRole('link', { name: 'Users', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  const table = page.getByRole('table');
  for (const { email } of DEMO_ROLES) {
    await expect(table.getByText(email, { exact: true })).toBeVisible();
  }
  await expectNoAxeViolations(page);
});

test('searching filters the users table', async ({ page }) => {
  await page.goto('/admin/users');
  await page.getByLabel('Search', { exact: true }).fill('tutor');
  await page.getByLabel('Search', { exact: true }).press('Enter');

  // A GET form: the query is in the URL, so results can be bookmarked.
  await expect(page).toHaveURL(/[?&]q=tutor(&|$)/);
  const table = page.getByRole('table');
  await expect(table.getByText('tutor@demo.test', { exact: true })).toBeVisible();
  await expect(table.getByText('learner@demo.test', { exact: true })).toHaveCount(0);
  await expect(table.getByText('admin@demo.test', { exact: true })).toHaveCount(0);
  await expectNoAxeViolations(page);
});
