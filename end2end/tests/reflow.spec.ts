import { test, expect } from '@playwright/test';
import { horizontalOverflow, signInHome } from './support';

// WCAG 2.2 SC 1.4.10 Reflow: at 320 CSS px wide no page scrolls sideways; a wide table
// scrolls inside its own region instead. Every kind of page an administrator sees,
// including the signed copy (a long hash) and the signing report (a wide table).
test.describe('at 320 px wide', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test('no page scrolls sideways', async ({ page }) => {
    await signInHome(page, 'admin@demo.test');
    await page.goto('/policies');
    const copy = page.getByRole('link', { name: /signed copy/i }).first();
    await expect(copy).toBeVisible();
    const signedCopy = await copy.getAttribute('href');
    const paths = [
      '/home',
      '/policies',
      signedCopy ?? '/policies',
      '/policies/report?kind=learner',
      '/policies/report?kind=staff',
      '/admin/users',
      '/admin/modules',
      '/admin/modules/new',
      '/admin/policies',
      '/admin/safe-internet',
      '/induction',
      '/induction/staff-online-safety',
      '/account',
      '/safe-internet',
      '/verify',
    ];
    const wide: string[] = [];
    for (const path of paths) {
      await page.goto(path);
      await expect(page.locator('h1').first()).toBeVisible();
      const { scrollWidth, clientWidth } = await horizontalOverflow(page);
      if (scrollWidth > clientWidth) wide.push(`${path}: ${scrollWidth} > ${clientWidth}`);
    }
    expect(wide, 'pages wider than the screen').toEqual([]);
  });

  test('a wide table scrolls in its own region, reachable by keyboard', async ({ page }) => {
    await signInHome(page, 'admin@demo.test');
    await page.goto('/policies/report?kind=learner');
    const region = page.locator('.table-wrap').first();
    await expect(region).toBeVisible();
    await expect(region).toHaveAttribute('tabindex', '0');
    await expect(region).toHaveAttribute('role', 'region');
  });
});
