/**
 * One appeal from start to end, entirely through the pages, by four people signed in through the
 * local identity provider: the caseworker opens it, the Home Office's manager contests it, the
 * caseworker assigns an arbiter (the one whose home department is HO shown but not selectable),
 * the arbiter schedules and holds the hearing, is refused an overrule below the policy's
 * thresholds, then overrules; the manager confirms compliance; and the caseworker, the manager,
 * the arbiter and an administrator each see the same verified timeline. Every page visited is
 * checked with axe-core against WCAG 2.2 AA. With UPDATE_DOCS_SCREENSHOTS=1 it also renews the
 * README's screenshots in docs/.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import type { AppealView } from '../domain/appeal';
import { ukDateTime } from '../web/dates';
import { harness } from './harness';
import { expectCall } from './support/appeals';
import { axeChecked, checkAccessibility, docsScreenshot, expectCleanConsole, personSignedIn, screenshot } from './support/browser';

const LONDON = 'Europe/London';

async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ').trim();
}

async function errorSummary(page: Page): Promise<string> {
  return (await page.locator('.govuk-error-summary').innerText()).replace(/\s+/g, ' ');
}

/** Click what loads a page, wait for it, and check it with axe. */
async function go(page: Page, target: { click(): Promise<void> }): Promise<void> {
  await Promise.all([page.waitForEvent('load'), target.click()]);
  await checkAccessibility(page);
}

/** From Your work, the appeal's row: its action and the link to its case page, which is followed. */
async function fromYourWork(page: Page, reference: string, action: string): Promise<void> {
  expect(await page.locator('h1').innerText()).to.equal('Your work');
  const row = page.locator('tbody tr', { hasText: reference });
  expect(await row.innerText(), `${reference} in Your work`).to.include(action);
  await checkAccessibility(page);
  await go(page, row.getByRole('link', { name: reference }));
  expect(await page.locator('h1').innerText()).to.equal(`Appeal ${reference}`);
}

