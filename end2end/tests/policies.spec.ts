import { test, expect } from '@playwright/test';
import { clickThrough, expectNoAxeViolations, signIn, signInPastPolicies } from './support';

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

test('the DSL publishes a new version, and staff are asked again with the changes shown', async ({ page }) => {
  test.setTimeout(120_000);
  // A member of staff has signed the current version.
  await signInPastPolicies(page, 'staff@demo.test');
  await page.context().clearCookies();

  await signInPastPolicies(page, 'dsl@demo.test', true);
  await page.goto('/admin/policies');
  await expect(page.getByRole('heading', { level: 1, name: 'Acceptable Use Policies' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: /(Start a new version|Open the draft) of the Staff Acceptable Use Policy/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Staff Acceptable Use Policy: draft version \d+/ })).toBeVisible();
  await expectNoAxeViolations(page);
  const body = page.getByLabel('The policy text (Markdown)');
  const text = await body.inputValue();
  await body.fill(`${text}\n\nA new paragraph added for this test run.`);
  await page.getByLabel('What changed').fill('A paragraph about testing was added.');
  await page.getByRole('button', { name: 'Save draft and preview' }).click();
  await expect(page.getByText('Draft saved.')).toBeVisible();
  await expect(page.locator('.preview')).toContainText('A new paragraph added for this test run.');
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByText(/Version \d+ is published/)).toBeVisible();

  // The report for the People department and the DSL. The DSL must sign the new version
  // too before using anything but the policies themselves: the gate takes them there.
  await page.goto('/policies/report?kind=staff');
  await expect(page).toHaveURL(/\/policies\/sign\/staff$/);
  await page.getByLabel('I have read and agree to this policy').check();
  await page.getByLabel('Type your full name to sign').fill('Chris Safeguarding');
  await clickThrough(page, page.getByRole('button', { name: 'Sign the policy' }));
  await page.goto('/policies/report?kind=staff');
  await expect(page.getByRole('heading', { level: 1, name: 'Who has signed the staff policy' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.context().clearCookies();

  // The member of staff is asked again, and sees what changed beside what they signed.
  await signIn(page, 'staff@demo.test');
  await expect(page).toHaveURL(/\/policies\/sign\/staff$/);
  await expect(page.getByRole('heading', { level: 2, name: 'What changed' })).toBeVisible();
  await expect(page.getByText('A paragraph about testing was added.')).toBeVisible();
  await expect(page.getByRole('table', { name: /which you signed, beside version/ })).toContainText(
    'Now: A new paragraph added for this test run.',
  );
  await expectNoAxeViolations(page);
  await page.getByLabel('I have read and agree to this policy').check();
  await page.getByLabel('Type your full name to sign').fill('Jordan Staff');
  await page.getByRole('button', { name: 'Sign the policy' }).click();
  await expect(page.getByText('Thank you. Your signature has been recorded.')).toBeVisible();
});
