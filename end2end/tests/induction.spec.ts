import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { expectNoAxeViolations, signInHome } from './support';

// The learner's journey: read a module, fail its quiz, try again, pass, and see the
// certificate; then anyone can check the certificate. With JavaScript and without.

type Question = { id: string; kind: string; options: { id: string; correct: boolean }[] };

/**
 * The answer key of a built-in module, read from its quiz.toml (the test knows the key;
 * the browser never gets it). Reads only the fields it needs: question ids and kinds,
 * option ids and `correct = true`; multi-line strings are skipped.
 */
function answerKey(moduleId: string): Question[] {
  const file = path.resolve(__dirname, '..', '..', 'content', 'modules', moduleId, 'quiz.toml');
  const questions: Question[] = [];
  let inOption = false;
  let inString = false;
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    const quotes = (line.match(/"""/g) ?? []).length;
    if (inString) {
      if (quotes % 2 === 1) inString = false;
      continue;
    }
    if (quotes % 2 === 1) {
      inString = true;
      continue;
    }
    if (line === '[[question]]') {
      questions.push({ id: '', kind: '', options: [] });
      inOption = false;
    } else if (line === '[[question.option]]') {
      questions[questions.length - 1].options.push({ id: '', correct: false });
      inOption = true;
    } else {
      const m = line.match(/^(\w+)\s*=\s*(.*)$/);
      if (!m) continue;
      const [, key, value] = m;
      const q = questions[questions.length - 1];
      const text = value.replace(/^"|"$/g, '');
      if (inOption && key === 'id') q.options[q.options.length - 1].id = text;
      else if (inOption && key === 'correct') q.options[q.options.length - 1].correct = value === 'true';
      else if (!inOption && key === 'id') q.id = text;
      else if (!inOption && key === 'kind') q.kind = text;
    }
  }
  return questions;
}

/** Answer every question on the quiz page, all right or all wrong. */
async function answerAll(page: Page, key: Question[], right: boolean) {
  for (const q of key) {
    if (q.kind === 'multiple') {
      const chosen = right ? q.options.filter((o) => o.correct) : [q.options.find((o) => !o.correct)!];
      for (const o of chosen) await page.locator(`input[name="answers[${q.id}__${o.id}]"]`).check();
    } else {
      const o = right ? q.options.find((x) => x.correct)! : q.options.find((x) => !x.correct)!;
      await page.locator(`input[name="answers[${q.id}]"][value="${o.id}"]`).check();
    }
  }
}

/**
 * With `scripted`, JavaScript is on: axe checks each page, and the whole journey must
 * happen in one document (pages are swapped in place, never reloaded).
 */
async function journey(page: Page, moduleId: string, title: string, scripted: boolean) {
  const axe = async () => {
    if (scripted) await expectNoAxeViolations(page);
  };
  const key = answerKey(moduleId);
  expect(key.length).toBeGreaterThanOrEqual(8);

  await signInHome(page, 'learner@demo.test');
  // A full page load would start a new `window` and lose this.
  if (scripted) await page.evaluate(() => ((window as any).sameDocument = 'yes'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My induction' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My induction' })).toBeVisible();
  if (scripted) await expect(page.getByRole('heading', { level: 1, name: 'My induction' })).toBeFocused();
  await expect(page.getByText(/You have passed \d+ of 11 modules\./)).toBeVisible();
  await axe();

  // The module: contents, the get-help box, and reading one section.
  await page.getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Get help now' })).toContainText('0800 1111');
  await axe();
  const sections = page.getByRole('navigation', { name: 'Sections' }).getByRole('link');
  const firstTitle = (await sections.first().innerText()).trim();
  await sections.first().click();
  await expect(page.getByRole('heading', { level: 1, name: firstTitle })).toBeVisible();
  await axe();
  await page.getByRole('button', { name: /^I have read this\. Next:/ }).click();
  await expect(page.getByText(/^Section 2 of \d+$/)).toBeVisible();
  await page.locator('.breadcrumb').getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByText(/You have read [1-9]\d* of \d+\./)).toBeVisible();

  // First attempt: every answer wrong.
  await page.getByRole('link', { name: /^Take the quiz/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Quiz: ${title}` })).toBeVisible();
  await expect(page.getByRole('group')).toHaveCount(key.length);
  await axe();
  await answerAll(page, key, false);
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Not passed this time' })).toBeVisible();
  await expect(page.getByText(`You scored 0 out of ${key.length} (0%). The pass mark is 80%.`)).toBeVisible();
  await expect(page.getByText('Not right', { exact: true })).toHaveCount(key.length);
  await axe();

  // Try again: all right, passed, with a certificate.
  await page.getByRole('link', { name: 'Try the quiz again' }).click();
  await answerAll(page, key, true);
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You passed' })).toBeVisible();
  await expect(page.getByText('Right', { exact: true })).toHaveCount(key.length);
  await page.getByRole('link', { name: 'See your certificate' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Certificate of completion' })).toBeVisible();
  await expect(page.getByText('Alex Learner', { exact: true })).toBeVisible();
  await axe();
  const code = (await page.locator('.certificate-check code').innerText()).trim();
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

  if (scripted) {
    // Back and Forward move between the swapped pages too.
    await page.goBack();
    await expect(page.getByRole('heading', { level: 1, name: 'You passed' })).toBeVisible();
    await page.goForward();
    await expect(page.getByRole('heading', { level: 1, name: 'Certificate of completion' })).toBeVisible();
    expect(await page.evaluate(() => (window as any).sameDocument)).toBe('yes');
  }

  // The certificate prints without the site's navigation.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Certificate of completion' })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // Anyone can check it, typing the code loosely; they see only first name and initial.
  await page.context().clearCookies();
  await page.goto('/verify');
  await page.getByLabel('Verification code').fill(code.toLowerCase().replace(/-/g, ' '));
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByText('This certificate is genuine.')).toBeVisible();
  await expect(page.getByText('Alex L.', { exact: true })).toBeVisible();
  await expect(page.getByText(title, { exact: true })).toBeVisible();
  await expect(page.getByText('Alex Learner')).toHaveCount(0);
  await axe();
}

// A whole journey is some 40 page loads with axe on most: more than the default 30 s on
// a busy two-core machine.
test.describe.configure({ timeout: 120_000 });

test('a learner reads, fails, retries, passes and gets a certificate', async ({ page }) => {
  await journey(page, 'grooming', 'Grooming and exploitation', true);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the same journey works with plain forms', async ({ page }) => {
    await journey(page, 'cyberbullying', 'Cyberbullying and online abuse', false);
  });
});

test('an administrator switches a module off and sets a pass mark', async ({ page }) => {
  await signInHome(page, 'admin@demo.test');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Modules' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Modules' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Pass mark for Screen time and wellbeing (per cent)').fill('90');
  await page
    .getByRole('row', { name: /Screen time and wellbeing/ })
    .getByRole('button', { name: 'Save' })
    .click();
  await expect(page.getByText('The pass mark for Screen time and wellbeing is now 90%.')).toBeVisible();
  await page.getByRole('button', { name: 'Switch off Screen time and wellbeing' }).click();
  await expect(page.getByText('Screen time and wellbeing is now switched off.')).toBeVisible();
  await page.getByRole('button', { name: 'Switch on Screen time and wellbeing' }).click();
  await expect(page.getByText('Screen time and wellbeing is now switched on.')).toBeVisible();
  await page.getByRole('link', { name: 'Add a module of your own' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add a module of your own' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('The module (module.md)').fill('---\nid: our-rules\n---\nToo short.');
  await page.getByLabel('The quiz (quiz.toml)').fill('[[question]]');
  await page.getByRole('button', { name: 'Check and save' }).click();
  await expect(page.getByRole('alert')).toContainText('The module was not saved');
  await expect(page.getByLabel('The module (module.md)')).toHaveValue(/Too short\./);
});
