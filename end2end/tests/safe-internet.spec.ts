import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, horizontalOverflow, signInHome } from './support';

// The public Safe Internet page: parents read it on a phone, with no account.

async function checkPage(page: Page) {
  await page.goto('/safe-internet');
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  const contents = page.getByRole('navigation', { name: 'Contents' });
  await expect(contents).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /Contacts at Demo Training Provider/ })).toBeVisible();
  // The contents list jumps to its section.
  const firstLink = contents.getByRole('link').first();
  const target = await firstLink.getAttribute('href');
  expect(target).toMatch(/^#/);
  await firstLink.click();
  await expect(page).toHaveURL(new RegExp(`${target}$`));
  await expect(page.locator(target!)).toBeInViewport();
  const { scrollWidth } = await horizontalOverflow(page);
  expect(scrollWidth, 'no sideways scrolling at 360 px').toBeLessThanOrEqual(360);
  const cookies = await page.context().cookies();
  expect(cookies, 'no cookies for parents').toHaveLength(0);
}

test.describe('on a phone with JavaScript', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('parents read the Safe Internet page', async ({ page }) => {
    await checkPage(page);
    await expectNoAxeViolations(page);
  });

  test('the sign-in page links to it', async ({ page }) => {
    await page.goto('/login');
    await page.getByRole('link', { name: 'Safe Internet advice' }).click();
    await expect(page).toHaveURL(/\/safe-internet$/);
  });
});

test.describe('on a phone without JavaScript', () => {
  test.use({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });

  test('parents read the Safe Internet page', async ({ page }) => {
    await checkPage(page);
  });
});

test('the DSL sets the contacts parents see', async ({ page }) => {
  await signInHome(page, 'dsl@demo.test');
  await page.getByRole('link', { name: 'Safe Internet page contacts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Safe Internet page contacts' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("Designated Safeguarding Lead's name").fill('Dana Example');
  await page.getByLabel('Phone').fill('0161 496 0000');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toContainText('Saved');
  await page.goto('/o/demo/safe-internet');
  await expect(page.getByText('Dana Example')).toBeVisible();
  await expect(page.getByRole('link', { name: '0161 496 0000' })).toHaveAttribute('href', 'tel:01614960000');
});
