import { test, expect, Page } from '@playwright/test';
import { clickThrough, expectNoAxeViolations, signInHome } from './support';

// An administrator enrols learners from a file: a broken file shows every problem by
// line and cannot be confirmed; a clean one enrols a new learner (invited by email).
// Then a reminder to them (choose, preview, send), and the learner's page, where a break
// in learning moves their due day. Every name
// carries the run's own mark, so reruns on the same server find their own.

async function enrolFromFile(page: Page, mark: number, checkAxe: boolean): Promise<void> {
  const cohort = `Intake ${mark}`;
  await signInHome(page, 'admin@demo.test');
  await clickThrough(page, page.getByRole('main').getByRole('link', { name: "Cohorts: learners' induction progress" }).first());
  await page.getByLabel('Name', { exact: true }).fill(cohort);
  await page.getByLabel('Start date', { exact: true }).fill('01/09/2026');
  await page.getByLabel('End date', { exact: true }).fill('31/07/2027');
  await clickThrough(page, page.getByRole('button', { name: 'Create cohort' }));
  await expect(page.getByRole('heading', { level: 1, name: cohort })).toBeVisible();

  await clickThrough(page, page.getByRole('link', { name: 'Enrol many learners from a file' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Enrol learners from a file' })).toBeVisible();
  // A file may be waiting from an earlier attempt: start again.
  const again = page.getByRole('button', { name: 'Start again with another file' });
  if (await again.count()) {
    await again.click();
    await expect(page.getByLabel('CSV file', { exact: true })).toBeVisible();
  }
  if (checkAxe) await expectNoAxeViolations(page);

  // A broken file: the problems, by line; no way to confirm it.
  await page.getByLabel('CSV file', { exact: true }).fill(
    `First name,Last name,Email,Cohort,Start date\nAmy,Lee,not-an-email,${cohort},31/02/2026\n`,
  );
  await page.getByRole('button', { name: 'Preview the enrolment' }).click();
  const problems = page.getByRole('alert').filter({ hasText: 'Problems' });
  await expect(problems).toContainText('"not-an-email" is not an email address');
  await expect(problems).toContainText('"31/02/2026" is not a date');
  await expect(page.getByRole('button', { name: /^Enrol \d+ learner/ })).toHaveCount(0);
  if (checkAxe) await expectNoAxeViolations(page);
  await again.click();
  await expect(page.getByLabel('CSV file', { exact: true })).toBeVisible();

  // A clean file with accents and an apostrophe: one new learner, invited.
  const email = `zoe.${mark}@example.org`;
  await page.getByLabel('CSV file', { exact: true }).fill(
    `First name,Last name,Email,Cohort,Start date,Date of birth\nZoë,O'Neill,${email},${cohort},01/09/2026,14/05/2009\n`,
  );
  await page.getByRole('button', { name: 'Preview the enrolment' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'No problems found: 1 new learner' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'New learner: account created and invited' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Enrol 1 learner' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Enrolled: 1 learner. 1 new account invited' })).toBeVisible();

  // The learner is in the cohort's grid. Remind them: choose, preview, send.
  await clickThrough(page, page.getByRole('link', { name: 'All cohorts' }));
  await clickThrough(page, page.getByRole('link', { name: cohort }));
  await clickThrough(page, page.getByRole('link', { name: 'Remind learners about their induction' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Remind learners about their induction' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
  await page.getByRole('checkbox', { name: /^Zoë O'Neill:/ }).check();
  await clickThrough(page, page.getByRole('button', { name: 'Preview the reminder' }));
  await expect(page.getByRole('heading', { level: 2, name: 'It goes to 1 learner' })).toBeVisible();
  await expect(page.getByText('is sending you a reminder about your e-safety induction')).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
  await clickThrough(page, page.getByRole('button', { name: 'Send the reminder to 1 learner' }));
  await expect(page.getByRole('status').filter({ hasText: 'Reminder sent to 1 learner.' })).toBeVisible();
  await expect(page.getByRole('table', { name: /^Reminders sent/ })).toContainText('0 of 1 so far');
  if (checkAxe) await expectNoAxeViolations(page);

  // Their page shows their programme and the reminder.
  await clickThrough(page, page.getByRole('link', { name: "Zoë O'Neill" }));
  await expect(page.getByRole('heading', { level: 1, name: "Zoë O'Neill" })).toBeVisible();
  await expect(page.getByText('29 September 2026')).toBeVisible();
  await expect(page.getByText(/, from Taylor Admin$/)).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  // A two-week break moves the due day on by 14 days.
  await page.getByLabel('Break in learning', { exact: true }).check();
  await page.getByLabel('First day of the break', { exact: true }).fill('07/09/2026');
  await page.getByLabel('Last day of the break', { exact: true }).fill('20/09/2026');
  await clickThrough(page, page.getByRole('button', { name: 'Change status' }));
  await expect(page.getByRole('status').filter({ hasText: 'Status changed.' })).toBeVisible();
  await expect(page.getByText('On a break in learning from 7 September 2026 to 20 September 2026')).toBeVisible();
  await expect(page.getByText('13 October 2026')).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  // On the grid they are inactive, outside "behind".
  await clickThrough(page, page.getByRole('link', { name: `Back to ${cohort}` }));
  await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Inactive: on a break, withdrawn or completed' });
  await clickThrough(page, page.getByRole('button', { name: 'Show learners' }));
  await expect(page.getByRole('rowheader', { name: "Zoë O'Neill" })).toBeVisible();
}

test('an administrator enrols learners from a file and records a break', async ({ page }) => {
  await enrolFromFile(page, Date.now(), true);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an administrator enrols learners from a file and records a break', async ({ page }) => {
    await enrolFromFile(page, Date.now() + 1, false);
  });
});
