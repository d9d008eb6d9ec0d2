import { test, expect, Page } from '@playwright/test';
import { clickThrough, expectNoAxeViolations, signInHome } from './support';

// Staff training status views: a member of staff opens My training, a line manager opens
// My team and a person's training, and the People department filter the dashboard and
// download its CSV. Other specs in the same run may change Jordan's start date or pass
// the staff module, so statuses are checked as words of any kind, not one in particular.
// Written without being run (the lead runs the browser tests).

const STATUS_WORDS = /Compliant|Due soon: due|Overdue by \d+ days?|Not yet due: due|Not required/;

async function priyaManagesJordan(page: Page): Promise<void> {
  await signInHome(page, 'people@demo.test');
  await page.goto('/staff');
  await clickThrough(page, page.getByRole('table').getByRole('link', { name: 'Jordan Staff', exact: true }));
  await page.getByLabel('Line manager', { exact: true }).selectOption({ label: 'Priya Manager (manager@demo.test)' });
  await clickThrough(page, page.getByRole('button', { name: 'Save staff record' }));
  await expect(page.getByRole('status').filter({ hasText: 'Staff record saved.' })).toBeVisible();
  await page.context().clearCookies();
}

async function myTraining(page: Page, checkAxe: boolean): Promise<void> {
  await signInHome(page, 'staff@demo.test');
  await clickThrough(page, page.getByRole('main').getByRole('link', { name: 'My training', exact: true }));
  await expect(page).toHaveURL(/\/training$/);
  await expect(page.getByRole('heading', { level: 1, name: 'My training' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'Staff online safety training' });
  await expect(row).toContainText(STATUS_WORDS);
  await expect(page.getByRole('link', { name: 'Full history' })).toHaveAttribute('href', /^\/training\/people\/.+\/history$/);
  if (checkAxe) await expectNoAxeViolations(page);
}

async function myTeam(page: Page, checkAxe: boolean): Promise<void> {
  await priyaManagesJordan(page);
  await signInHome(page, 'manager@demo.test');
  await clickThrough(page, page.getByRole('main').getByRole('link', { name: 'My team', exact: true }));
  await expect(page.getByRole('heading', { level: 1, name: 'My team' })).toBeVisible();
  await expect(page.getByText(/^Overdue: \d+$/)).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
  await clickThrough(page, page.getByRole('table').getByRole('link', { name: 'Jordan Staff', exact: true }));
  await expect(page.getByRole('heading', { level: 1, name: 'Training: Jordan Staff' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Prevent awareness' })).toContainText(STATUS_WORDS);
  if (checkAxe) await expectNoAxeViolations(page);
}

async function dashboard(page: Page, checkAxe: boolean): Promise<void> {
  await signInHome(page, 'people@demo.test');
  await clickThrough(page, page.getByRole('main').getByRole('link', { name: 'Training dashboard', exact: true }).first());
  await expect(page.getByRole('heading', { level: 1, name: 'Training dashboard' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
  await page.getByLabel('Sort by', { exact: true }).selectOption({ label: 'Most overdue' });
  await page.getByLabel('Name or email', { exact: true }).fill('jordan');
  await clickThrough(page, page.getByRole('button', { name: 'Show', exact: true }));
  await expect(page).toHaveURL(/q=jordan/);
  await expect(page.getByRole('status').filter({ hasText: /^1 person$/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Staff and their training' }).getByRole('link', { name: 'Jordan Staff' })).toBeVisible();
  await expect(page.getByLabel('Sort by', { exact: true })).toHaveValue('overdue');
  if (checkAxe) await expectNoAxeViolations(page);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download as CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/^training-\d{4}-\d{2}-\d{2}\.csv$/);
}

test('a member of staff sees their training in words, with what to do next', async ({ page }) => {
  await myTraining(page, true);
});

test('a line manager sees their team and opens a person', async ({ page }) => {
  await myTeam(page, true);
});

test('the People department filter the dashboard and download the CSV', async ({ page }) => {
  await dashboard(page, true);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a member of staff sees their training', async ({ page }) => {
    await myTraining(page, false);
  });

  test('a line manager sees their team', async ({ page }) => {
    await myTeam(page, false);
  });

  test('the People department filter the dashboard', async ({ page }) => {
    await dashboard(page, false);
  });
});
