import { test, expect, Page } from '@playwright/test';
import { clickThrough, expectNoAxeViolations, signInHome } from './support';

// The People department record a briefing the demo member of staff attended, then make
// the inspection evidence pack: a day that cannot be shown gets its message and keeps
// what was typed; today's pack shows the counts, and its CSV downloads.

async function recordBriefing(page: Page, title: string, checkAxe: boolean): Promise<void> {
  await page.goto('/training/briefings/new');
  await expect(page.getByRole('heading', { level: 1, name: 'Record a briefing' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
  const today = new Date();
  const day = `${String(today.getDate()).padStart(2, '0')}/${String(today.getMonth() + 1).padStart(2, '0')}/${today.getFullYear()}`;
  await page.getByLabel('Date of the briefing', { exact: true }).fill(day);
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Who led it', { exact: true }).fill('Chris Safeguarding');
  await page.getByLabel('Jordan Staff (staff@demo.test)', { exact: true }).check();
  await clickThrough(page, page.getByRole('button', { name: 'Record the briefing' }));
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'staff@demo.test' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
}

async function evidencePack(page: Page, checkAxe: boolean): Promise<void> {
  await page.goto('/home');
  await clickThrough(page, page.getByRole('link', { name: 'Inspection evidence pack', exact: true }));
  await expect(page.getByRole('heading', { level: 1, name: 'Inspection evidence pack' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /staff training at the end of/ })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  await page.getByLabel('Day', { exact: true }).fill('31/02/2026');
  await clickThrough(page, page.getByRole('button', { name: 'Show the pack' }));
  await expect(page.getByRole('alert').filter({ hasText: 'Give the day as' })).toBeVisible();
  await expect(page.getByLabel('Day', { exact: true })).toHaveValue('31/02/2026');
  if (checkAxe) await expectNoAxeViolations(page);

  await page.getByLabel('Day', { exact: true }).fill('');
  await clickThrough(page, page.getByRole('button', { name: 'Show the pack' }));
  const byRequirement = page.getByRole('table').nth(1);
  await expect(byRequirement.getByRole('rowheader', { name: /Annual safeguarding and online safety update/ })).toBeVisible();
  const csv = await page.request.get(
    await page.getByRole('link', { name: 'Download the CSV for this day' }).getAttribute('href') ?? '',
  );
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text.split('\n')[0]).toContain('As at,Name,Email,Department');
  expect(text).toMatch(/Jordan Staff,staff@demo\.test,.*Annual safeguarding and online safety update,[^,]*,Compliant,/);
}

test('the People department record a briefing and make the evidence pack', async ({ page }) => {
  await signInHome(page, 'people@demo.test');
  await recordBriefing(page, `Team meeting ${Date.now()}`, true);
  await evidencePack(page, true);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the People department record a briefing and make the evidence pack', async ({ page }) => {
    await signInHome(page, 'people@demo.test');
    await recordBriefing(page, `E-bulletin ${Date.now()}`, false);
    await evidencePack(page, false);
  });
});
