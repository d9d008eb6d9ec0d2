import { test, expect, Page } from '@playwright/test';
import { clickThrough, expectNoAxeViolations, horizontalOverflow, signInHome } from './support';

// An administrator creates a cohort (a refused form keeps what was typed), adds its
// tutor and enrols the demo learner; the grid shows the learner's progress in words with
// its legend; the tutor finds the cohort on their own list. The cohort name carries the
// run's own mark, so reruns on the same server find their own cohort.

async function createAndEnrol(page: Page, name: string, checkAxe: boolean): Promise<void> {
  await signInHome(page, 'admin@demo.test');
  await clickThrough(page, page.getByRole('main').getByRole('link', { name: "Cohorts: learners' induction progress" }).first());
  await expect(page.getByRole('heading', { level: 1, name: 'Cohorts' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  // An end before the start is refused, and what was typed stays.
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Start date', { exact: true }).fill('01/09/2026');
  await page.getByLabel('End date', { exact: true }).fill('31/08/2026');
  await clickThrough(page, page.getByRole('button', { name: 'Create cohort' }));
  await expect(page.getByRole('alert').filter({ hasText: 'must end on or after the day it starts' })).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);
  if (checkAxe) await expectNoAxeViolations(page);

  await page.getByLabel('End date', { exact: true }).fill('31/07/2027');
  await clickThrough(page, page.getByRole('button', { name: 'Create cohort' }));
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Cohort created.' })).toBeVisible();

  await page.getByLabel("Tutor's email", { exact: true }).fill('tutor@demo.test');
  await clickThrough(page, page.getByRole('button', { name: 'Add tutor' }));
  await expect(page.getByRole('status').filter({ hasText: 'Tutor added.' })).toBeVisible();
  await expect(page.getByText('Tutors: Sam Tutor.')).toBeVisible();

  await page.getByLabel("Learner's email", { exact: true }).fill('learner@demo.test');
  await page.getByLabel('Their start date', { exact: true }).fill('01/09/2026');
  await clickThrough(page, page.getByRole('button', { name: 'Enrol learner' }));
  await expect(page.getByRole('status').filter({ hasText: 'Learner enrolled.' })).toBeVisible();
  const grid = page.getByRole('table', { name: `${name}: induction progress of each learner` });
  const row = grid.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Alex Learner' }) });
  await expect(row).toContainText(/\d+ of \d+ modules passed|Complete/);
  await expect(row).toContainText('29 September 2026');
  await expect(page.getByRole('heading', { level: 2, name: 'What the grid shows' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  // Search, a filter and a sort, all in the address.
  await page.getByLabel('Search by name', { exact: true }).fill('Nobody here');
  await clickThrough(page, page.getByRole('button', { name: 'Show learners' }));
  await expect(page.getByRole('status').filter({ hasText: '0 learners shown.' })).toBeVisible();
  await page.getByLabel('Search by name', { exact: true }).fill('alex');
  await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Behind: past their due day and not complete' });
  await clickThrough(page, page.getByRole('button', { name: 'Show learners' }));
  await expect(row).toBeVisible();
  await expect(page).toHaveURL(/show=behind/);
  await clickThrough(page, grid.getByRole('link', { name: /^Last active/ }));
  await expect(page).toHaveURL(/sort=active/);
  await expect(grid.getByRole('columnheader', { name: /^Last active/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(row).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  // The same learners as a CSV file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download these learners as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^cohort-\d{4}-\d{2}-\d{2}\.csv$/);

  // Over time and what to revisit: the chart, its table, the topics.
  await clickThrough(page, page.getByRole('link', { name: 'Over time and what to revisit' }));
  await expect(page.getByRole('heading', { level: 1, name: `${name}: over time and what to revisit` })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'What to revisit' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
  await clickThrough(page, page.getByRole('link', { name: `Back to ${name}` }));

  // The same learners to print: one table, no forms.
  await clickThrough(page, page.getByRole('link', { name: 'print them' }));
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(grid.getByRole('rowheader', { name: 'Alex Learner' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Show learners' })).toHaveCount(0);
  if (checkAxe) await expectNoAxeViolations(page);
}

test('an administrator creates a cohort, adds its tutor and enrols a learner', async ({ page }) => {
  const name = `September ${Date.now()}`;
  await createAndEnrol(page, name, true);

  // On a 360 px phone the grid scrolls inside its own region; the page does not.
  await page.setViewportSize({ width: 360, height: 740 });
  const region = page.getByRole('region', { name: `${name}: induction progress of each learner` });
  const inner = await region.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(inner.scrollWidth).toBeGreaterThan(inner.clientWidth);
  const { scrollWidth, clientWidth } = await horizontalOverflow(page);
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);

  // The tutor finds it among the cohorts they teach.
  await page.context().clearCookies();
  await signInHome(page, 'tutor@demo.test');
  await clickThrough(page, page.getByRole('main').getByRole('link', { name: "Cohorts: learners' induction progress" }).first());
  await expect(page.getByRole('rowheader', { name })).toBeVisible();
  await expectNoAxeViolations(page);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an administrator creates a cohort, adds its tutor and enrols a learner', async ({ page }) => {
    await createAndEnrol(page, `January ${Date.now()}`, false);
  });
});
