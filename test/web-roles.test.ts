/**
 * The pages of managers, arbiters and administrators, and the reports, in a real Chromium:
 * people sign in through the local OpenID Connect provider; the appeals each test needs are set
 * up through the API. Every page visited is checked with axe-core against WCAG 2.2 AA.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import type { AppealView } from '../domain/appeal';
import { ukDateTime } from '../web/dates';
import { harness } from './harness';
import { castFor, expectCall, steps, submission, type Cast } from './support/appeals';
import { axeChecked, checkAccessibility, expectCleanConsole, newVisitor, personSignedIn, screenshot, signInAs } from './support/browser';

/** The people around appeals of a seeded department, as the dev accounts the browser signs in as. */
const devCast = (department: string, arbiterId = 'arbiter-1'): Promise<Cast> => castFor(department, { arbiterId, managerSub: `manager-${department.toLowerCase()}` });

/** An appeal taken along the common path through the API to just before `stop`. */
async function appealUpTo(cast: Cast, stop: 'respond' | 'hold' | 'decide' | 'comply'): Promise<AppealView> {
  const path: (keyof typeof steps)[] = ['contest', 'assignArbiter', 'scheduleHearing', 'hold', 'overrule'];
  const count = { respond: 0, hold: 3, decide: 4, comply: 5 }[stop];
  let appeal: AppealView = await expectCall(201, 'POST', '/v1/appeals', cast.caseworker, submission(cast.department));
  for (const step of path.slice(0, count)) appeal = await steps[step](cast, appeal.id);
  return appeal;
}

const readAppeal = async (cast: Cast, id: string): Promise<AppealView> => expectCall(200, 'GET', `/v1/appeals/${id}`, cast.caseworker);

async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ').trim();
}

async function errorSummary(page: Page): Promise<string> {
  return (await page.locator('.govuk-error-summary').innerText()).replace(/\s+/g, ' ');
}

/** Press Tab until the focus is on an element matching `selector` (no mouse). */
async function tabTo(page: Page, selector: string, presses = 80): Promise<void> {
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => (globalThis as any).document.activeElement?.matches(s) === true, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** With the keyboard: Tab into a radio group none of which is chosen (the first takes the focus), then Space or arrows to the one at `position`. */
async function chooseByKeyboard(page: Page, name: string, position: number): Promise<void> {
  await tabTo(page, `input[type="radio"][name="${name}"]`);
  expect(await page.evaluate((n) => (globalThis as any).document.activeElement === (globalThis as any).document.getElementsByName(n)[0], name), `focus on the first of ${name}`).to.equal(true);
  if (position === 0) await page.keyboard.press('Space');
  for (let i = 0; i < position; i++) await page.keyboard.press('ArrowRight');
}

/** Click a button or link that loads a page, and wait for that page (the same address or not). */
async function clickAndLoad(page: Page, target: { click(): Promise<void> }): Promise<void> {
  await Promise.all([page.waitForEvent('load'), target.click()]);
}

/** Press a key that sends a form, and wait for the page it answers with (the same address or not). */
async function pressAndLoad(page: Page, key = 'Enter'): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.keyboard.press(key)]);
}

