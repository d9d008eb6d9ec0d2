import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, horizontalOverflow, signInHome } from './support';

// WCAG 1.4.10 Reflow: at 320 CSS px nothing should need sideways scrolling;
// we check a common small phone, 360 x 740.
test.describe('on a small phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('the sign-in page fits without horizontal scrolling', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    const { scrollWidth } = await horizontalOverflow(page);
    expect(scrollWidth, 'document scrollWidth at 360 px').toBeLessThanOrEqual(360);
    await expectNoAxeViolations(page);
  });

  test('the home page fits without horizontal scrolling', async ({ page }) => {
    await signInHome(page, 'admin@demo.test');
    const { scrollWidth } = await horizontalOverflow(page);
    expect(scrollWidth, 'document scrollWidth at 360 px').toBeLessThanOrEqual(360);
    await expectNoAxeViolations(page);
  });
});

// WCAG 2.4.1 Bypass Blocks: the first Tab stop skips to the main content.
for (const where of ['login', 'home'] as const) {
  test(`the skip link is the first Tab stop on /${where}`, async ({ page }) => {
    if (where === 'home') {
      await signInHome(page, 'learner@demo.test');
      // Start from a fresh load so focus begins at the top of the document.
      await page.reload();
    } else {
      await page.goto('/login');
    }
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    await expect(focused).toHaveText('Skip to main content');
    await expect(focused).toHaveAttribute('href', '#main');
    await expect(page.locator('#main')).toHaveCount(1);

    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#main$/);
    await expectNoAxeViolations(page);
  });
}
