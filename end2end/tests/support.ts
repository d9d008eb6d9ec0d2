import { expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** The demo password the webServer in playwright.config.ts starts with. */
export const DEMO_PASSWORD = 'demo-password-e2e';

/** Each demo account holds exactly one role; its home shows that role's h2. */
export const DEMO_ROLES = [
  { role: 'learner', email: 'learner@demo.test', heading: 'Learner', name: 'Alex Learner' },
  { role: 'tutor', email: 'tutor@demo.test', heading: 'Tutor', name: 'Sam Tutor' },
  { role: 'staff', email: 'staff@demo.test', heading: 'Staff', name: 'Jordan Staff' },
  { role: 'manager', email: 'manager@demo.test', heading: 'Line manager', name: 'Priya Manager' },
  { role: 'people', email: 'people@demo.test', heading: 'People department', name: 'Morgan People' },
  { role: 'dsl', email: 'dsl@demo.test', heading: 'Designated Safeguarding Lead', name: 'Chris Safeguarding' },
  { role: 'admin', email: 'admin@demo.test', heading: 'Administrator', name: 'Taylor Admin' },
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

/**
 * Click something that leads to another page (or the same page again, with a message)
 * and wait until the browser shows it. With JavaScript on the app swaps pages in place
 * rather than loading them, so a click returns before the next page is there.
 */
export async function clickThrough(page: Page, target: Locator): Promise<void> {
  const before = page.url();
  await target.click();
  await page.waitForURL((url) => url.href !== before);
}

/** Fill and submit the sign-in form on /login (works with or without JS). */
export async function signIn(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await clickThrough(page, page.getByRole('button', { name: 'Sign in', exact: true }));
}

/**
 * Sign in; if the Acceptable Use Policy gate asks (the first sign-in of each demo account
 * in a run), read and sign it through the real form, checking the page with axe when
 * `checkAxe`; then go home.
 */
export async function signInPastPolicies(page: Page, email: string, checkAxe = false): Promise<void> {
  await signIn(page, email);
  const name = DEMO_ROLES.find((r) => r.email === email)?.name ?? '';
  // Up to three rounds: two policies, plus one more if another test published a new
  // version while this page was open (the app then asks for the current one).
  for (let i = 0; i < 3 && /\/policies\/sign\//.test(page.url()); i++) {
    await expect(page.getByRole('heading', { level: 1, name: /Acceptable Use Policy/ })).toBeVisible();
    if (checkAxe) await expectNoAxeViolations(page);
    await page.getByLabel('I have read and agree to this policy').check();
    await page.getByLabel('Type your full name to sign').fill(name);
    await clickThrough(page, page.getByRole('button', { name: 'Sign the policy' }));
    if (page.url().includes('__err=')) {
      // Refused (a newer version appeared): open the current version and sign that.
      await page.goto(new URL(page.url()).pathname);
    }
  }
  if (!/\/home$/.test(page.url())) await page.goto('/home');
}

/** Sign in (past the policy gate) and wait for the home page. */
export async function signInHome(page: Page, email: string): Promise<void> {
  await signInPastPolicies(page, email);
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