describe('pages: managers, arbiters, administrators and reports', function () {
  this.timeout(90_000);
  let started = 0;
  before(() => {
    started = Date.now();
  });
  after(() => {
    process.stderr.write(`      [role pages] axe: 0 violations on ${axeChecked.length} pages so far this run; ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  });

  describe('a manager', () => {
    it('contests an appeal: the form refuses a blank answer, check your answers, change, send; the case page says so', async () => {
      const cast = await devCast('HO');
      const appeal = await appealUpTo(cast, 'respond');
      const { page } = await personSignedIn('manager-ho');
      await page.goto(`/appeals/${appeal.id}`);
      await clickAndLoad(page, page.getByRole('link', { name: 'Respond to the appeal' }));
      expect(await page.locator('h1').innerText()).to.equal('Respond to the appeal');
      expect(await mainText(page)).to.include(`Your response is due by ${ukDateTime(appeal.deadlines.managerResponseDue as string)}`);
      await checkAccessibility(page);

      await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));
      expect(await page.title()).to.match(/^Error: /);
      expect(await errorSummary(page)).to.include('Select whether you concede or contest the appeal').and.include('Enter your statement');
      await checkAccessibility(page);

      await page.getByLabel('Contest').check();
      await page.getByLabel('Your statement').fill('The business case understates the transition costs.');
      await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));
      expect(await page.locator('h1').innerText()).to.equal('Check your response');
      expect(await mainText(page)).to.include('Contest: an arbiter will hear the appeal').and.include('The business case understates the transition costs.');
      await checkAccessibility(page);

      await clickAndLoad(page, page.getByRole('link', { name: 'Change statement' }));
      expect(await page.getByLabel('Your statement').inputValue()).to.equal('The business case understates the transition costs.');
      expect(await page.getByLabel('Contest').isChecked()).to.equal(true);
      await page.getByLabel('Your statement').fill('We gave it due consideration:\nthe transition costs are understated.');
      await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));
      expect(await mainText(page)).to.include('the transition costs are understated.');
      await clickAndLoad(page, page.getByRole('button', { name: 'Send response' }));

      await page.waitForURL(`**/appeals/${appeal.id}`);
      expect(await page.locator('.govuk-notification-banner').innerText()).to.include('You contested the appeal');
      expect(await page.locator('.app-status').innerText()).to.include('Awaiting a hearing');
      expect(await page.locator('.moj-timeline').innerText()).to.include('Manager contested the appeal').and.include('the transition costs are understated.');
      await checkAccessibility(page);
      expectCleanConsole(page);
      expect((await readAppeal(cast, appeal.id)).status).to.equal('awaiting_hearing');
    });

    it('concedes a second appeal', async () => {
      const cast = await devCast('HO');
      const appeal = await appealUpTo(cast, 'respond');
      const { page } = await personSignedIn('manager-ho');
      await page.goto(`/appeals/${appeal.id}/manager-response`);
      await page.getByLabel('Concede').check();
      await page.getByLabel('Your statement').fill('We will support the spin-out.');
      await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));
      expect(await mainText(page)).to.include('Concede: the parent body will support the spin-out');
      await clickAndLoad(page, page.getByRole('button', { name: 'Send response' }));
      await page.waitForURL(`**/appeals/${appeal.id}`);
      expect(await page.locator('.govuk-notification-banner').innerText()).to.include('You conceded the appeal');
      expect(await page.locator('.app-status').innerText()).to.include('Conceded');
      expect(await page.locator('aside').innerText()).to.include('There is nothing for you to do on this appeal now');
      await checkAccessibility(page);
      expect((await readAppeal(cast, appeal.id)).status).to.equal('conceded');
    });

    it('is told the appeal is no longer awaiting a response when it moved on while they checked their answers (409)', async () => {
      const cast = await devCast('HO');
      const appeal = await appealUpTo(cast, 'respond');
      const { page } = await personSignedIn('manager-ho');
      await page.goto(`/appeals/${appeal.id}/manager-response`);
      await page.getByLabel('Contest').check();
      await page.getByLabel('Your statement').fill('We contest it.');
      await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));
      await steps.withdraw(cast, appeal.id);
      const refused = page.waitForResponse((r) => r.url().endsWith('/check') && r.request().method() === 'POST');
      await clickAndLoad(page, page.getByRole('button', { name: 'Send response' }));
      expect((await refused).status()).to.equal(409);
      expect(await page.locator('h1').innerText()).to.equal('Check your response');
      expect(await errorSummary(page)).to.include('This appeal is no longer awaiting the manager’s response: its status is now ‘Withdrawn’');
      expect(await page.getByRole('button', { name: 'Send response' }).count(), 'nothing to send again').to.equal(0);
      await checkAccessibility(page);
      expect((await readAppeal(cast, appeal.id)).status).to.equal('withdrawn');

      const form = await page.goto(`/appeals/${appeal.id}/manager-response`);
      expect(form?.status()).to.equal(409);
      expect(await mainText(page)).to.include('This appeal is not awaiting the manager’s response: its status is ‘Withdrawn’');
      await checkAccessibility(page);
    });

    it('confirms compliance with an overrule: statement, check your answers, confirmation', async () => {
      const cast = await devCast('HO');
      const appeal = await appealUpTo(cast, 'comply');
      expect(appeal.status).to.equal('awaiting_compliance');
      const { page } = await personSignedIn('manager-ho');
      await page.goto(`/appeals/${appeal.id}`);
      await clickAndLoad(page, page.getByRole('link', { name: 'Confirm compliance' }));
      expect(await mainText(page)).to.include(`by ${ukDateTime(appeal.deadlines.complianceDue as string)}`);
      await checkAccessibility(page);
      await page.getByLabel('How has the parent body carried out the decision?').fill('The mutual took over the service on 1 April.');
      await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));
      expect(await page.locator('h1').innerText()).to.equal('Check your confirmation');
      await checkAccessibility(page);
      await clickAndLoad(page, page.getByRole('button', { name: 'Confirm compliance' }));
      await page.waitForURL(`**/appeals/${appeal.id}/compliance/confirmed`);
      expect(await page.locator('.govuk-panel').innerText()).to.include('Compliance confirmed').and.include(appeal.reference);
      await checkAccessibility(page);
      expect((await readAppeal(cast, appeal.id)).status).to.equal('complied');
    });
  });

  describe('an arbiter', () => {
    it('adjourns a hearing to a new UK date and time (a past or unreal one refused), then records it held', async () => {
      const cast = await devCast('DFE');
      const appeal = await appealUpTo(cast, 'hold');
      const { page } = await personSignedIn('arbiter-1');
      await page.goto(`/appeals/${appeal.id}`);
      await clickAndLoad(page, page.getByRole('link', { name: 'Record the hearing outcome' }));
      await checkAccessibility(page);

      const fillDate = async (date: { day: string; month: string; year: string; time: string }) => {
        await page.getByLabel('No, it was adjourned to a new date').check();
        await page.getByLabel('Day').fill(date.day);
        await page.getByLabel('Month').fill(date.month);
        await page.getByLabel('Year').fill(date.year);
        await page.getByLabel('Time (UK time)').fill(date.time);
        await clickAndLoad(page, page.getByRole('button', { name: 'Record the outcome' }));
      };
      await fillDate({ day: '31', month: '2', year: '2031', time: '10:00' });
      expect(await errorSummary(page)).to.include('Enter a real date and time for the adjourned hearing');
      expect(await page.getByLabel('Day').inputValue(), 'kept as typed').to.equal('31');
      await checkAccessibility(page);
      await fillDate({ day: '2', month: '1', year: '2020', time: '10:00' });
      expect(await errorSummary(page)).to.include('The new date and time of the hearing must be in the future');

      const when = DateTime.now().setZone('Europe/London').plus({ days: 3 }).set({ hour: 14, minute: 30, second: 0, millisecond: 0 });
      await fillDate({ day: String(when.day), month: String(when.month), year: String(when.year), time: '2:30pm' });
      await page.waitForURL(`**/appeals/${appeal.id}`);
      expect(await page.locator('.govuk-notification-banner').innerText()).to.include('Hearing adjourned').and.include(ukDateTime(when.toJSDate()));
      await checkAccessibility(page);
      const adjourned = await readAppeal(cast, appeal.id);
      expect(adjourned.status).to.equal('hearing_scheduled');
      expect(Date.parse(adjourned.hearing?.scheduledFor as string)).to.equal(when.toMillis());

      await clickAndLoad(page, page.getByRole('link', { name: 'Record the hearing outcome' }));
      await page.getByLabel('Yes, it was held').check();
      await page.getByLabel('Notes (optional)').fill('Both sides heard.');
      await clickAndLoad(page, page.getByRole('button', { name: 'Record the outcome' }));
      await page.waitForURL(`**/appeals/${appeal.id}`);
      expect(await page.locator('.govuk-notification-banner').innerText()).to.include('Hearing recorded as held');
      expect(await page.locator('.app-status').innerText()).to.include('Awaiting the decision');
      expect((await readAppeal(cast, appeal.id)).status).to.equal('awaiting_decision');
    });

    it('decides with the keyboard only: an overrule below the thresholds is refused naming the criterion, a valid one is sealed, the same check page in a second tab takes it once, another decision is refused', async () => {
      const cast = await devCast('DFE');
      const appeal = await appealUpTo(cast, 'decide');
      const { context, page } = await personSignedIn('arbiter-1');
      await page.goto(`/appeals/${appeal.id}/decision`);
      expect(await page.locator('h1').innerText()).to.equal('Decide the appeal');
      const thresholds = await page.locator('aside').innerText();
      expect(thresholds).to.include('Version 1 of DFE’s policy').and.include('At least 2 of 5').and.include('At least 15 of 25');
      expect(await page.locator('#assessment-financialViability-hint').innerText()).to.equal('At least 2 of 5 to overrule');
      await checkAccessibility(page);
      await screenshot(page, 'decision-form');

      // Scores 1, 4, 3, 3, 3: financial viability is below the minimum of 2 (the total, 14, below 15).
      await chooseByKeyboard(page, 'outcome', 0);
      for (const [criterion, score] of [['financialViability', 1], ['serviceQuality', 4], ['staffSupport', 3], ['valueForMoney', 3], ['continuityOfService', 3]] as const) {
        await chooseByKeyboard(page, `assessment.${criterion}`, score);
      }
      await tabTo(page, '#reasons');
      await page.keyboard.type('The finances are thin, but the service is strong.');
      await tabTo(page, 'main form button');
      await pressAndLoad(page);
      expect(page.url()).to.match(/\/decision\/check$/);
      expect(await page.locator('h1').innerText()).to.equal('Check your decision');
      const verdict = await page.locator('#overrule-verdict').innerText();
      expect(verdict).to.include('The thresholds do not allow an overrule').and.include('Financial viability scored 1: an overrule needs at least 2').and.include('The total of 14 is below the 15 an overrule needs');
      await checkAccessibility(page);
      await screenshot(page, 'decision-check-not-allowed');

      await tabTo(page, 'form[action$="/check"] button');
      await pressAndLoad(page);
      expect(await page.locator('h1').innerText()).to.equal('Decide the appeal');
      expect(await errorSummary(page)).to.include('Financial viability scored 1: an overrule needs at least 2').and.include('The total of 14 is below the 15 an overrule needs');
      expect(await page.locator('#assessment-financialViability-error').innerText()).to.include('Financial viability scored 1');
      expect(await page.locator('input[name="assessment.serviceQuality"][value="4"]').isChecked(), 'the answers are kept').to.equal(true);
      expect((await readAppeal(cast, appeal.id)).status, 'nothing recorded').to.equal('awaiting_decision');
      await checkAccessibility(page);

      // Financial viability up to 3, continuity of service up to 4: 3, 4, 3, 3, 4 = 17.
      await tabTo(page, 'input[name="assessment.financialViability"]:checked');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await tabTo(page, 'input[name="assessment.continuityOfService"]:checked');
      await page.keyboard.press('ArrowRight');
      await tabTo(page, 'main form button');
      await pressAndLoad(page);
      expect(await page.locator('#overrule-verdict').innerText()).to.include('The thresholds allow an overrule').and.include('the total of 17 is at least 15');
      await checkAccessibility(page);
      await screenshot(page, 'decision-check');

      const secondTab = await context.newPage();
      await secondTab.goto(`/appeals/${appeal.id}/decision/check`);
      expect(await secondTab.locator('h1').innerText()).to.equal('Check your decision');

      await tabTo(page, 'form[action$="/check"] button');
      await pressAndLoad(page);
      expect(page.url()).to.match(/\/decision$/);
      expect(await page.locator('.govuk-notification-banner').innerText()).to.include('Decision recorded');
      expect(await page.locator('h1').innerText()).to.equal(`Decision on appeal ${appeal.reference}`);
      const sealed = await mainText(page);
      expect(sealed).to.include('This decision is binding and final').and.include('The managers are overruled').and.include('The finances are thin, but the service is strong.');
      const scores = await page.locator('table').innerText();
      expect(scores).to.match(/Financial viability\s+3\s+2\s+Yes/).and.match(/Total\s+17\s+15\s+Yes/);
      expect(await page.locator('form[action$="/decision"]').count(), 'no form on a sealed decision').to.equal(0);
      await checkAccessibility(page);
      await screenshot(page, 'decision-sealed');
      const decided = await readAppeal(cast, appeal.id);
      expect(decided.status).to.equal('awaiting_compliance');
      expect(decided.decision).to.deep.include({ outcome: 'overrule', assessment: { financialViability: 3, serviceQuality: 4, staffSupport: 3, valueForMoney: 3, continuityOfService: 4 } });

      // The same check page in a second tab stands for the same request: answered again, not taken twice.
      await secondTab.getByRole('button', { name: 'Record the decision' }).press('Enter');
      await secondTab.waitForURL(`**/appeals/${appeal.id}/decision`);
      expect(await secondTab.locator('h1').innerText()).to.equal(`Decision on appeal ${appeal.reference}`);
      await checkAccessibility(secondTab);
      await secondTab.close();
      await expectCall(409, 'POST', `/v1/appeals/${appeal.id}/decision`, cast.arbiter, { outcome: 'dismiss', assessment: decided.decision?.assessment, reasons: 'Again.' });
      expect((await readAppeal(cast, appeal.id)).decision).to.deep.equal(decided.decision);
    });

    it('dismisses an appeal without JavaScript: the form, check your decision and the sealed decision all work', async () => {
      const cast = await devCast('DFE');
      const appeal = await appealUpTo(cast, 'decide');
      const visitor = await newVisitor({ javaScriptEnabled: false });
      try {
        const { page } = await signInAs('arbiter-1', visitor);
        await page.goto(`/appeals/${appeal.id}/decision`);
        await page.getByLabel('Dismiss the appeal').check();
        for (const [criterion, score] of Object.entries({ financialViability: 1, serviceQuality: 2, staffSupport: 2, valueForMoney: 1, continuityOfService: 2 })) {
          await page.locator(`input[name="assessment.${criterion}"][value="${score}"]`).check();
        }
        await page.getByLabel('Reasons for your decision').fill('The business case does not hold up.');
        await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));
        // (axe needs JavaScript in the page: the same pages are checked with it in the tests above.)
        expect(await page.locator('#overrule-verdict').innerText()).to.include('The thresholds do not allow an overrule').and.not.include('The engine will refuse');
        await clickAndLoad(page, page.getByRole('button', { name: 'Record the decision' }));
        expect(await mainText(page)).to.include('The appeal is dismissed').and.include('This decision is binding and final');
        expect(await page.locator('table').innerText()).to.match(/Total\s+8\s+15\s+No/);
        expect((await readAppeal(cast, appeal.id)).status).to.equal('dismissed');
      } finally {
        await visitor.context.close();
      }
    });

    it('cannot open the decision form of an appeal not assigned to them (404); a caseworker is refused it (403)', async () => {
      const cast = await devCast('DFE', 'arbiter-2');
      const appeal = await appealUpTo(cast, 'decide');
      const { page } = await personSignedIn('arbiter-1');
      for (const path of [`/appeals/${appeal.id}/decision`, `/appeals/${appeal.id}/decision/check`, `/appeals/${appeal.id}/hearing/outcome`]) {
        const answer = await page.goto(path);
        expect(answer?.status(), path).to.equal(404);
        expect(await page.locator('h1').innerText()).to.equal('Page not found');
      }
      const posted = await page.request.post(`/appeals/${appeal.id}/decision`, { form: { outcome: 'dismiss' }, maxRedirects: 0 });
      expect(posted.status(), 'refused (no CSRF token, and not theirs)').to.be.oneOf([403, 404]);
      await checkAccessibility(page);

      const caseworker = await personSignedIn('caseworker');
      const refused = await caseworker.page.goto(`/appeals/${appeal.id}/decision`);
      expect(refused?.status()).to.equal(403);
      expect(await caseworker.page.locator('h1').innerText()).to.equal('You cannot decide the appeal');
      expect(await mainText(caseworker.page)).to.include('This is for arbiters only');
      await checkAccessibility(caseworker.page);
      expect((await readAppeal(cast, appeal.id)).status).to.equal('awaiting_decision');
    });
  });

  describe('an administrator', () => {
    it('adds a department (a code in use refused), changes its policy with a preview of the due date, and sees version 2', async () => {
      const { page } = await personSignedIn('admin');
      await clickAndLoad(page, page.getByRole('link', { name: 'Departments' }));
      expect(await page.locator('h1').innerText()).to.equal('Departments and their policies');
      const home = page.locator('.govuk-summary-card', { hasText: 'Home Office (HO)' });
      expect(await home.innerText()).to.include('20 working days (England and Wales bank holidays)').and.include('At least 2 on each criterion and 15 in total');
      await checkAccessibility(page);
      await screenshot(page, 'admin-departments');

      await clickAndLoad(page, page.getByRole('button', { name: 'Add a department' }));
      await page.getByLabel('Code').fill('HO');
      await page.getByLabel('Name').fill('Home Office again');
      await clickAndLoad(page, page.getByRole('button', { name: 'Add the department' }));
      expect(await errorSummary(page)).to.include('There is already a department with the code HO');
      await checkAccessibility(page);
      const code = `W${randomBytes(3).toString('hex').toUpperCase()}`;
      await page.getByLabel('Code').fill(code.toLowerCase());
      await page.getByLabel('Name').fill('Work and Pensions');
      await clickAndLoad(page, page.getByRole('button', { name: 'Add the department' }));
      await page.waitForURL('**/admin/departments');
      expect(await page.locator('.govuk-notification-banner').innerText()).to.include(`Work and Pensions (${code}) added`);

      await clickAndLoad(page, page.getByRole('link', { name: 'Change the policy of Work and Pensions' }));
      expect(await page.locator('h1').innerText()).to.equal('Change the policy');
      expect(await page.locator('#managerResponse-amount').inputValue()).to.equal('20');
      await checkAccessibility(page);
      await screenshot(page, 'admin-policy');
      await page.locator('#managerResponse-amount').fill('0');
      await page.locator('#overruleMinimumEach').fill('six');
      await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));
      expect(await errorSummary(page)).to.include('Enter the manager’s response period as a whole number of at least 1').and.include('Enter the minimum score on each criterion as a whole number from 0 to 5');
      await checkAccessibility(page);
      await page.locator('#managerResponse-amount').fill('15');
      await page.locator('#overruleMinimumEach').fill('3');
      await page.locator('#reminders-2-amount').fill('12');
      await page.locator('#reminders-2-unit').selectOption('hours');
      await page.getByLabel('Scotland').check();
      await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }));

      expect(await page.locator('h1').innerText()).to.equal('Check the new policy');
      const checked = await mainText(page);
      expect(checked).to.include('15 working days (Scotland bank holidays) Was: 20 working days (England and Wales bank holidays)').and.include('5 working days, 1 working day, 12 hours');
      const preview = (await page.locator('.govuk-inset-text').innerText()).replace(/\s+/g, ' ');
      const due = /due by (.+)\.$/.exec(preview)?.[1];
      expect(due, preview).to.be.a('string');
      await checkAccessibility(page);
      await screenshot(page, 'admin-policy-check');
      await clickAndLoad(page, page.getByRole('button', { name: 'Save as version 2' }));
      await page.waitForURL('**/admin/departments');
      expect(await page.locator('.govuk-notification-banner').innerText()).to.include('The policy of Work and Pensions is now version 2');
      const card = await page.locator('.govuk-summary-card', { hasText: `Work and Pensions (${code})` }).innerText();
      expect(card).to.include('Version 2').and.include('15 working days (Scotland bank holidays)').and.include('At least 3 on each criterion');

      const cast = await devCast(code);
      const opened: AppealView = await expectCall(201, 'POST', '/v1/appeals', cast.caseworker, submission(code));
      expect(opened.policyVersion).to.equal(2);
      expect(ukDateTime(opened.deadlines.managerResponseDue as string), 'the preview said what the policy then did').to.equal(due);
    });

    it('writes the guidance for parent bodies, which the register publishes as the next version, HTML shown as typed', async () => {
      const { page } = await personSignedIn('admin');
      await page.goto('/admin/departments');
      await clickAndLoad(page, page.getByRole('link', { name: 'Write the guidance for parent bodies of Justice' }));
      expect(await page.locator('h1').innerText()).to.equal('Guidance for parent bodies');
      await page.getByLabel('Guidance').fill('   ');
      await clickAndLoad(page, page.getByRole('button', { name: 'Publish the guidance' }));
      expect(await errorSummary(page)).to.include('Enter the guidance, in at most 20,000 characters');
      await checkAccessibility(page);
      await screenshot(page, 'admin-guidance');
      await page.getByLabel('Guidance').fill('## Before you answer\n\n- Meet the staff who asked\n- Read their **business case**\n\n<b>not bold</b>');
      await clickAndLoad(page, page.getByRole('button', { name: 'Publish the guidance' }));
      await page.waitForURL('**/admin/departments');
      expect(await page.locator('.govuk-notification-banner').innerText()).to.match(/The guidance of Justice is published with policy version \d+/);
      await page.goto('/register/departments/MOJ');
      await page.getByRole('heading', { name: 'Before you answer' }).waitFor();
      expect(await page.locator('.app-guidance strong').innerText()).to.equal('business case');
      expect(await page.locator('.app-guidance').innerText()).to.include('<b>not bold</b>');
      await checkAccessibility(page);
    });

    it('adds an arbiter to the register; the same id again is refused', async () => {
      const { page } = await personSignedIn('admin');
      await clickAndLoad(page, page.getByRole('link', { name: 'Arbiters' }));
      expect(await page.locator('h1').innerText()).to.equal('Arbiter register');
      expect(await page.locator('table').innerText()).to.include('Sam Okafor').and.include('Home Office (HO)');
      await checkAccessibility(page);
      const id = `arbiter-${randomBytes(3).toString('hex')}`;
      const add = async () => {
        await page.goto('/admin/arbiters/new');
        await page.getByLabel('User id').fill(id);
        await page.getByLabel('Full name').fill('Jo Marsh');
        await page.getByLabel('Email address').fill(`${id}@arbiters.example.org`);
        await page.getByLabel('Home department (optional)').selectOption('MOJ');
        await clickAndLoad(page, page.getByRole('button', { name: 'Add the arbiter' }));
      };
      await add();
      await page.waitForURL('**/admin/arbiters');
      expect(await page.locator('.govuk-notification-banner').innerText()).to.include('Jo Marsh added to the register');
      expect(await page.locator('tr', { hasText: id }).innerText()).to.include('Jo Marsh').and.include('Justice (MOJ)');
      await add();
      expect(await errorSummary(page)).to.include(`An arbiter with the id ${id} is already in the register`);
      expect(await page.getByLabel('Full name').inputValue(), 'kept as typed').to.equal('Jo Marsh');
      await checkAccessibility(page);
      const { body } = await harness().api('GET', '/v1/arbiters', { token: await harness().tokenFor('admin', 'admin-1') });
      expect(body.items.filter((a: { id: string }) => a.id === id)).to.have.length(1);
    });

    it('is the only one who may change policies', async () => {
      const { page } = await personSignedIn('caseworker');
      const refused = await page.goto('/admin/departments/HO/policy');
      expect(refused?.status()).to.equal(403);
      expect(await mainText(page)).to.include('It is for administrators only');
      await checkAccessibility(page);
    });
  });

  describe('reports', () => {
    it('shows the summary as accessible charts, each with its table', async () => {
      const cast = await devCast('MOJ');
      await steps.dismiss(cast, (await appealUpTo(cast, 'decide')).id);
      await appealUpTo(cast, 'respond');
      const { page } = await personSignedIn('caseworker');
      await clickAndLoad(page, page.getByRole('link', { name: 'Reports' }));
      expect(await page.locator('h1').innerText()).to.equal('Reports');
      const charts = page.locator('main svg[role="img"]');
      expect(await charts.count()).to.be.at.least(3);
      for (const chart of await charts.all()) {
        const labelled = (await chart.getAttribute('aria-labelledby'))?.split(' ') ?? [];
        expect(labelled).to.have.length(2);
        expect(await chart.locator(`title#${labelled[0]}`).textContent()).to.not.equal('');
        expect(await chart.locator(`desc#${labelled[1]}`).textContent()).to.not.equal('');
      }
      const byStatus = page.locator('#by-status-heading + .app-chart-frame svg');
      expect(await byStatus.locator('text').allTextContents()).to.include.members(['Justice (MOJ)', 'Dismissed', 'Awaiting the manager’s response']);
      const report = (await harness().api('GET', '/v1/reports/summary', { token: cast.caseworker })).body;
      const moj = report.items.find((item: { department: string }) => item.department === 'MOJ');
      const row = page.locator('section[aria-labelledby="by-status-heading"] tr', { hasText: 'Justice (MOJ)' });
      expect(await row.locator('td').last().innerText()).to.equal(String(moj.total));
      expect(await page.locator('section[aria-labelledby="overrules-heading"] table').innerText()).to.include('Justice (MOJ)');
      await checkAccessibility(page);
      expectCleanConsole(page);
      await screenshot(page, 'reports');

      const manager = await personSignedIn('manager-moj');
      expect((await manager.page.goto('/reports'))?.status()).to.equal(403);
    });
  });
});
