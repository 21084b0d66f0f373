/**
 * The caseworker's pages in a real Chromium, signed in through the local identity provider: the
 * list of appeals (filters, pages back and forth), opening an appeal (errors on their fields, check
 * your answers, confirmation; one appeal however often it is submitted), and steering one: assign
 * an arbiter (the conflicted one not selectable), schedule the hearing, extend a deadline,
 * withdraw, read the notices. Every refusal of the engine shows in the error summary; every page
 * visited is checked with axe-core against WCAG 2.2 AA.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import type { AppealView } from '../domain/appeal';
import { ukDateTime } from '../web/dates';
import { harness } from './harness';
import { axeChecked, checkAccessibility, expectCleanConsole, personSignedIn, screenshot } from './support/browser';
import { createDepartment, expectCall, seconds, submission } from './support/appeals';

const LONDON = 'Europe/London';

/** Open an appeal over the API (with a mutual's name of the test's choosing), optionally contested by its manager. */
async function appealIn(department: string, { mutual, contested = false }: { mutual?: string; contested?: boolean } = {}): Promise<AppealView> {
  const { tokenFor } = harness();
  const body = submission(department);
  if (mutual) body.proposedMutual = { ...(body.proposedMutual as object), name: mutual };
  const opened: AppealView = await expectCall(201, 'POST', '/v1/appeals', await tokenFor('caseworker', 'caseworker-1'), body);
  if (!contested) return opened;
  const manager = await tokenFor('manager', `manager-${department.toLowerCase()}`, department);
  return expectCall(200, 'POST', `/v1/appeals/${opened.id}/manager-response`, manager, { position: 'contest', statement: 'We gave it due consideration.' });
}

const caseworkerApi = async (path: string) => expectCall(200, 'GET', path, await harness().tokenFor('caseworker', 'caseworker-1'));

async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ').trim();
}

async function errorSummary(page: Page): Promise<string[]> {
  return page.locator('.govuk-error-summary__list li').allInnerTexts();
}

/** Fill a GOV.UK date input (and the time, when given) from London's calendar. */
async function fillDate(page: Page, name: string, when: DateTime, time?: string): Promise<void> {
  await page.fill(`#${name}-day`, String(when.day));
  await page.fill(`#${name}-month`, String(when.month));
  await page.fill(`#${name}-year`, String(when.year));
  if (time) await page.fill(`#${name}-time`, time);
}

