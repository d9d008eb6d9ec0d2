import { test, expect } from '@playwright/test';
import { signIn, signInPastPolicies } from './support';

// Sign-in and sign-out are plain HTML forms: they must work with JavaScript
// off (old devices, locked-down browsers, islands that failed to load).
// axe needs JavaScript in the page, so these pages are checked for
// accessibility by the JavaScript-enabled tests instead.
test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('sign in and sign out work', async ({ page }) => {
    // The policy gate, if it asks, is plain forms too.
    await signInPastPolicies(page, 'manager@demo.test');
    await expect(page).toHaveURL(/\/home$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Your home' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Line manager', exact: true })).toBeVisible();

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page).toHaveURL(/\/login(\?.*)?$/);
    await expect(page.getByText('You have signed out')).toBeVisible();

    await page.goto('/home');
    await expect(page).toHaveURL(/\/login(\?.*)?$/);
  });

  test('a wrong password shows the alert', async ({ page }) => {
    await signIn(page, 'learner@demo.test', 'not-the-password');
    await expect(page.getByRole('alert').filter({ hasText: 'Email or password is wrong' })).toBeVisible();
  });
});
