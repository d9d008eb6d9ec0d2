import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, signInPastPolicies } from './support';

// After signing, a person finds their signed copy for the file, and anyone holding it can
// check it on the public page.
test('a signed copy is printable and can be checked by anyone', async ({ page }) => {
  test.setTimeout(90_000);
  await signInPastPolicies(page, 'people@demo.test', true);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policies' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My policies' })).toBeVisible();
  await expect(page.getByText('Signed. Version 1 is current.')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: /^Signed copy of version 1/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /signed copy/ })).toBeVisible();
  await expect(page.locator('.signature-details').getByText('Morgan People', { exact: true })).toHaveCount(2);
  const hash = (await page.locator('.signature-details code.hash').innerText()).trim();
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  await expectNoAxeViolations(page);
  const checkUrl = new URL(
    (await page.locator('.signature-details dd').last().innerText()).trim(),
  ).pathname;

  await page.context().clearCookies();
  await page.goto(checkUrl);
  await expect(page.getByText('the policy text still matches what was signed')).toBeVisible();
  await expect(page.getByText(hash)).toBeVisible();
  await expect(page.getByText('Morgan P.', { exact: true })).toBeVisible();
  await expectNoAxeViolations(page);
});
