/**
 * The pages in a real Chromium: people sign in through the local OpenID Connect provider (a real
 * round trip), see their work and the case page, and the session and CSRF defences hold. Every
 * page visited is checked with axe-core against WCAG 2.2 AA.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { createApp } from '../api/app';
import type { Config } from '../config';
import { pageErrorHandler } from '../web/errors';
import { useNunjucks } from '../web/views';
import { ukDateTime } from '../web/dates';
import { harness } from './harness';
import { axeChecked, checkAccessibility, expectCleanConsole, newVisitor, personSignedIn, screenshot, sessionCookie, signInAs, signOut, type SignedIn } from './support/browser';
import { expectCall, submission } from './support/appeals';

/** Open an appeal in a seeded department over the API, and optionally have its manager contest it. */
async function appealIn(department: string, { contested = false } = {}) {
  const { tokenFor } = harness();
  const caseworker = await tokenFor('caseworker', 'caseworker-1');
  const opened = await expectCall(201, 'POST', '/v1/appeals', caseworker, submission(department));
  if (!contested) return opened;
  const manager = await tokenFor('manager', `manager-${department.toLowerCase()}`, department);
  return expectCall(200, 'POST', `/v1/appeals/${opened.id}/manager-response`, manager, { position: 'contest', statement: 'We gave it due consideration.' });
}

async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ').trim();
}

