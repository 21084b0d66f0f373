/**
 * Browser tests: Debian's Chromium (/usr/bin/chromium, never a downloaded browser) driven by
 * playwright-core, one browser per run (closed by the harness), one context per signed-in person.
 * People sign in through the harness's local identity provider: a real OIDC round trip.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { DevAccount } from '../../scripts/lib/dev-identity-provider';
import { SESSION_COOKIE } from '../../web/session';
import { harness, onTearDown } from '../harness';

export const CHROMIUM = '/usr/bin/chromium';
/** Headless, and off the network: no sync, updates, QUIC or background requests. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'test-screenshots');
/** WCAG 2.2 AA, as axe-core tags it. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let launched: Promise<Browser> | undefined;

/** The run's browser, launched on first use with a fresh profile. */
export function browser(): Promise<Browser> {
  launched ??= chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }).then((b) => {
    onTearDown(() => b.close());
    return b;
  });
  return launched;
}

/** A fresh context (its own cookies) on the pages, in UK English and UK time, its console watched. */
export async function newVisitor({ javaScriptEnabled = true } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await (await browser()).newContext({ baseURL: harness().webUrl, locale: 'en-GB', timezoneId: 'Europe/London', javaScriptEnabled });
  const page = await context.newPage();
  watchConsole(page);
  return { context, page };
}

export interface SignedIn {
  context: BrowserContext;
  page: Page;
  account: DevAccount;
}

/** A dev account by `sub` (`manager-ho`), or the first of a role (`caseworker`). */
export function account(who: string): DevAccount {
  const { accounts } = harness().identityProvider;
  const found = accounts.find((a) => a.sub === who) ?? accounts.find((a) => a.role === who);
  if (!found) throw new Error(`no dev account ${who}`);
  return found;
}

/** Sign in through the identity provider's own page, as a person would; lands on Your work. */
export async function signInAs(who: string, visitor?: { context: BrowserContext; page: Page }): Promise<SignedIn> {
  const chosen = account(who);
  const { context, page } = visitor ?? (await newVisitor());
  await page.goto('/');
  expect(page.url(), 'not sent to the identity provider').to.satisfy((url: string) => url.startsWith(harness().identityProvider.issuerUrl));
  await page.locator(`input[name="account"][value="${chosen.sub}"]`).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${harness().webUrl}/`);
  return { context, page, account: chosen };
}

const people = new Map<string, Promise<SignedIn>>();

/**
 * A signed-in person shared by the tests of a run (signing in once each keeps the suite fast);
 * their page is on Your work. A test that signs out or plays with cookies uses signInAs instead.
 */
export async function personSignedIn(who: string): Promise<SignedIn> {
  const key = account(who).sub;
  if (!people.has(key)) people.set(key, signInAs(key));
  const person = await (people.get(key) as Promise<SignedIn>);
  await person.page.goto('/');
  return person;
}

/** Sign out with the layout's button, confirm at the provider, and land on "You have signed out". */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL(`${harness().webUrl}/signed-out`);
}

/** The value of the session cookie the browser holds, if any. */
export async function sessionCookie(context: BrowserContext): Promise<string | undefined> {
  const cookies = await context.cookies(harness().webUrl);
  return cookies.find((c) => c.name === SESSION_COOKIE)?.value;
}

// ---- accessibility ----------------------------------------------------------------------------

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** Pages checked with axe this run, for the summary line the suite prints. */
export const axeChecked: string[] = [];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Run axe-core (injected through the DevTools protocol, so the page's CSP stays as it is) against
 * WCAG 2.2 AA and fail, listing each violation readably, unless there are none.
 */
export async function checkAccessibility(page: Page): Promise<void> {
  await page.evaluate(axeSource);
  const violations: Violation[] = await page.evaluate(async (tags) => {
    const { axe, document } = globalThis as any;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n: any) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, WCAG_TAGS);
  axeChecked.push(new URL(page.url()).pathname);
  const report = violations
    .map((v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} <${v.helpUrl}>\n${v.nodes.map((n) => `    at ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\n/g, ' ')}`).join('\n')}`)
    .join('\n  ');
  expect(violations.length, `axe found ${violations.length} WCAG 2.2 AA violation(s) on ${page.url()}:\n  ${report}\n`).to.equal(0);
}

// ---- screenshots and console --------------------------------------------------------------------

/** A full-page screenshot under test-screenshots/ (git-ignored), named for what it shows. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const DOCS = path.resolve(__dirname, '..', '..', 'docs');
/** The width of the screenshots in docs/ (README images read well at about this). */
const DOCS_WIDTH = 1000;

/**
 * Only when UPDATE_DOCS_SCREENSHOTS=1: the page as the README shows it, docs/<name>.png, 1000
 * pixels wide and `height` tall, from the top or from `from` (a heading part-way down);
 * otherwise nothing (a test run never writes into docs/).
 */
export async function docsScreenshot(page: Page, name: string, { height = 1400, from }: { height?: number; from?: Locator } = {}): Promise<void> {
  if (process.env.UPDATE_DOCS_SCREENSHOTS !== '1') return;
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: DOCS_WIDTH, height });
  try {
    const top = from ? ((await from.boundingBox())?.y ?? 0) + (await page.evaluate(() => (globalThis as any).scrollY as number)) - 20 : 0;
    await page.screenshot({ path: path.join(DOCS, `${name}.png`), fullPage: true, clip: { x: 0, y: Math.max(0, top), width: DOCS_WIDTH, height } });
  } finally {
    if (viewport) await page.setViewportSize(viewport);
  }
}

const consoleProblems = new WeakMap<Page, string[]>();

function watchConsole(page: Page): void {
  const problems: string[] = [];
  consoleProblems.set(page, problems);
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // An error page's own status (404, 403, 503) is reported as a failed load of the document.
    const documentStatus = message.text().startsWith('Failed to load resource') && message.location().url === page.url();
    if (!documentStatus) problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
}

/** No script error and nothing refused by the CSP (stylesheets, scripts, fonts, images) so far on this page. */
export function expectCleanConsole(page: Page): void {
  expect(consoleProblems.get(page) ?? [], 'console errors').to.deep.equal([]);
}
