import { test, expect, Page } from '@playwright/test';
import { expectNoAxeViolations, signInHome } from './support';

// The People department imports a small HR export: paste, check the columns and the
// preview, confirm, and see the result. Emails are unique per run, because every test
// shares one server and its database.
function exportFor(run: string): string {
  return [
    'Employee No,Full name,Work email,Job title,Department,Start date,Line manager,,',
    `E2E-${run}-1,"O'Neill, Siân",sian.${run}@example.org,"Head of Care, Level 3",Care,01/09/2025,,,`,
    `E2E-${run}-2,Zoë Smith-Jones,zoe.${run}@example.org,Assessor,Care,2026-01-31,E2E-${run}-1,,`,
    '',
  ].join('\r\n');
}

async function pasteAndPreview(page: Page, csv: string): Promise<void> {
  await page.goto('/staff/import');
  await expect(page.getByRole('heading', { level: 1, name: 'Import staff from your HR system' })).toBeVisible();
  // A file may be waiting from an earlier attempt: start again.
  const again = page.getByRole('button', { name: 'Start again with another file' });
  if (await again.count()) {
    await again.click();
    await expect(page.getByLabel('CSV export')).toBeVisible();
  }
  await page.getByLabel('CSV export').fill(csv);
  await page.getByRole('button', { name: 'Preview the import' }).click();
  await expect(page.getByRole('heading', { level: 2, name: '3. Check every row' })).toBeVisible();
}

async function importAndSeeTheResult(page: Page, checkAxe: boolean): Promise<void> {
  const run = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  await pasteAndPreview(page, exportFor(run));
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue('Work email');
  const table = page.getByRole('table');
  await expect(table.getByText('Zoë Smith-Jones')).toBeVisible();
  await expect(table.getByText("O'Neill, Siân")).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'No problems found.' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await expect(page.getByText('Import finished: 2 new, 0 updated, 0 invitations sent.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'Not in the file' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
}

test('People import a small CSV and see the result', async ({ page }) => {
  await signInHome(page, 'people@demo.test');
  await page.getByRole('link', { name: 'Import staff from your HR system' }).first().click();
  await expect(page).toHaveURL(/\/staff\/import$/);
  await importAndSeeTheResult(page, true);
});

test('a problem is shown by its line, linked to the row, and nothing is imported', async ({ page }) => {
  await signInHome(page, 'people@demo.test');
  const run = `${Date.now()}`;
  await pasteAndPreview(
    page,
    `Name,Email,Start date\r\nBad Date,bad.${run}@example.org,31/02/2026\r\n`,
  );
  const problems = page.getByRole('alert');
  await expect(problems.getByRole('link', { name: 'Line 2' })).toHaveAttribute('href', '#line-2');
  await expect(problems).toContainText('is not a date');
  await expect(page.getByRole('button', { name: /^Import / })).toHaveCount(0);
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Start again with another file' }).click();
  await expect(page.getByLabel('CSV export')).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('People import a small CSV', async ({ page }) => {
    await signInHome(page, 'people@demo.test');
    await importAndSeeTheResult(page, false);
  });
});
