// Small steps the dashboard's browser tests repeat, written the way a person uses the pages.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { repoRoot } from './run-cli';

/** Where a failing browser test leaves its screenshot (kept by CI as an artifact folder). */
export const FAILURE_SHOTS = path.join(repoRoot, 'test-results', 'dashboard');

/** A page at laptop width in a fixed time zone, so dates read the same on every machine. */
export async function newDashboardPage(browser: Browser, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: 'UTC', locale: 'en-GB' });
  const page = await context.newPage();
  // next dev compiles a route on its first visit: slow on two shared cores, so generous waits.
  page.setDefaultTimeout(60_000);
  page.setDefaultNavigationTimeout(120_000);
  return page;
}

export async function signInThroughForm(page: Page, webUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${webUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/** Saves a full-page screenshot named after the test. */
export async function saveFailureShot(page: Page | undefined, testName: string): Promise<void> {
  if (!page || page.isClosed()) return;
  await mkdir(FAILURE_SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(FAILURE_SHOTS, `${testName.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`), fullPage: true }).catch(() => undefined);
}
