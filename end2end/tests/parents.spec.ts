import { test, expect, type Browser } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { clickThrough, expectNoAxeViolations, signInHome, DEMO_PASSWORD } from './support';

// Emails go to .eml files in the test server's data folder (no SMTP server configured).
const mailDir = path.resolve(__dirname, '..', '..', 'target', 'e2e-data', 'mail');

/** The first link to `pathPrefix` in the newest email to `to`, waiting for the outbox. */
async function linkInEmailTo(to: string, pathPrefix: string): Promise<string> {
  const pattern = new RegExp(`${pathPrefix.replace(/[?]/g, '\\?')}[A-Za-z0-9=?&_-]+`);
  for (let i = 0; i < 60; i++) {
    const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir) : [];
    const texts = files
      .map((f) => path.join(mailDir, f))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)
      .map((f) => fs.readFileSync(f, 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '='))
      .filter((t) => t.toLowerCase().includes(`to: ${to}`.toLowerCase()));
    const found = texts.map((t) => t.match(pattern)?.[0]).find(Boolean);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no email to ${to} with a ${pathPrefix} link`);
}

async function newPage(browser: Browser, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ javaScriptEnabled });
  return context.newPage();
}

test('a new learner signs the policy with JavaScript off', async ({ page, browser }) => {
  // An administrator invites a learner nobody else uses, so the gate always asks.
  const email = `new-learner-${Date.now()}@demo.test`;
  await signInHome(page, 'admin@demo.test');
  await page.goto('/admin/users');
  await page.getByLabel('Full name').fill('Robin Newcomer');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Role').selectOption('learner');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByText('Invitation sent.')).toBeVisible();
  const link = await linkInEmailTo(email, '/set-password?token=');

  const learner = await newPage(browser, false);
  await learner.goto(link);
  await learner.getByLabel('New password', { exact: true }).fill(DEMO_PASSWORD);
  await learner.getByLabel('Type the new password again').fill(DEMO_PASSWORD);
  await learner.getByRole('button', { name: 'Save password and sign in' }).click();
  await expect(learner).toHaveURL(/\/policies\/sign\/learner$/);
  await expect(learner.getByRole('heading', { level: 1, name: /Acceptable Use Policy/ })).toBeVisible();

  // A wrong name is refused with a message; then the right one signs.
  await learner.getByLabel('I have read and agree to this policy').check();
  await learner.getByLabel('Type your full name to sign').fill('Someone Else');
  await learner.getByRole('button', { name: 'Sign the policy' }).click();
  await expect(learner.getByRole('alert')).toContainText('does not match the name on your account');
  await learner.getByLabel('I have read and agree to this policy').check();
  await learner.getByLabel('Type your full name to sign').fill('robin newcomer');
  await learner.getByRole('button', { name: 'Sign the policy' }).click();
  await expect(learner).toHaveURL(/\/policies\?signed=1$/);
  await expect(learner.getByText('Thank you. Your signature has been recorded.')).toBeVisible();
  await learner.goto('/home');
  await expect(learner.getByRole('heading', { level: 1, name: 'Your home' })).toBeVisible();
});

test('a parent acknowledges the learner policy through an emailed link', async ({ page, browser }) => {
  // The demo learner is 17. Their tutor asks a parent by email.
  await signInHome(page, 'tutor@demo.test');
  await page.goto('/policies/report?kind=learner');
  await expectNoAxeViolations(page);
  await clickThrough(page, page.getByRole('link', { name: /for Alex Learner/ }));
  await expect(page.getByRole('heading', { level: 1, name: 'Parent or carer: Alex Learner' })).toBeVisible();
  await expectNoAxeViolations(page);
  const parentEmail = `parent-${Date.now()}@example.org`;
  await page.getByLabel("Parent's or carer's email").fill(parentEmail);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByText('The email is on its way.')).toBeVisible();
  const link = await linkInEmailTo(parentEmail, '/parent/');

  // The parent reads it on a phone, with JavaScript on (axe) ...
  const parent = await newPage(browser, true);
  await parent.setViewportSize({ width: 360, height: 740 });
  await parent.goto(link);
  await expect(parent.getByText('Alex is a learner at Demo Training Provider.', { exact: false })).toBeVisible();
  await expectNoAxeViolations(parent);
  // ... and confirms with JavaScript off (plain form).
  const plain = await newPage(browser, false);
  await plain.goto(link);
  await plain.getByLabel('Your full name').fill('Jo Parent');
  await plain.getByLabel('Your relationship to Alex').fill('Mother');
  await plain.getByRole('button', { name: 'Confirm' }).click();
  await expect(plain.getByRole('alert')).toContainText('Tick');
  await plain.getByLabel('Your full name').fill('Jo Parent');
  await plain.getByLabel('Your relationship to Alex').fill('Mother');
  await plain.getByLabel('I have read this policy').check();
  await plain.getByRole('button', { name: 'Confirm' }).click();
  await expect(plain.getByRole('heading', { level: 1, name: 'Thank you' })).toBeVisible();

  // The link works once.
  await plain.goto(link);
  await expect(plain.getByText('This link has already been used')).toBeVisible();

  // The tutor sees it.
  await page.reload();
  await expect(page.getByText(/Acknowledged on .* by Jo Parent \(Mother\), by email/).first()).toBeVisible();
});