describe('pages: one appeal, four people', function () {
  this.timeout(180_000);

  it('is opened, contested, heard, refused an overrule below the thresholds, overruled and complied with, all through the pages; everyone sees the timeline verified', async () => {
    const started = Date.now();
    const checkedBefore = axeChecked.length;
    const tag = `Journey ${randomBytes(3).toString('hex')}`;
    const caseworker = await personSignedIn('caseworker-1');
    const manager = await personSignedIn('manager-ho');
    const arbiter = await personSignedIn('arbiter-1');
    const admin = await personSignedIn('admin-1');

    // ---- the caseworker opens the appeal ----
    let page = caseworker.page;
    await checkAccessibility(page);
    await go(page, page.getByRole('link', { name: 'Appeals', exact: true }));
    await go(page, page.getByRole('button', { name: 'Open an appeal' }));
    expect(await page.locator('h1').innerText()).to.equal('Open an appeal');
    await page.selectOption('#department', 'HO');
    for (const [id, value] of [
      ['parentBody-name', 'HM Passport Office'],
      ['parentBody-managerName', 'Pat Manager'],
      ['parentBody-managerEmail', 'pat.manager@example.gov.uk'],
      ['appellant-name', 'Sam Appellant'],
      ['appellant-email', 'sam.appellant@example.org'],
      ['proposedMutual-name', `${tag} Mutual`],
      ['proposedMutual-service', 'passport processing'],
      ['proposedMutual-staffCount', '120'],
      ['proposedMutual-annualTurnover', '2,500,000'],
      ['requestSubmittedOn-day', '1'],
      ['requestSubmittedOn-month', '10'],
      ['requestSubmittedOn-year', '2025'],
      ['businessCaseSummary', 'A staff-owned mutual taking over passport processing.'],
    ]) {
      await page.fill(`#${id}`, value);
    }
    await page.getByLabel('The parent body refused without reasons').check();
    await go(page, page.getByRole('button', { name: 'Continue' }));
    expect(await page.locator('h1').innerText()).to.equal('Check your answers before opening the appeal');
    expect(await mainText(page)).to.include('Home Office (HO)').and.include(`${tag} Mutual`).and.include('£2,500,000.00');
    await go(page, page.getByRole('button', { name: 'Open the appeal' }));
    expect(await page.locator('.govuk-panel__title').innerText()).to.equal('Appeal opened');
    const reference = await page.locator('.govuk-panel__body strong').innerText();
    expect(reference).to.match(/^MUT-\d{4}-\d{6,}$/);
    await go(page, page.getByRole('link', { name: `Go to appeal ${reference}` }));
    const id = /\/appeals\/([0-9a-f-]{36})$/.exec(page.url())?.[1] as string;
    expect(id, page.url()).to.be.a('string');
    expect(await page.locator('.app-status').innerText()).to.include('Awaiting the manager’s response');

    // ---- the manager contests it ----
    page = manager.page;
    await page.goto('/');
    await fromYourWork(page, reference, 'Respond to the appeal');
    await go(page, page.locator('aside').getByRole('link', { name: 'Respond to the appeal' }));
    await page.getByLabel('Contest').check();
    await page.getByLabel('Your statement').fill('The business case understates the transition costs.');
    await go(page, page.getByRole('button', { name: 'Continue' }));
    expect(await page.locator('h1').innerText()).to.equal('Check your response');
    await go(page, page.getByRole('button', { name: 'Send response' }));
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include('You contested the appeal');
    expect(await page.locator('.app-status').innerText()).to.include('Awaiting a hearing');

    // ---- the caseworker assigns an arbiter: arbiter-2 (home department HO) shown, not selectable ----
    page = caseworker.page;
    await page.goto('/');
    await fromYourWork(page, reference, 'Assign an arbiter');
    await go(page, page.locator('aside').getByRole('link', { name: 'Assign an arbiter' }));
    const conflicted = page.locator('input[name="arbiterId"][value="arbiter-2"]');
    expect(await conflicted.count(), 'the conflicted arbiter is listed').to.equal(1);
    expect(await conflicted.isDisabled(), 'arbiter-2 cannot be chosen').to.equal(true);
    expect(await page.locator(`#${await conflicted.getAttribute('aria-describedby')}`).innerText()).to.include('conflict of interest');
    await docsScreenshot(page, 'assign-arbiter', { height: 680 });
    await page.locator('input[name="arbiterId"][value="arbiter-1"]').check();
    await go(page, page.getByRole('button', { name: 'Assign the arbiter' }));
    expect(await page.locator('.govuk-notification-banner--success').innerText()).to.include('Arbiter arbiter-1 assigned');
    expect(await mainText(page)).to.match(/Arbiter .+ \(arbiter-1\)/);

    // ---- the arbiter schedules the hearing, records it held, is refused an overrule, overrules ----
    page = arbiter.page;
    await page.goto('/');
    await fromYourWork(page, reference, 'Schedule the hearing');
    await go(page, page.locator('aside').getByRole('link', { name: 'Schedule the hearing' }));
    const when = DateTime.now().setZone(LONDON).plus({ days: 7 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
    await page.fill('#scheduledFor-day', String(when.day));
    await page.fill('#scheduledFor-month', String(when.month));
    await page.fill('#scheduledFor-year', String(when.year));
    await page.fill('#scheduledFor-time', '10:00');
    await page.fill('#location', 'Room 101, 102 Petty France');
    await go(page, page.getByRole('button', { name: 'Schedule the hearing' }));
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include(`Hearing scheduled for ${ukDateTime(when.toJSDate())}`);

    await go(page, page.locator('aside').getByRole('link', { name: 'Record the hearing outcome' }));
    await page.getByLabel('Yes, it was held').check();
    await page.getByLabel('Notes (optional)').fill('Both sides heard.');
    await go(page, page.getByRole('button', { name: 'Record the outcome' }));
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include('Hearing recorded as held');

    await go(page, page.locator('aside').getByRole('link', { name: 'Decide the appeal' }));
    expect(await page.locator('aside').innerText()).to.include('At least 2 of 5').and.include('At least 15 of 25');
    const score = async (scores: Record<string, number>) => {
      for (const [criterion, value] of Object.entries(scores)) await page.locator(`input[name="assessment.${criterion}"][value="${value}"]`).check();
    };
    await page.getByLabel('Overrule the managers').check();
    // 1, 4, 3, 3, 3: financial viability below the minimum of 2, the total of 14 below 15.
    await score({ financialViability: 1, serviceQuality: 4, staffSupport: 3, valueForMoney: 3, continuityOfService: 3 });
    await page.getByLabel('Reasons for your decision').fill('The finances are thin, but the service is strong.');
    await go(page, page.getByRole('button', { name: 'Continue' }));
    expect(await page.locator('#overrule-verdict').innerText()).to.include('The thresholds do not allow an overrule');
    const refused = page.waitForResponse((r) => r.url().endsWith('/decision/check') && r.request().method() === 'POST');
    await go(page, page.getByRole('button', { name: 'Record the decision' }));
    expect((await refused).status()).to.equal(422);
    expect(await page.locator('h1').innerText()).to.equal('Decide the appeal');
    expect(await errorSummary(page)).to.include('Financial viability scored 1: an overrule needs at least 2').and.include('The total of 14 is below the 15 an overrule needs');
    await screenshot(page, 'journey-overrule-refused');

    // 3, 4, 3, 3, 4 = 17: every score at least 2, the total at least 15.
    await score({ financialViability: 3, continuityOfService: 4 });
    await go(page, page.getByRole('button', { name: 'Continue' }));
    expect(await page.locator('#overrule-verdict').innerText()).to.include('The thresholds allow an overrule').and.include('the total of 17 is at least 15');
    await go(page, page.getByRole('button', { name: 'Record the decision' }));
    expect(await page.locator('h1').innerText()).to.equal(`Decision on appeal ${reference}`);
    expect(await mainText(page)).to.include('The managers are overruled').and.include('This decision is binding and final');
    await docsScreenshot(page, 'arbiter-decision', { height: 1450 });

    // ---- the manager confirms compliance ----
    page = manager.page;
    await page.goto('/');
    await fromYourWork(page, reference, 'Confirm compliance');
    await go(page, page.locator('aside').getByRole('link', { name: 'Confirm compliance' }));
    await page.getByLabel('How has the parent body carried out the decision?').fill('The mutual took over the service on 1 April.');
    await go(page, page.getByRole('button', { name: 'Continue' }));
    expect(await page.locator('h1').innerText()).to.equal('Check your confirmation');
    await go(page, page.getByRole('button', { name: 'Confirm compliance' }));
    expect(await page.locator('.govuk-panel').innerText()).to.include('Compliance confirmed').and.include(reference);

    // ---- each of the four sees the same timeline, verified ----
    const titles = ['Appeal opened', 'Manager contested the appeal', 'Arbiter assigned', 'Hearing scheduled', 'Hearing held', 'Decision made', 'Compliance confirmed'];
    const timelines: string[] = [];
    for (const person of [caseworker, manager, arbiter, admin]) {
      await person.page.goto(`/appeals/${id}`);
      await checkAccessibility(person.page);
      expect(await person.page.locator('.app-status').innerText(), person.account.sub).to.include('Complied');
      expect(await person.page.locator('.moj-badge').innerText(), person.account.sub).to.match(/verified/i);
      const timeline = await person.page.locator('.moj-timeline').innerText();
      for (const title of titles) expect(timeline, `${person.account.sub} sees “${title}”`).to.include(title);
      timelines.push(timeline);
      expectCleanConsole(person.page);
    }
    expect(new Set(timelines).size, 'the same timeline for all four').to.equal(1);
    await docsScreenshot(caseworker.page, 'case-page', { from: caseworker.page.getByRole('heading', { name: 'Timeline' }), height: 1300 });

    // ---- and the API agrees ----
    const appeal: AppealView = await expectCall(200, 'GET', `/v1/appeals/${id}`, await harness().tokenFor('caseworker', 'caseworker-1'));
    expect(appeal).to.deep.include({ reference, status: 'complied', department: 'HO', arbiterId: 'arbiter-1' });
    expect(appeal.decision).to.deep.include({ outcome: 'overrule', assessment: { financialViability: 3, serviceQuality: 4, staffSupport: 3, valueForMoney: 3, continuityOfService: 4 } });
    const { body: timeline } = await harness().api('GET', `/v1/appeals/${id}/timeline`, { token: await harness().tokenFor('admin', 'admin-1') });
    expect(timeline.verified).to.equal(true);
    expect(timeline.items.map((event: { type: string }) => event.type)).to.include.members(['submitted', 'manager_contested', 'arbiter_assigned', 'hearing_scheduled', 'hearing_held', 'decision_made', 'compliance_confirmed']);

    const checked = axeChecked.length - checkedBefore;
    process.stderr.write(`      [journey] axe: 0 violations on ${checked} pages (${new Set(axeChecked.slice(checkedBefore)).size} distinct paths); ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  });
});
