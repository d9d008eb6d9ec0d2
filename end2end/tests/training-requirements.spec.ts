import { test, expect, Page } from '@playwright/test';
import { clickThrough, expectNoAxeViolations, signInHome } from './support';

// The People department add a training requirement: a refusal names the field and keeps
// what they typed, the preview says what it would do today, saving lists it in plain
// words, and it can be retired and brought back. The name carries the run's own mark, so
// a rerun on the same server finds its own requirement.

async function addRequirement(page: Page, name: string, checkAxe: boolean): Promise<void> {
  await clickThrough(page, page.getByRole('link', { name: 'Training requirements', exact: true }));
  await expect(page).toHaveURL(/\/training\/requirements$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Training requirements' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  await clickThrough(page, page.getByRole('link', { name: 'Add a requirement', exact: true }));
  await expect(page.getByRole('heading', { level: 1, name: 'Add a training requirement' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  // Chosen roles with none ticked: refused, with the field named, and the name kept.
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Attending a briefing', { exact: true }).check();
  await page.getByLabel('Staff with any of these roles', { exact: true }).check();
  await clickThrough(page, page.getByRole('button', { name: 'Check and preview' }));
  await expect(page.getByRole('alert').filter({ hasText: 'Applies to: tick at least one role' })).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);

  // With a role ticked: the preview, then save.
  await page.getByLabel('Designated Safeguarding Lead', { exact: true }).check();
  await clickThrough(page, page.getByRole('button', { name: 'Check and preview' }));
  await expect(page.getByRole('heading', { level: 1, name: `Check before saving: ${name}` })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'If you save this today:' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
  await clickThrough(page, page.getByRole('button', { name: 'Save this requirement' }));
  await expect(page.getByRole('status').filter({ hasText: 'Requirement saved.' })).toBeVisible();
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name }) });
  await expect(item).toContainText('Attending a briefing. Staff with the role Designated Safeguarding Lead.');
  await expect(item).toContainText('Today:');

  // Retired, it moves to the retired list; brought back, it is in force again.
  await clickThrough(page, item.getByRole('button', { name: `Retire ${name}` }));
  await expect(page.getByRole('status').filter({ hasText: 'Requirement retired.' })).toBeVisible();
  await clickThrough(page, page.getByRole('button', { name: `Bring back ${name}` }));
  await expect(page.getByRole('status').filter({ hasText: 'Requirement brought back into force.' })).toBeVisible();
  await expect(page.getByRole('button', { name: `Retire ${name}` })).toBeVisible();
}

test('the People department add a training requirement after seeing its preview', async ({ page }) => {
  await signInHome(page, 'people@demo.test');
  await addRequirement(page, `DSL briefing ${Date.now()}`, true);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the People department add a training requirement after seeing its preview', async ({ page }) => {
    await signInHome(page, 'people@demo.test');
    await addRequirement(page, `DSL update briefing ${Date.now()}`, false);
  });
});
