import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** The demo password the webServer in playwright.config.ts starts with. */
export const DEMO_PASSWORD = 'demo-password-e2e';

/** Each demo account holds exactly one role; its home shows that role's h2. */
export const DEMO_ROLES = [
  { role: 'learner', email: 'learner@demo.test', heading: 'Learner' },
  { role: 'tutor', email: 'tutor@demo.test', heading: 'Tutor' },
  { role: 'staff', email: 'staff@demo.test', heading: 'Staff' },
  { role: 'manager', email: 'manager@demo.test', heading: 'Line manager' },
  { role: 'people', email: 'people@demo.test', heading: 'People department' },
  { role: 'dsl', email: 'dsl@demo.test', heading: 'Designated Safeguarding Lead' },
  { role: 'admin', email: 'admin@demo.test', heading: 'Administrator' },
] as const;

/** WCAG 2.0/2.1 A and AA plus WCAG 2.2 AA: the bar for every page. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Run axe on the current page and fail with a readable list of violations
 * (rule, impact, help link, and the offending elements).
 */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const report = results.violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `      ${n.target.join(' ')}\n        ${(n.failureSummary ?? '').replace(/\n/g, '\n        ')}`)
        .join('\n');
      return `  ${v.id} [${v.impact ?? 'unknown'}] ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
  expect(results.violations.length, `axe found violations on ${page.url()}:\n${report}`).toBe(0);
}

/** Fill and submit the sign-in form on /login (works with or without JS). */
export async function signIn(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Sign in and wait for the home page. */
export async function signInHome(page: Page, email: string): Promise<void> {
  await signIn(page, email);
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Your home' })).toBeVisible();
}

export function mainNav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/** True when the page can be scrolled sideways at the current viewport. */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
}