describe('pages: the caseworker', function () {
  this.timeout(90_000);
  let started = 0;
  before(() => {
    started = Date.now();
  });
  after(() => {
    process.stderr.write(`      [caseworker pages] axe: 0 violations on ${axeChecked.length} pages so far this run (${[...new Set(axeChecked)].length} distinct paths); ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  });

  describe('all appeals', () => {
    it('filters by status and text search, and pages forwards and back with a small limit', async () => {
      const tag = `Lighthouse ${randomBytes(3).toString('hex')}`;
      const opened: AppealView[] = [];
      for (let i = 0; i < 5; i++) opened.push(await appealIn('DFE', { mutual: `${tag} Mutual ${i}`, contested: i >= 3 }));
      const awaiting = opened.slice(0, 3).reverse(); // newest first
      const { page } = await personSignedIn('caseworker');

      await page.getByRole('link', { name: 'Appeals', exact: true }).click();
      expect(await page.locator('h1').innerText()).to.equal('Appeals');
      await checkAccessibility(page);
      await page.goto('/appeals?limit=2');
      await page.selectOption('#status', 'awaiting_manager_response');
      await page.fill('#q', tag.toLowerCase());
      await page.getByRole('button', { name: 'Apply filters' }).click();

      const references = () => page.locator('tbody tr td:first-child a').allInnerTexts();
      expect(await references()).to.deep.equal(awaiting.slice(0, 2).map((a) => a.reference));
      const firstRow = await page.locator('tbody tr').first().innerText();
      expect(firstRow).to.include(`${tag} Mutual 2`).and.include('DFE').and.include('Awaiting the manager’s response').and.include(ukDateTime(awaiting[0].deadlines.managerResponseDue as string));
      const selected = await page.locator('.moj-filter__selected').innerText();
      expect(selected).to.include('Awaiting the manager’s response').and.include(`“${tag.toLowerCase()}”`);
      expect(await page.locator('.govuk-pagination__prev').count(), 'no page before the first').to.equal(0);
      await checkAccessibility(page);
      await screenshot(page, 'appeals-list');
      // MOJ's sortable table sorts the rows of this page in the browser, and says so.
      await page.locator('thead').getByRole('button', { name: 'Appeal' }).click();
      expect(await references()).to.deep.equal(awaiting.slice(0, 2).map((a) => a.reference).reverse());
      expect(await page.locator('thead th').first().getAttribute('aria-sort')).to.equal('ascending');

      await page.getByRole('link', { name: /Next/ }).click();
      expect(await references()).to.deep.equal([awaiting[2].reference]);
      expect(await page.locator('.govuk-pagination__next').count(), 'no page after the last').to.equal(0);
      await checkAccessibility(page);
      await page.getByRole('link', { name: /Previous/ }).click();
      expect(await references()).to.deep.equal(awaiting.slice(0, 2).map((a) => a.reference));

      await page.locator('.moj-filter__tag', { hasText: 'Awaiting the manager’s response' }).click();
      expect(new URL(page.url()).searchParams.get('status')).to.equal(null);
      expect(await references()).to.deep.equal([opened[4].reference, opened[3].reference]);
      expect(await page.locator('tbody tr').first().innerText()).to.include('Awaiting a hearing');
      expectCleanConsole(page);
    });

    it('filters by department and overdue, and tags an overdue appeal', async () => {
      const department = await createDepartment({ hearingWithin: seconds(1) });
      const late = await appealIn(department, { contested: true });
      const bound = Date.now() + 30_000;
      while (!(await caseworkerApi(`/v1/appeals/${late.id}`)).overdue) {
        if (Date.now() > bound) throw new Error('the appeal never became overdue');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const { page } = await personSignedIn('caseworker');
      await page.goto('/appeals');
      await page.selectOption('#department', department);
      await page.getByLabel('Only overdue appeals').check();
      await page.getByRole('button', { name: 'Apply filters' }).click();
      const asked = new URL(page.url()).searchParams;
      expect([asked.get('department'), asked.get('overdue')]).to.deep.equal([department, 'true']);
      const rows = await page.locator('tbody tr').allInnerTexts();
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include(late.reference).and.include('Overdue').and.include('Awaiting a hearing');
      await checkAccessibility(page);
    });

    it('shows a filter the API refuses in the error summary, on its field', async () => {
      const { page } = await personSignedIn('caseworker');
      const response = await page.goto(`/appeals?q=${'x'.repeat(201)}`);
      expect(response?.status()).to.equal(400);
      expect(await errorSummary(page)).to.deep.equal(['The search must be 200 characters or fewer']);
      expect(await page.locator('#q').inputValue()).to.equal('x'.repeat(201));
      await checkAccessibility(page);
    });

    it('shows a manager only their department\'s appeals, without a department filter', async () => {
      const theirs = await appealIn('MOJ');
      const elsewhere = await appealIn('BIS');
      const { page } = await personSignedIn('manager-moj');
      await page.goto(`/appeals?q=${theirs.reference}`);
      expect(await mainText(page)).to.include(theirs.reference).and.include('The appeals of your department (MOJ)');
      expect(await page.locator('#department').count()).to.equal(0);
      await page.goto(`/appeals?q=${elsewhere.reference}`);
      expect(await mainText(page)).to.include('No appeals match these filters');
      await checkAccessibility(page);
    });
  });

  describe('opening an appeal', () => {
    it('shows errors on their fields keeping what was typed, checks the answers, lets one be changed, and opens one appeal', async () => {
      const tag = `Harbour ${randomBytes(3).toString('hex')}`;
      const { page } = await personSignedIn('caseworker');
      await page.goto('/appeals');
      await page.getByRole('button', { name: 'Open an appeal' }).click();
      expect(await page.locator('h1').innerText()).to.equal('Open an appeal');
      await checkAccessibility(page);

      await page.selectOption('#department', 'HO');
      await page.fill('#parentBody-name', 'HM Passport Office');
      await page.fill('#parentBody-managerName', 'Pat Manager');
      await page.fill('#parentBody-managerEmail', 'pat at passports');
      await page.fill('#appellant-name', 'Sam Appellant');
      await page.fill('#appellant-email', 'sam.appellant@example.org');
      await page.fill('#proposedMutual-name', `${tag} Services`);
      await page.fill('#proposedMutual-service', 'passport processing');
      await page.fill('#proposedMutual-staffCount', 'about a hundred');
      await page.fill('#proposedMutual-annualTurnover', '2,500,000.50');
      await page.getByLabel('The parent body refused without reasons').check();
      await page.fill('#requestSubmittedOn-day', '1');
      await page.fill('#requestSubmittedOn-month', '10');
      await page.fill('#requestSubmittedOn-year', '2025');
      await page.getByRole('button', { name: 'Continue' }).click();

      expect(await page.title()).to.match(/^Error: Open an appeal/);
      expect(await errorSummary(page)).to.deep.equal([
        'Enter the manager’s email address in the correct format, like name@example.gov.uk',
        'Enter the number of staff as a whole number, like 120',
        'Enter a summary of the business case',
      ]);
      expect(await page.locator('.govuk-error-summary a').first().getAttribute('href')).to.equal('#parentBody-managerEmail');
      expect(await page.locator('#parentBody-managerEmail-error').innerText()).to.include('in the correct format');
      expect(await page.locator('#parentBody-managerEmail').inputValue(), 'what was typed is kept').to.equal('pat at passports');
      expect(await page.locator('#proposedMutual-name').inputValue()).to.equal(`${tag} Services`);
      expect(await page.locator('#proposedMutual-annualTurnover').inputValue()).to.equal('2,500,000.50');
      expect(await page.locator('#department').inputValue()).to.equal('HO');
      expect(await page.getByLabel('The parent body refused without reasons').isChecked()).to.equal(true);
      expect(await page.locator('#requestSubmittedOn-year').inputValue()).to.equal('2025');
      await checkAccessibility(page);
      await screenshot(page, 'open-appeal-errors');

      await page.fill('#parentBody-managerEmail', 'pat.manager@example.gov.uk');
      await page.fill('#proposedMutual-staffCount', '1,200');
      await page.fill('#businessCaseSummary', 'A staff-owned mutual taking over passport processing.\nIt keeps every office open.');
      await page.getByRole('button', { name: 'Continue' }).click();

      expect(await page.locator('h1').innerText()).to.equal('Check your answers before opening the appeal');
      const answers = await mainText(page);
      expect(answers).to.include('Home Office (HO)').and.include('pat.manager@example.gov.uk').and.include('1,200').and.include('£2,500,000.50');
      expect(answers).to.include('The parent body refused without reasons').and.include('1 October 2025').and.include(`${tag} Services`);
      await checkAccessibility(page);
      await screenshot(page, 'check-your-answers');

      await page.getByRole('link', { name: 'Change name of the proposed mutual' }).click();
      expect(new URL(page.url()).hash).to.equal('#proposedMutual-name');
      expect(await page.locator('#proposedMutual-staffCount').inputValue(), 'the answers are kept').to.equal('1,200');
      await page.fill('#proposedMutual-name', `${tag} Mutual`);
      await page.getByRole('button', { name: 'Continue' }).click();
      expect(await page.locator('main').innerText()).to.include(`${tag} Mutual`).and.not.include(`${tag} Services`);

      // Sent from two tabs at once (the same answers checked twice): one appeal.
      const secondTab = await page.context().newPage();
      await secondTab.goto('/appeals/new/check');
      await Promise.all([secondTab.getByRole('button', { name: 'Open the appeal' }).click(), page.getByRole('button', { name: 'Open the appeal' }).click()]);
      await Promise.all([page.waitForURL('**/appeals/new/confirmation'), secondTab.waitForURL('**/appeals/new/confirmation')]);
      await secondTab.close();
      expect(await page.locator('.govuk-panel__title').innerText()).to.equal('Appeal opened');
      const reference = await page.locator('.govuk-panel__body strong').innerText();
      expect(reference).to.match(/^MUT-\d{4}-\d{6,}$/);
      await checkAccessibility(page);
      await screenshot(page, 'appeal-opened');

      const found = await caseworkerApi(`/v1/appeals?q=${encodeURIComponent(tag)}`);
      expect(found.items, 'opened once').to.have.length(1);
      const id = found.items[0].id;
      const appeal: AppealView = await caseworkerApi(`/v1/appeals/${id}`);
      expect(appeal).to.deep.include({ reference, department: 'HO', status: 'awaiting_manager_response', groundsOfAppeal: 'refused_without_reasons', requestSubmittedOn: '2025-10-01' });
      expect(appeal.proposedMutual).to.deep.equal({ name: `${tag} Mutual`, service: 'passport processing', staffCount: 1200, annualTurnoverPence: 250_000_050 });
      expect(appeal.businessCaseSummary).to.equal('A staff-owned mutual taking over passport processing.\nIt keeps every office open.');

      await page.getByRole('link', { name: `Go to appeal ${reference}` }).click();
      expect(await page.locator('h1').innerText()).to.equal(`Appeal ${reference}`);
      await page.goto('/appeals/new');
      expect(await page.locator('#proposedMutual-name').inputValue(), 'a new form after an appeal is opened').to.equal('');
      expectCleanConsole(page);
    });

    it('can be filled in and sent with the keyboard only', async () => {
      const tag = `Keyboard ${randomBytes(3).toString('hex')}`;
      const { page } = await personSignedIn('caseworker');
      await page.goto('/appeals/new');
      const { keyboard } = page;
      const focused = () => page.evaluate(() => (globalThis as any).document.activeElement?.id as string);
      /** Tab until the field with this id has the focus (a bound on the presses: the form has about 25 stops). */
      const tabTo = async (id: string) => {
        for (let presses = 0; presses < 40; presses++) {
          if ((await focused()) === id) return;
          await keyboard.press('Tab');
        }
        throw new Error(`Tab never reached #${id}`);
      };
      await tabTo('department');
      await keyboard.type('Home');
      expect(await page.locator('#department').inputValue()).to.equal('HO');
      const typed: [string, string][] = [
        ['parentBody-name', 'HM Passport Office'],
        ['parentBody-managerName', 'Pat Manager'],
        ['parentBody-managerEmail', 'pat.manager@example.gov.uk'],
        ['appellant-name', 'Sam Appellant'],
        ['appellant-email', 'sam@example.org'],
        ['proposedMutual-name', `${tag} Mutual`],
        ['proposedMutual-service', 'passport processing'],
        ['proposedMutual-staffCount', '40'],
        ['proposedMutual-annualTurnover', '900000'],
      ];
      for (const [id, value] of typed) {
        await tabTo(id);
        await keyboard.type(value);
      }
      await tabTo('groundsOfAppeal');
      await keyboard.press('Space');
      expect(await page.locator('#groundsOfAppeal').isChecked()).to.equal(true);
      for (const [id, value] of [['requestSubmittedOn-day', '2'], ['requestSubmittedOn-month', '3'], ['requestSubmittedOn-year', '2026'], ['businessCaseSummary', 'Typed without a mouse.']]) {
        await tabTo(id);
        await keyboard.type(value);
      }
      await keyboard.press('Tab');
      expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent?.trim())).to.equal('Continue');
      await keyboard.press('Enter');
      await page.waitForURL('**/appeals/new/check');
      await checkAccessibility(page);
      const button = page.getByRole('button', { name: 'Open the appeal' });
      await button.focus();
      await keyboard.press('Enter');
      await page.waitForURL('**/appeals/new/confirmation');
      const reference = await page.locator('.govuk-panel__body strong').innerText();
      const found = await caseworkerApi(`/v1/appeals?q=${encodeURIComponent(tag)}`);
      expect(found.items.map((a: AppealView) => a.reference)).to.deep.equal([reference]);
      expect(found.items[0].groundsOfAppeal).to.equal('no_response');
    });
  });

  describe('steering an appeal', () => {
    let appeal: AppealView;
    before(async () => {
      appeal = await appealIn('HO', { contested: true });
    });

    it('assigns an arbiter from the register with their caseloads, the conflicted one not selectable', async () => {
      const { page } = await personSignedIn('caseworker');
      await page.goto(`/appeals/${appeal.id}`);
      await page.locator('aside').getByRole('link', { name: 'Assign an arbiter' }).click();
      expect(new URL(page.url()).pathname).to.equal(`/appeals/${appeal.id}/arbiter`);
      const conflicted = page.locator('input[name="arbiterId"][value="arbiter-2"]');
      expect(await conflicted.isDisabled(), 'arbiter-2 (home department HO) cannot be chosen').to.equal(true);
      const conflictHint = await page.locator(`#${await conflicted.getAttribute('aria-describedby')}`).innerText();
      expect(conflictHint).to.include("belongs to HO, the appeal's own department: a conflict of interest");
      const free = page.locator('input[name="arbiterId"][value="arbiter-1"]');
      expect(await free.isDisabled()).to.equal(false);
      const register = await caseworkerApi('/v1/arbiters');
      const caseload = register.items.find((a: { id: string }) => a.id === 'arbiter-1').openAppeals as number;
      expect(await page.locator(`#${await free.getAttribute('aria-describedby')}`).innerText()).to.include(`${caseload} open appeal`);
      await checkAccessibility(page);
      await screenshot(page, 'assign-arbiter');

      await page.getByRole('button', { name: 'Assign the arbiter' }).click();
      expect(await errorSummary(page)).to.deep.equal(['Select an arbiter']);
      await checkAccessibility(page);

      // Past the page's own marking (the radio enabled by hand): the engine refuses it, and says why.
      await page.evaluate(() => {
        const radio = (globalThis as any).document.querySelector('input[value="arbiter-2"]');
        radio.disabled = false;
        radio.checked = true;
      });
      await page.getByRole('button', { name: 'Assign the arbiter' }).click();
      expect((await errorSummary(page)).join()).to.include('Arbiter arbiter-2 belongs to HO').and.include('conflict of interest');
      expect(await conflicted.isDisabled()).to.equal(true);

      await free.check();
      await page.getByRole('button', { name: 'Assign the arbiter' }).click();
      expect(new URL(page.url()).pathname).to.equal(`/appeals/${appeal.id}`);
      expect(await page.locator('.govuk-notification-banner--success').innerText()).to.include('Arbiter arbiter-1 assigned');
      const name = register.items.find((a: { id: string }) => a.id === 'arbiter-1').name as string;
      expect(await mainText(page)).to.include(`Arbiter ${name} (arbiter-1)`);
      await checkAccessibility(page);
      await page.reload();
      expect(await page.locator('.govuk-notification-banner').count(), 'the banner shows once').to.equal(0);
      expect((await caseworkerApi('/v1/arbiters')).items.find((a: { id: string }) => a.id === 'arbiter-1').openAppeals).to.equal(caseload + 1);
    });

    it('schedules the hearing in UK time: a time in the past is refused with the engine\'s reason', async () => {
      const { page } = await personSignedIn('caseworker');
      await page.goto(`/appeals/${appeal.id}`);
      await page.locator('aside').getByRole('link', { name: 'Schedule the hearing' }).click();
      expect(await page.locator('h1').innerText()).to.equal('Schedule the hearing');
      await checkAccessibility(page);

      await fillDate(page, 'scheduledFor', DateTime.now().setZone(LONDON).minus({ days: 1 }), '10:00');
      await page.fill('#location', 'Room 101, 102 Petty France');
      await page.getByRole('button', { name: 'Schedule the hearing' }).click();
      expect(await errorSummary(page)).to.deep.equal(['The hearing must be scheduled for a future time']);
      expect(await page.locator('#location').inputValue()).to.equal('Room 101, 102 Petty France');
      await checkAccessibility(page);

      const when = DateTime.now().setZone(LONDON).plus({ days: 14 }).set({ hour: 14, minute: 30, second: 0, millisecond: 0 });
      await fillDate(page, 'scheduledFor', when, '14:30');
      await page.getByRole('button', { name: 'Schedule the hearing' }).click();
      expect(new URL(page.url()).pathname).to.equal(`/appeals/${appeal.id}`);
      expect(await page.locator('.govuk-notification-banner').innerText()).to.include(`Hearing scheduled for ${ukDateTime(when.toJSDate())}`);
      const recorded: AppealView = await caseworkerApi(`/v1/appeals/${appeal.id}`);
      expect(Date.parse(recorded.hearing?.scheduledFor ?? ''), 'the UK wall-clock time, as an instant').to.equal(when.toMillis());
      expect(recorded.status).to.equal('hearing_scheduled');

      const arbiter = await personSignedIn('arbiter-1');
      await arbiter.page.goto(`/appeals/${appeal.id}/hearing`);
      expect(await arbiter.page.locator('h1').innerText(), 'the assigned arbiter may reschedule').to.equal('Reschedule the hearing');
      expect(await arbiter.page.locator('#scheduledFor-time').inputValue()).to.equal('14:30');
      await checkAccessibility(arbiter.page);
      const manager = await personSignedIn('manager-ho');
      expect((await manager.page.goto(`/appeals/${appeal.id}/hearing`))?.status(), 'not a manager\'s page').to.equal(404);
    });

    it('extends a deadline to the end of a later day; an earlier one shows the engine\'s reason', async () => {
      const { page } = await personSignedIn('caseworker');
      await page.goto(`/appeals/${appeal.id}`);
      await page.locator('aside').getByRole('link', { name: 'Extend a deadline' }).click();
      expect(new URL(page.url()).pathname).to.equal(`/appeals/${appeal.id}/deadlines/hearing/extend`);
      const due = (await caseworkerApi(`/v1/appeals/${appeal.id}`)).deadlines.hearingDue as string;
      expect(await mainText(page)).to.include(`Due now ${ukDateTime(due)}`).and.include('11:59:59pm UK time');
      await checkAccessibility(page);

      await fillDate(page, 'until', DateTime.now().setZone(LONDON));
      await page.fill('#reason', 'The arbiter is away.');
      await page.getByRole('button', { name: 'Extend the deadline' }).click();
      expect((await errorSummary(page)).join()).to.include('A deadline can only be moved later');
      expect(await page.locator('#reason').inputValue()).to.equal('The arbiter is away.');
      await checkAccessibility(page);
      await screenshot(page, 'extend-deadline-refused');

      const later = DateTime.fromISO(due).setZone(LONDON).plus({ days: 10 });
      await fillDate(page, 'until', later);
      await page.getByRole('button', { name: 'Extend the deadline' }).click();
      const until = later.set({ hour: 23, minute: 59, second: 59, millisecond: 0 });
      expect(await page.locator('.govuk-notification-banner').innerText()).to.include(`Hearing deadline extended to ${ukDateTime(until.toJSDate())}`);
      expect((await caseworkerApi(`/v1/appeals/${appeal.id}`)).deadlines.hearingDue).to.equal(until.toUTC().toISO());
    });

    it('lists the notices with their delivery, for caseworkers only', async () => {
      const { page } = await personSignedIn('caseworker');
      await page.goto(`/appeals/${appeal.id}`);
      await page.getByRole('link', { name: 'Notices about this appeal and their delivery' }).click();
      expect(await page.locator('h1').innerText()).to.equal('Notices');
      const { items } = await caseworkerApi(`/v1/appeals/${appeal.id}/notifications`);
      const rows = await page.locator('tbody tr').allInnerTexts();
      expect(rows).to.have.length(items.length).and.length.above(1);
      const opened = rows.filter((row) => row.startsWith('Appeal opened'));
      expect(opened.map((row) => row.split('\t')[1].split('\n')[0])).to.have.members(['Manager', 'Appellant']);
      const delivery: Record<string, string> = { pending: 'Waiting to send', sent: 'Sent', failed: 'Failed, retrying' };
      items.forEach((notice: { status: string; sentAt: string | null }, i: number) => {
        expect(rows[i]).to.include(delivery[notice.status]).and.include(notice.sentAt ? ukDateTime(notice.sentAt) : 'Not yet');
      });
      await checkAccessibility(page);
      await screenshot(page, 'notices');
      const manager = await personSignedIn('manager-ho');
      expect((await manager.page.goto(`/appeals/${appeal.id}/notices`))?.status()).to.equal(404);
    });

    it('withdraws after "Are you sure", then shows the engine\'s refusal of a second withdrawal', async () => {
      const { page } = await personSignedIn('caseworker');
      await page.goto(`/appeals/${appeal.id}`);
      await page.locator('aside').getByRole('link', { name: 'Withdraw the appeal' }).click();
      await page.getByRole('button', { name: 'Continue' }).click();
      expect(await errorSummary(page)).to.deep.equal(['Enter the reason']);
      await checkAccessibility(page);
      await page.fill('#reason', 'Staff changed their minds.');
      await page.getByRole('button', { name: 'Continue' }).click();

      expect(await page.locator('h1').innerText()).to.equal(`Are you sure you want to withdraw appeal ${appeal.reference}?`);
      expect(await page.locator('.govuk-warning-text').innerText()).to.include('cannot be reopened');
      expect(await mainText(page)).to.include('Staff changed their minds.');
      expect((await caseworkerApi(`/v1/appeals/${appeal.id}`)).status, 'nothing happens before the confirmation').to.equal('hearing_scheduled');
      await checkAccessibility(page);
      await screenshot(page, 'withdraw-confirm');
      await page.getByRole('button', { name: 'Yes, withdraw the appeal' }).click();

      expect(new URL(page.url()).pathname).to.equal(`/appeals/${appeal.id}`);
      expect(await page.locator('.govuk-notification-banner--success').innerText()).to.include(`Appeal ${appeal.reference} withdrawn`);
      expect(await page.locator('.app-status').innerText()).to.include('Withdrawn');
      expect(await page.locator('aside').innerText()).to.include('There is nothing for you to do on this appeal now');
      await checkAccessibility(page);
      expect((await caseworkerApi(`/v1/appeals/${appeal.id}`)).status).to.equal('withdrawn');

      // The form is still at its address: a second withdrawal is the engine's 409, in the error summary
      // of "Are you sure", which keeps the reason and has nothing left to send.
      await page.goto(`/appeals/${appeal.id}/withdraw`);
      await page.fill('#reason', 'Again.');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Yes, withdraw the appeal' }).click();
      expect(await errorSummary(page)).to.deep.equal(['Cannot withdraw an appeal that is withdrawn']);
      expect((await page.locator('.govuk-inset-text').innerText()).trim()).to.equal('Again.');
      expect(await page.getByRole('button', { name: 'Yes, withdraw the appeal' }).count()).to.equal(0);
      await checkAccessibility(page);
    });

    it('is a 404 for an appeal out of the person\'s scope, or an action not theirs', async () => {
      const other = await personSignedIn('manager-moj');
      for (const path of [`/appeals/${appeal.id}/arbiter`, `/appeals/${appeal.id}/withdraw`, `/appeals/${appeal.id}/deadlines/hearing/extend`]) {
        expect((await other.page.goto(path))?.status(), path).to.equal(404);
      }
      expect(await other.page.locator('h1').innerText()).to.equal('Page not found');
      const unassigned = await personSignedIn('arbiter-2');
      expect((await unassigned.page.goto(`/appeals/${appeal.id}/hearing`))?.status()).to.equal(404);
      await checkAccessibility(unassigned.page);
    });
  });
});
