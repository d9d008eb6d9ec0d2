import { test, expect, Page } from '@playwright/test';
import { clickThrough, expectNoAxeViolations, mainNav, signInHome } from './support';

// Documents to read and acknowledge: the People department add a document and publish
// its first edition; a member of staff reads it from the menu, is refused until they
// tick the box, acknowledges it, and sees it acknowledged in their list. Each run's
// document carries the run's own mark in its title and key, so a rerun on the same
// server finds its own.

async function publishDocument(page: Page, title: string, key: string, checkAxe: boolean): Promise<void> {
  await signInHome(page, 'people@demo.test');
  await clickThrough(page, page.getByRole('link', { name: 'Documents to read and acknowledge', exact: true }));
  await expect(page.getByRole('heading', { level: 1, name: 'Documents to read and acknowledge' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Key', { exact: true }).fill(key);
  await clickThrough(page, page.getByRole('button', { name: 'Add the document' }));
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  await clickThrough(page, page.getByRole('button', { name: 'Start a new edition' }));
  await expect(page.getByRole('heading', { level: 1, name: `${title}: draft edition 1` })).toBeVisible();
  await page.getByLabel('The text (Markdown)').fill(
    '## Part one\n\nEveryone who comes into contact with children has a role to play in safeguarding them.',
  );
  await page.getByLabel('What changed').fill('The first edition.');
  // "In force from" starts as today: left as it is.
  await clickThrough(page, page.getByRole('button', { name: 'Save draft and preview' }));
  await expect(page.getByRole('status').filter({ hasText: 'Draft saved.' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
  await clickThrough(page, page.getByRole('button', { name: 'Publish', exact: true }));
  await expect(page.getByRole('status').filter({ hasText: 'Edition 1 is published.' })).toBeVisible();
  await clickThrough(page, mainNav(page).getByRole('button', { name: 'Sign out' }));
}

async function readAndAcknowledge(page: Page, title: string, checkAxe: boolean): Promise<void> {
  await signInHome(page, 'staff@demo.test');
  await clickThrough(page, mainNav(page).getByRole('link', { name: 'Documents', exact: true }));
  await expect(page.getByRole('heading', { level: 1, name: 'Documents to read' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('To read');
  if (checkAxe) await expectNoAxeViolations(page);

  await clickThrough(page, row.getByRole('link', { name: title, exact: true }));
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('has a role to play in safeguarding them')).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  // Not ticked: refused with a clear message.
  await clickThrough(page, page.getByRole('button', { name: 'Acknowledge', exact: true }));
  await expect(
    page.getByRole('alert').filter({ hasText: 'Tick "I have read and understood this edition"' }),
  ).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  await page.getByLabel('I have read and understood this edition').check();
  await clickThrough(page, page.getByRole('button', { name: 'Acknowledge', exact: true }));
  await expect(page.getByRole('status').filter({ hasText: 'Your acknowledgement has been recorded.' })).toBeVisible();
  await expect(page.getByText('You acknowledged this edition on')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Acknowledge', exact: true })).toHaveCount(0);

  await clickThrough(page, page.getByRole('link', { name: 'Documents to read', exact: true }));
  await expect(page.getByRole('row').filter({ hasText: title })).toContainText('Acknowledged edition 1 on');
}

test('People publish a document and a member of staff acknowledges it', async ({ page }) => {
  const mark = Date.now();
  await publishDocument(page, `Keeping Children Safe ${mark}`, `kcsie-${mark}`, true);
  await readAndAcknowledge(page, `Keeping Children Safe ${mark}`, true);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('People publish a document and a member of staff acknowledges it', async ({ page }) => {
    const mark = Date.now();
    await publishDocument(page, `Online safety guide ${mark}`, `guide-${mark}`, false);
    await readAndAcknowledge(page, `Online safety guide ${mark}`, false);
  });
});
