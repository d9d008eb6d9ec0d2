import { test, expect, Page } from '@playwright/test';
import { clickThrough, expectNoAxeViolations, mainNav, signInHome } from './support';

// The People department keeps staff records: they open Staff from the menu, edit a
// record (a refusal keeps what they typed), and see it in the list. Each run starts from
// a fresh database, and the job title carries the run's own mark, so a rerun of this
// test on the same server still finds its own row.

async function editJordan(page: Page, jobTitle: string, checkAxe: boolean): Promise<void> {
  await clickThrough(page, mainNav(page).getByRole('link', { name: 'Staff', exact: true }));
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Staff' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Exceptions' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  await clickThrough(page, page.getByRole('table').getByRole('link', { name: 'Jordan Staff', exact: true }));
  await expect(page.getByRole('heading', { level: 1, name: 'Jordan Staff' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  // A date that does not exist is refused, and what was typed stays.
  await page.getByLabel('Job title', { exact: true }).fill(jobTitle);
  await page.getByLabel('Department', { exact: true }).fill('Apprenticeships');
  await page.getByLabel('Start date', { exact: true }).fill('31/02/2024');
  await page.getByLabel('Line manager', { exact: true }).selectOption({ label: 'Priya Manager (manager@demo.test)' });
  await clickThrough(page, page.getByRole('button', { name: 'Save staff record' }));
  await expect(page.getByRole('alert').filter({ hasText: 'Enter the start date as a real date' })).toBeVisible();
  await expect(page.getByLabel('Job title', { exact: true })).toHaveValue(jobTitle);
  await expect(page.getByLabel('Start date', { exact: true })).toHaveValue('31/02/2024');
  if (checkAxe) await expectNoAxeViolations(page);

  // Corrected (a UK date), it is saved.
  await page.getByLabel('Start date', { exact: true }).fill('02/09/2024');
  await clickThrough(page, page.getByRole('button', { name: 'Save staff record' }));
  await expect(page.getByRole('status').filter({ hasText: 'Staff record saved.' })).toBeVisible();
  await expect(page.getByLabel('Start date', { exact: true })).toHaveValue('02/09/2024');

  // Listed with the job title, department, manager and start date.
  await clickThrough(page, page.getByRole('link', { name: 'All staff', exact: true }));
  const row = page.getByRole('row').filter({ hasText: 'Jordan Staff' });
  await expect(row).toContainText(jobTitle);
  await expect(row).toContainText('Apprenticeships');
  await expect(row).toContainText('Priya Manager');
  await expect(row).toContainText('2 September 2024');
  if (checkAxe) await expectNoAxeViolations(page);
}

test('the People department edit a staff record and see it listed', async ({ page }) => {
  await signInHome(page, 'people@demo.test');
  await editJordan(page, `Assessor ${Date.now()}`, true);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the People department edit a staff record and see it listed', async ({ page }) => {
    await signInHome(page, 'people@demo.test');
    await editJordan(page, `Lead assessor ${Date.now()}`, false);
  });
});
