import { test, expect, Page } from '@playwright/test';
import { clickThrough, expectNoAxeViolations, signInHome } from './support';

// External courses: a member of staff records a course with its certificate (a program
// renamed certificate.pdf is refused, and what was typed stays), then the People
// department rejects without a reason (refused), verifies it, and the member of staff
// sees it verified. The title carries the run's own mark, so a rerun finds its own course.

const EXECUTABLE = Buffer.from('MZ\x90\x00\x03\x00\x00\x00program', 'latin1');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

async function recordCourse(page: Page, title: string, checkAxe: boolean): Promise<void> {
  await signInHome(page, 'staff@demo.test');
  await clickThrough(page, page.getByRole('link', { name: 'My external courses and certificates' }));
  await expect(page).toHaveURL(/\/training\/courses$/);
  await expect(page.getByRole('heading', { level: 1, name: 'My external courses' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  await clickThrough(page, page.getByRole('link', { name: 'Record an external course' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Record an external course' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
  await page.getByLabel('Requirement it is for', { exact: true }).selectOption({ label: 'Prevent awareness' });
  await page.getByLabel('Provider', { exact: true }).fill('Local Authority');
  await page.getByLabel('Course title', { exact: true }).fill(title);
  await page.getByLabel('Date completed', { exact: true }).fill('01/09/2025');
  await page.getByLabel('Hours', { exact: true }).fill('3');
  await page.getByLabel('Certificate', { exact: true }).setInputFiles({
    name: 'certificate.pdf',
    mimeType: 'application/pdf',
    buffer: EXECUTABLE,
  });
  await clickThrough(page, page.getByRole('button', { name: 'Record the course' }));
  await expect(page.getByRole('alert').filter({ hasText: 'must be a PDF, PNG or JPEG' })).toBeVisible();
  await expect(page.getByLabel('Course title', { exact: true })).toHaveValue(title);
  await expect(page.getByLabel('Hours', { exact: true })).toHaveValue('3');
  if (checkAxe) await expectNoAxeViolations(page);

  // A real PDF, whatever its name says.
  await page.getByLabel('Certificate', { exact: true }).setInputFiles({
    name: 'scan.jpg',
    mimeType: 'image/jpeg',
    buffer: PDF,
  });
  await clickThrough(page, page.getByRole('button', { name: 'Record the course' }));
  await expect(page).toHaveURL(/\/training\/courses\?done=recorded$/);
  await expect(page.getByRole('status').filter({ hasText: 'Your course has been recorded' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: title })).toContainText('Awaiting check');
  if (checkAxe) await expectNoAxeViolations(page);
}

async function verifyCourse(page: Page, title: string, checkAxe: boolean): Promise<void> {
  await signInHome(page, 'people@demo.test');
  await clickThrough(page, page.getByRole('link', { name: 'Check external courses' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Check external courses' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
  const course = page.getByRole('region', { name: `${title} for Jordan Staff` });
  await expect(course).toContainText('Local Authority');
  await expect(course.getByRole('link', { name: /Download scan\.jpg/ })).toBeVisible();

  // A rejection needs a reason.
  await clickThrough(page, course.getByRole('button', { name: /^Reject/ }));
  await expect(page.getByRole('alert').filter({ hasText: 'Give a reason' })).toBeVisible();

  await clickThrough(page, page.getByRole('region', { name: `${title} for Jordan Staff` }).getByRole('button', { name: /^Verify/ }));
  await expect(page.getByRole('status').filter({ hasText: 'Course verified' })).toBeVisible();
  await expect(page.getByRole('region', { name: `${title} for Jordan Staff` })).toHaveCount(0);
}

async function seeVerified(page: Page, title: string): Promise<void> {
  // Still signed in from recording it.
  await page.goto('/training/courses');
  await expect(page.getByRole('row').filter({ hasText: title })).toContainText('Verified');
}

test('a member of staff records a course and the People department verifies it', async ({ browser }) => {
  // Two people, an upload and a review: longer than one page's worth on a busy machine.
  test.setTimeout(90_000);
  const title = `Prevent awareness ${Date.now()}`;
  const staff = await (await browser.newContext()).newPage();
  await recordCourse(staff, title, true);
  const people = await (await browser.newContext()).newPage();
  await verifyCourse(people, title, true);
  await seeVerified(staff, title);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a member of staff records a course and the People department verifies it', async ({ browser }) => {
    const title = `Prevent refresher ${Date.now()}`;
    const staff = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await recordCourse(staff, title, false);
    const people = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await verifyCourse(people, title, false);
    await seeVerified(staff, title);
  });
});
