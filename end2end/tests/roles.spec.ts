import { test, expect } from '@playwright/test';
import { DEMO_ROLES, expectNoAxeViolations, mainNav, signInPastPolicies } from './support';

// Every demo account signs in through the real form and lands on a home
// page that shows the section for its one role, and no other role's.
for (const { role, email, heading } of DEMO_ROLES) {
  test(`${role} signs in and sees their home`, async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expectNoAxeViolations(page);

    await signInPastPolicies(page, email, true);
    await expect(page).toHaveURL(/\/home$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Your home' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: heading, exact: true })).toBeVisible();
    for (const other of DEMO_ROLES) {
      if (other.heading !== heading) {
        await expect(page.getByRole('heading', { level: 2, name: other.heading, exact: true })).toHaveCount(0);
      }
    }

    const nav = mainNav(page);
    await expect(nav.getByRole('link', { name: 'Home', exact: true })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Account', exact: true })).toBeVisible();
    // Only administrators get the Users link.
    await expect(nav.getByRole('link', { name: 'Users', exact: true })).toHaveCount(role === 'admin' ? 1 : 0);
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();

    await expectNoAxeViolations(page);
  });
}

test('sign out ends the session', async ({ page }) => {
  await signInPastPolicies(page, 'staff@demo.test');
  await expect(page).toHaveURL(/\/home$/);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login(\?.*)?$/);
  await expect(page.getByText('You have signed out')).toBeVisible();
  await expectNoAxeViolations(page);

  // The old session no longer opens /home.
  await page.goto('/home');
  await expect(page).toHaveURL(/\/login(\?.*)?$/);
});
