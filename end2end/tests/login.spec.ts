import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { clickThrough, expectNoAxeViolations, signIn } from './support';

test('the sign-in page has its fields and the password reset link', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Email', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Forgotten your password?' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a wrong password shows an alert and does not sign in', async ({ page }) => {
  await signIn(page, 'learner@demo.test', 'not-the-password');
  await expect(page.getByRole('alert').filter({ hasText: 'Email or password is wrong' })).toBeVisible();
  await expect(page).not.toHaveURL(/\/home$/);
  await expectNoAxeViolations(page);
});

test('an address with accounts in two organisations chooses which one to sign in to', async ({ page }) => {
  // The same address made an administrator in a second organisation and in the demo
  // one, with one password, through the command line an installer uses.
  const repoRoot = path.resolve(__dirname, '..', '..');
  const env = { ...process.env, ESAFETY_DATA_DIR: path.join(repoRoot, 'target', 'e2e-data') };
  for (const org of ['second-provider', 'demo']) {
    execFileSync(
      path.join(repoRoot, 'target', 'release', 'esafety'),
      ['create-admin', '--org', org, '--email', 'twice@example.test', '--name', 'Tam Twice'],
      { input: 'one password for both\n', env, cwd: repoRoot, stdio: ['pipe', 'ignore', 'pipe'] },
    );
  }
  await signIn(page, 'twice@example.test', 'one password for both');
  await expect(page).toHaveURL(/\/login\/organisation$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Which organisation?' })).toBeVisible();
  await expect(page.getByRole('button')).toHaveCount(2);
  await expectNoAxeViolations(page);

  await clickThrough(page, page.getByRole('button', { name: 'second-provider' }));
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto('/account');
  await expect(page.getByText('second-provider', { exact: true })).toBeVisible();
});
