import { test, expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { clickThrough, expectNoAxeViolations, signInHome } from './support';

// The People department read the reminder log and change the reminder settings, with
// JavaScript on and off. The log has rows because the spec runs the day's reminders
// through the command line (`esafety remind`) against the test server's database, as an
// installer would; each reminder goes once, so a second run adds nothing. Every setting
// changed is put back, and the pause lifted, so other specs see the defaults.

const repoRoot = path.resolve(__dirname, '..', '..');

/** Today in London, as YYYY-MM-DD. */
function londonToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

/** The ISO week of a YYYY-MM-DD day, as the week box writes it: 2026-W49. */
function isoWeek(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  date.setUTCDate(date.getUTCDate() - weekday + 3); // that week's Thursday
  const year = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((date.getTime() - firstThursday.getTime()) / (7 * 24 * 3600 * 1000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function runTodaysReminders(): void {
  const env = { ...process.env, ESAFETY_DATA_DIR: path.join(repoRoot, 'target', 'e2e-data') };
  execFileSync(path.join(repoRoot, 'target', 'release', 'esafety'), ['remind', '--today', londonToday()], {
    env,
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

async function readTheLog(page: Page, checkAxe: boolean): Promise<void> {
  await clickThrough(page, page.getByRole('link', { name: 'Reminder log: training reminders emailed', exact: true }));
  await expect(page).toHaveURL(/\/training\/reminders$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Reminder log' })).toBeVisible();
  // The People department's weekly digest went to Morgan People, with where it stands.
  const digest = page.getByRole('row').filter({ hasText: 'Weekly escalation to the People department' }).first();
  await expect(digest).toContainText('Morgan People');
  await expect(digest).toContainText(/Waiting to be sent|Sent /);
  await expect(page.getByRole('row').filter({ hasText: 'Reminder to a member of staff' }).first()).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  // Filtered by person and by this week.
  await page.getByLabel('Name or email', { exact: true }).fill('people@demo');
  await page.getByLabel('Week', { exact: true }).fill(isoWeek(londonToday()));
  await clickThrough(page, page.getByRole('button', { name: 'Show', exact: true }));
  await expect(page).toHaveURL(/person=people%40demo&week=\d{4}-W\d{2}/);
  await expect(page.getByRole('status')).not.toHaveText('0 reminders');
  await expect(page.getByRole('row').filter({ hasText: 'Jordan Staff' })).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: 'Morgan People' }).first()).toBeVisible();

  // A week that is not one is said, and left out.
  await page.goto('/training/reminders?week=2026-W60');
  await expect(page.getByRole('alert').filter({ hasText: 'is not a week' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Reminder to a member of staff' }).first()).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);
}

async function changeTheSettings(page: Page, checkAxe: boolean): Promise<void> {
  await clickThrough(page, page.getByRole('link', { name: 'Training dashboard', exact: true }));
  const section = page.getByRole('region', { name: 'Reminders' });
  await expect(section).toContainText('Last successful run:');
  await clickThrough(page, section.getByRole('link', { name: 'Reminder settings', exact: true }));
  await expect(page.getByRole('heading', { level: 1, name: 'Reminder settings' })).toBeVisible();
  if (checkAxe) await expectNoAxeViolations(page);

  // A wrong value is refused with its message, and what was typed is kept.
  const escalate = page.getByLabel('Escalate after this many days overdue', { exact: true });
  await escalate.fill('0');
  await clickThrough(page, page.getByRole('button', { name: 'Save the reminder settings' }));
  await expect(page.getByRole('alert').filter({ hasText: 'Escalation: enter the number of days overdue' })).toBeVisible();
  await expect(escalate).toHaveValue('0');
  if (checkAxe) await expectNoAxeViolations(page);

  // Saved, and paused: the settings say since when and by whom, the dashboard says so.
  await escalate.fill('45');
  await page.getByLabel('Day of the weekly digests', { exact: true }).selectOption({ label: 'Wednesday' });
  await page.getByLabel('Sending time', { exact: true }).selectOption({ label: '07:00' });
  await page.getByLabel('Pause all reminders', { exact: true }).check();
  await clickThrough(page, page.getByRole('button', { name: 'Save the reminder settings' }));
  await expect(page.getByRole('status').filter({ hasText: 'Reminder settings saved.' })).toBeVisible();
  await expect(page.getByText(/Paused since .* by Morgan People\./)).toBeVisible();
  await expect(escalate).toHaveValue('45');
  await expect(page.getByLabel('Day of the weekly digests', { exact: true })).toHaveValue('3');
  await expect(page.getByLabel('Sending time', { exact: true })).toHaveValue('7');
  if (checkAxe) await expectNoAxeViolations(page);
  await clickThrough(page, page.getByRole('link', { name: 'Training dashboard', exact: true }));
  await expect(section).toContainText('Reminders are paused since');
  if (checkAxe) await expectNoAxeViolations(page);

  // Put back as they were.
  await clickThrough(page, section.getByRole('link', { name: 'reminder settings', exact: true }));
  await escalate.fill('30');
  await page.getByLabel('Day of the weekly digests', { exact: true }).selectOption({ label: 'Monday' });
  await page.getByLabel('Sending time', { exact: true }).selectOption({ label: '08:00' });
  await page.getByLabel('Pause all reminders', { exact: true }).uncheck();
  await clickThrough(page, page.getByRole('button', { name: 'Save the reminder settings' }));
  await expect(page.getByRole('status').filter({ hasText: 'Reminder settings saved.' })).toBeVisible();
  await expect(page.getByText(/Paused since/)).toHaveCount(0);
}

test.beforeAll(() => {
  runTodaysReminders();
});

test('the People department read the reminder log', async ({ page }) => {
  await signInHome(page, 'people@demo.test');
  await readTheLog(page, true);
});

test('the People department change and pause the reminder settings', async ({ page }) => {
  await signInHome(page, 'people@demo.test');
  await changeTheSettings(page, true);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the People department read the reminder log', async ({ page }) => {
    await signInHome(page, 'people@demo.test');
    await readTheLog(page, false);
  });

  test('the People department change and pause the reminder settings', async ({ page }) => {
    await signInHome(page, 'people@demo.test');
    await changeTheSettings(page, false);
  });
});