describe('pages', function () {
  this.timeout(60_000);
  let started = 0;
  const visitors: SignedIn[] = [];
  before(() => {
    started = Date.now();
  });
  after(async () => {
    await Promise.all(visitors.map((v) => v.context.close()));
    process.stderr.write(`      [pages] axe: 0 violations on ${axeChecked.length} pages (${[...new Set(axeChecked)].length} distinct paths); ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  });
  /** Someone signed in for this test only: they sign out, or their cookies are looked at. */
  const signIn = async (who: string) => {
    const visitor = await signInAs(who);
    visitors.push(visitor);
    return visitor;
  };

  describe('signing in', () => {
    it('a caseworker signs in at the identity provider and sees the appeals waiting for an arbiter', async () => {
      const appeal = await appealIn('HO', { contested: true });
      const { context, page } = await newVisitor();
      visitors.push({ context, page, account: undefined as never });
      await page.goto('/');
      expect(page.url()).to.satisfy((url: string) => url.startsWith(harness().identityProvider.issuerUrl));
      await checkAccessibility(page);
      await screenshot(page, 'identity-provider-sign-in');
      await signInAs('caseworker', { context, page });

      expect(await page.locator('h1').innerText()).to.equal('Your work');
      expect(await page.locator('.govuk-service-navigation').innerText()).to.include('Casey Walker').and.include('Caseworker');
      const row = page.locator('tr', { hasText: appeal.reference });
      expect(await row.innerText()).to.include('Assign an arbiter').and.include(ukDateTime(appeal.deadlines.hearingDue));
      await checkAccessibility(page);
      expectCleanConsole(page);
      await screenshot(page, 'your-work-caseworker');
    });

    it('a manager sees the appeals of their department awaiting their response, soonest due first', async () => {
      const first = await appealIn('MOJ');
      const second = await appealIn('MOJ');
      const elsewhere = await appealIn('BIS');
      const { page } = await personSignedIn('manager-moj');
      const text = await mainText(page);
      expect(text).to.include(first.reference).and.include(second.reference).and.include('Respond to the appeal');
      expect(text).to.not.include(elsewhere.reference);
      expect(text.indexOf(first.reference)).to.be.below(text.indexOf(second.reference));
      await checkAccessibility(page);
      await screenshot(page, 'your-work-manager');
    });

    it('gives a new session id at sign-in: an id held before it is worth nothing after', async () => {
      const { context, page } = await newVisitor();
      visitors.push({ context, page, account: undefined as never });
      await page.goto('/');
      const before = await sessionCookie(context);
      expect(before, 'a session is kept while the provider is asked').to.be.a('string');
      await signInAs('caseworker', { context, page });
      const after = await sessionCookie(context);
      expect(after).to.be.a('string').and.not.equal(before);
      const cookie = (await context.cookies(harness().webUrl)).find((c) => c.name === 'appeals.sid');
      expect(cookie).to.include({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
      const idleSeconds = (cookie?.expires ?? 0) - Date.now() / 1000;
      expect(idleSeconds, 'the cookie ends after SESSION_IDLE_MINUTES (30) without a request').to.be.within(29 * 60, 30 * 60 + 5);

      const planted = await newVisitor();
      visitors.push({ ...planted, account: undefined as never });
      await planted.context.addCookies([{ name: 'appeals.sid', value: before as string, url: harness().webUrl }]);
      await planted.page.goto('/');
      expect(planted.page.url()).to.satisfy((url: string) => url.startsWith(harness().identityProvider.issuerUrl));
    });
    it('works without JavaScript: sign in, read a case and its reasons, sign out', async () => {
      const appeal = await appealIn('HO', { contested: true });
      const visitor = await newVisitor({ javaScriptEnabled: false });
      visitors.push({ ...visitor, account: undefined as never });
      const { page } = await signInAs('caseworker', visitor);
      await page.getByRole('link', { name: appeal.reference }).click();
      const hearing = page.locator('.govuk-summary-card', { hasText: 'Hearing' });
      await hearing.getByText('Why this date?').click();
      expect(await hearing.locator('.govuk-details__text').isVisible()).to.equal(true);
      await signOut(page);
    });

    it('refuses an answer from the provider that does not match the sign-in it started (state, PKCE)', async () => {
      const { context, page } = await newVisitor();
      visitors.push({ context, page, account: undefined as never });
      await page.goto('/');
      const refused = await page.goto('/sign-in/callback?code=forged-code&state=forged-state');
      expect(refused?.status()).to.equal(401);
      expect(await page.locator('h1').innerText()).to.equal('You have not been signed in');
      await checkAccessibility(page);
      await page.goto('/');
      expect(page.url(), 'still not signed in').to.satisfy((url: string) => url.startsWith(harness().identityProvider.issuerUrl));
    });
  });

  describe('the case page', () => {
    it('shows the appeal, its deadlines with why each falls when it does, the verified timeline and what this person may do', async () => {
      const appeal = await appealIn('HO', { contested: true });
      const { page } = await personSignedIn('caseworker');
      await page.goto(`/appeals/${appeal.id}`);
      expect(await page.locator('h1').innerText()).to.equal(`Appeal ${appeal.reference}`);
      expect(await page.locator('main').innerText()).to.include('Passport Services Mutual').and.include('Awaiting a hearing');

      const response = page.locator('.govuk-summary-card', { hasText: 'Manager’s response' });
      expect(await response.innerText()).to.include('Met');
      const hearing = page.locator('.govuk-summary-card', { hasText: 'Hearing' });
      expect(await hearing.innerText()).to.include('Running').and.include(ukDateTime(appeal.deadlines.hearingDue));
      await hearing.getByText('Why this date?').click();
      const why = await hearing.locator('.govuk-details__text').innerText();
      expect(why).to.include('Version 1 of HO’s policy').and.include('30 working days').and.include('England and Wales bank holidays').and.include('weekend days');

      const timeline = page.locator('.moj-timeline');
      expect(await page.locator('.moj-badge').textContent()).to.equal('Verified');
      expect(await timeline.innerText()).to.include('1. Appeal opened').and.include('2. Manager contested the appeal').and.include('Statement: We gave it due consideration.');

      const actions = page.locator('aside');
      expect(await actions.getByRole('link').allInnerTexts()).to.deep.equal(['Assign an arbiter', 'Withdraw the appeal', 'Extend a deadline']);
      expect(await page.evaluate(() => (globalThis as any).document.body.classList.contains('govuk-frontend-supported')), 'GOV.UK Frontend ran').to.equal(true);
      await checkAccessibility(page);
      expectCleanConsole(page);
      await screenshot(page, 'case-page-caseworker');
    });

    it('offers a manager only their own next action, and says so when a timeline was tampered with', async () => {
      const appeal = await appealIn('HO');
      await harness().dataSource.transaction(async (db) => {
        await db.query(`SET LOCAL session_replication_role = replica`);
        await db.query(`UPDATE timeline_events SET data = '{"reference": "forged"}' WHERE appeal_id = $1 AND seq = 1`, [appeal.id]);
      });
      const { page } = await personSignedIn('manager-ho');
      await page.goto(`/appeals/${appeal.id}`);
      expect(await page.locator('aside').getByRole('link').allInnerTexts()).to.deep.equal(['Respond to the appeal']);
      expect(await page.locator('.moj-badge').textContent()).to.equal('Tampered at event 1');
      await checkAccessibility(page);
      await screenshot(page, 'case-page-tampered');
    });
  });

  describe('security', () => {
    it('refuses a form posted without its CSRF token, and changes nothing', async () => {
      const { page } = await personSignedIn('caseworker');
      for (const form of [{}, { _csrf: 'not-the-token' }] as Record<string, string>[]) {
        const answer = await page.request.post('/sign-out', { form, maxRedirects: 0 });
        expect(answer.status()).to.equal(403);
        expect(await answer.text()).to.include('Your request could not be accepted').and.not.include('csrf');
      }
      await page.evaluate(() => {
        const { document } = globalThis as any;
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/sign-out';
        document.body.append(form);
        form.submit();
      });
      await page.waitForURL('**/sign-out');
      expect(await page.locator('h1').innerText()).to.equal('Your request could not be accepted');
      await checkAccessibility(page);
      await page.goto('/');
      expect(await page.locator('h1').innerText(), 'still signed in').to.equal('Your work');
    });

    it('refuses the session cookie of a signed-out session, and ends the session at the provider too', async () => {
      const { context, page } = await signIn('caseworker');
      const cookie = await sessionCookie(context);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Yes, sign me out' }).waitFor();
      await checkAccessibility(page);
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await page.waitForURL(`${harness().webUrl}/signed-out`);
      expect(await page.locator('h1').innerText()).to.equal('You have signed out');
      await checkAccessibility(page);

      const answer = await fetch(`${harness().webUrl}/`, { headers: { cookie: `appeals.sid=${cookie}` }, redirect: 'manual' });
      expect(answer.status).to.equal(303);
      expect(answer.headers.get('location')).to.match(/^\/sign-in/);
      const sid = decodeURIComponent(cookie as string).replace(/^s:/, '').split('.')[0];
      const rows = await harness().dataSource.query(`SELECT count(*)::int AS n FROM web_sessions WHERE sid = $1`, [sid]);
      expect(rows[0].n, 'the session row is gone').to.equal(0);

      await page.goto('/');
      expect(page.url(), 'the provider asks again: its session ended too').to.match(/\/interaction\//);
    });

    it('answers 404 for another department\'s appeal, exactly as for one that does not exist', async () => {
      const appeal = await appealIn('DCLG');
      const { page } = await personSignedIn('manager-ho');
      const hidden = await page.goto(`/appeals/${appeal.id}`);
      expect(hidden?.status()).to.equal(404);
      const hiddenText = await mainText(page);
      await checkAccessibility(page);
      await screenshot(page, 'not-found');
      const missing = await page.goto(`/appeals/${randomUUID()}`);
      expect(missing?.status()).to.equal(404);
      expect(await mainText(page)).to.equal(hiddenText);
      expect(hiddenText).to.include('Page not found').and.not.include(appeal.reference);
    });

    it('gives an arbiter the hearings of the appeals assigned to them', async () => {
      const appeal = await appealIn('DFE', { contested: true });
      const caseworker = await harness().tokenFor('caseworker', 'caseworker-1');
      await expectCall(200, 'POST', `/v1/appeals/${appeal.id}/arbiter`, caseworker, { arbiterId: 'arbiter-1' });
      const { page } = await personSignedIn('arbiter-1');
      expect(await page.locator('tr', { hasText: appeal.reference }).innerText()).to.include('Schedule the hearing');
      await checkAccessibility(page);
    });

    it('has no appeal work for an administrator, who signs out with the button in the header', async () => {
      const { page } = await signIn('admin');
      expect(await mainText(page)).to.include('Nothing needs your action now');
      await checkAccessibility(page);
      await signOut(page);
    });
  });
});

/** Run `use` against an app of its own, on the harness's database and Temporal, with config changes. */
async function withApp(changes: Partial<Config>, use: (url: string, logLines: string[]) => Promise<void>): Promise<void> {
  const { dataSource, client, config } = harness();
  const logLines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(line) });
  const server = createApp({ dataSource, client, config: { ...config, ...changes }, logger }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, logLines);
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

describe('pages without an identity provider, behind a proxy, and the error pages', () => {
  it('mark the session cookie Secure when the request came over HTTPS through a trusted proxy', async () => {
    await withApp({ trustProxy: true }, async (url) => {
      const overHttps = await fetch(`${url}/sign-in`, { headers: { 'x-forwarded-proto': 'https' }, redirect: 'manual' });
      expect(overHttps.status).to.equal(303);
      expect(overHttps.headers.get('set-cookie')).to.match(/^appeals\.sid=/).and.match(/; HttpOnly/).and.match(/; Secure/).and.match(/; SameSite=Lax/);
      const overHttp = await fetch(`${url}/sign-in`, { redirect: 'manual' });
      expect(overHttp.headers.get('set-cookie')).to.match(/^appeals\.sid=/).and.not.match(/; Secure/);
    });
  });

  it('say sign-in is not set up, in one log line, and the API answers as before', async () => {
    const { config, tokenFor } = harness();
    await withApp({ web: { sessionIdleMinutes: config.web.sessionIdleMinutes } }, async (url, lines) => {
      const home = await fetch(`${url}/`, { redirect: 'manual' });
      expect(home.status).to.equal(303);
      const signIn = await fetch(`${url}/sign-in`);
      expect(signIn.status).to.equal(503);
      expect(await signIn.text()).to.include('Sign-in is not set up');
      expect(lines.filter((line) => line.includes('sign-in is not set up'))).to.have.length(1);
      const api = await fetch(`${url}/v1/appeals`, { headers: { authorization: `Bearer ${await tokenFor('caseworker', 'caseworker-1')}` } });
      expect(api.status).to.equal(200);
    });
  });

  it('show a generic 500 without the error\'s message, and a 503 with Retry-After, each with the request id', async () => {
    const web = express();
    useNunjucks(web);
    web.use((req, _res, next) => {
      req.id = 'req-123';
      req.log = pino({ level: 'silent' });
      next();
    });
    web.get('/broken', () => {
      throw new Error('relation "appeals" does not exist: SELECT * FROM appeals WHERE secret');
    });
    web.get('/away', () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    web.use(pageErrorHandler(() => false));
    const server = web.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const broken = await fetch(`${url}/broken`);
      const page = await broken.text();
      expect(broken.status).to.equal(500);
      expect(page).to.include('Sorry, there is a problem with the service').and.include('req-123');
      expect(page).to.not.match(/SELECT|relation|at .*\.ts:\d+/);
      const away = await fetch(`${url}/away`);
      expect(away.status).to.equal(503);
      expect(away.headers.get('retry-after')).to.equal('5');
      expect(await away.text()).to.include('Sorry, the service is unavailable').and.not.include('ECONNREFUSED');
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
