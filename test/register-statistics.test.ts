/**
 * The register's statistics, on the real stack: appeals of a department of its own taken to every
 * outcome, then the figures of its quarter read back as JSON, as CSV and on the page, by anyone.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { harness } from './harness';
import { expectProblem } from './support/api';
import { appealAt, castFor, createDepartment, eventually, openAppeal, seconds, steps } from './support/appeals';
import { checkAccessibility, expectCleanConsole, newVisitor, screenshot } from './support/browser';

/** The calendar quarter it is now in the UK, worked out here rather than by the code under test. */
function quarterNow(): { label: string; year: number } {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' })
    .format(new Date())
    .split('-')
    .map(Number);
  return { label: `${year}-Q${Math.ceil(month / 3)}`, year };
}

/** RFC 4180: fields split on commas; a quoted field may hold commas, line breaks and doubled quotes; lines end CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const [c, next] = [text[i], text[i + 1]];
    if (quoted && c === '"' && next === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\r' && next === '\n') {
      rows.push([...row, field]);
      [row, field] = [[], ''];
      i++;
    } else {
      field += c;
    }
  }
  expect(field + row.join(''), 'the CSV ends with CRLF').to.equal('');
  return rows;
}

const anyone = (path: string) => harness().api('GET', path);

const NO_MISSED = { managerResponse: 0, hearing: 0, decision: 0, compliance: 0 };

describe('the public register: statistics', function () {
  this.timeout(180_000);
  const quarter = quarterNow();
  /** Its name has a comma and quotes, for the CSV to quote. */
  const name = 'Mutual Ventures, the "Test" Department';
  let department: string;
  let late: string;

  before(async () => {
    department = await createDepartment();
    await harness().dataSource.query(`UPDATE departments SET name = $2 WHERE code = $1`, [department, name]);
    const cast = await castFor(department);
    await steps.concede(cast, (await openAppeal(cast)).id);
    await steps.withdraw(cast, (await openAppeal(cast)).id);
    await steps.dismiss(cast, (await appealAt(cast, 'awaiting_decision')).id);
    await steps.comply(cast, (await appealAt(cast, 'awaiting_compliance')).id);
    await appealAt(cast, 'awaiting_compliance');
    await openAppeal(cast);

    late = await createDepartment({ hearingWithin: seconds(1) });
    const lateCast = await castFor(late);
    const missing = await appealAt(lateCast, 'awaiting_hearing');
    await eventually(lateCast, missing.id, (appeal) => appeal.overdue);
  });

  const expected = () => ({
    quarter: quarter.label,
    department,
    name,
    received: 6,
    conceded: 1,
    withdrawn: 1,
    dismissed: 1,
    overruled: 2,
    complied: 1,
    pipeline: 2,
    open: 2,
    overdue: 0,
    decisions: 3,
    medianWorkingDaysToDecision: 0,
    p90WorkingDaysToDecision: 0,
    deadlinesMissed: NO_MISSED,
  });

  it("answers anyone, without a token, the department's figures for the quarter: received, each outcome, open, the pipeline", async () => {
    const response = await anyone(`/v1/public/statistics?department=${department}`);
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    expect(response.headers.get('cache-control')).to.equal('public, max-age=60');
    expect(response.headers.get('etag')).to.be.a('string');
    const { items, totals } = response.body;
    expect(items).to.deep.equal([expected()]);
    const now = totals.find((t: { quarter: string }) => t.quarter === quarter.label);
    expect(now).to.deep.include({ departments: [department], complete: false, received: 6, pipeline: 2, open: 2, decisions: 3 });
    expect(response.body).to.include({ department, year: null });
  });

  it('counts an appeal whose hearing deadline passed as overdue, and the deadline as missed', async () => {
    const { body } = await anyone(`/v1/public/statistics?department=${late}&year=${quarter.year}`);
    expect(body.items).to.have.length(1);
    expect(body.items[0]).to.deep.include({ quarter: quarter.label, received: 1, open: 1, overdue: 1, pipeline: 0, decisions: 0, medianWorkingDaysToDecision: null });
    expect(body.items[0].deadlinesMissed).to.deep.equal({ ...NO_MISSED, hearing: 1 });
    expect(body.totals.map((t: { quarter: string }) => t.quarter)).to.include(quarter.label).and.not.include(`${quarter.year + 1}-Q1`);
  });

  it("lists every department in the totals, and the same department's row unfiltered", async () => {
    const { body } = await anyone(`/v1/public/statistics`);
    const now = body.totals.find((t: { quarter: string }) => t.quarter === quarter.label);
    expect(now.departments).to.include.members([department, late, 'DCLG', 'BIS', 'DFE', 'HO', 'MOJ']);
    expect(now.received).to.be.at.least(7);
    expect(body.items.find((i: { department: string; quarter: string }) => i.department === department && i.quarter === quarter.label)).to.deep.equal(expected());
    const { body: nextYear } = await anyone(`/v1/public/statistics?year=${quarter.year + 1}`);
    expect(nextYear).to.deep.include({ items: [], totals: [] });
  });

  it('refuses a bad filter with 400 problem+json naming it', async () => {
    for (const [query, path] of [
      ['year=abc', 'query.year'],
      ['year=1999', 'query.year'],
      ['year=2026.5', 'query.year'],
      ['department=not-a-code', 'query.department'],
    ]) {
      for (const call of ['statistics', 'statistics.csv']) {
        const response = await anyone(`/v1/public/${call}?${query}`);
        expectProblem(response, 400);
        expect(response.body.errors.map((e: { path: string }) => e.path), `${call}?${query}`).to.include(path);
      }
    }
    expectProblem(await anyone('/v1/public/statistics?when=now'), 400);
    expectProblem(await anyone('/v1/public/statistics/dictionary?year=2026'), 400);
  });

  it('answers the same figures as CSV: RFC 4180, a header row, an attachment', async () => {
    const response = await anyone(`/v1/public/statistics.csv?department=${department}`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).to.equal('attachment; filename="mutuals-appeals-statistics.csv"');
    const [header, ...rows] = parseCsv(response.body);
    const { body: dictionary } = await anyone('/v1/public/statistics/dictionary');
    expect(header).to.deep.equal(dictionary.items.map((c: { column: string }) => c.column));
    expect(rows).to.have.length(1);
    const row = Object.fromEntries(header.map((column, i) => [column, rows[0][i]]));
    expect(row).to.deep.equal({
      quarter: quarter.label,
      department,
      department_name: name,
      received: '6',
      conceded: '1',
      withdrawn: '1',
      dismissed: '1',
      overruled: '2',
      complied: '1',
      pipeline: '2',
      open: '2',
      overdue: '0',
      decisions: '3',
      median_working_days_to_decision: '0',
      p90_working_days_to_decision: '0',
      deadlines_missed_manager_response: '0',
      deadlines_missed_hearing: '0',
      deadlines_missed_decision: '0',
      deadlines_missed_compliance: '0',
    });
  });

  it('has a data dictionary covering every CSV column and every JSON field, each with its meaning, unit and counting', async () => {
    const { status, body } = await anyone('/v1/public/statistics/dictionary');
    expect(status).to.equal(200);
    const { body: statistics } = await anyone(`/v1/public/statistics?department=${department}`);
    const item = statistics.items[0];
    const fields = Object.entries(item).flatMap(([key, value]) => (value && typeof value === 'object' ? Object.keys(value).map((k) => `${key}.${k}`) : [key]));
    expect(body.items.map((c: { field: string }) => c.field)).to.have.members(fields);
    for (const column of body.items) expect(column, column.column).to.include.all.keys('title', 'meaning', 'unit', 'counting');
  });

  describe('the page, in a browser, for anyone', () => {
    let page: Page;
    let close: () => Promise<void>;

    before(async () => {
      const visitor = await newVisitor();
      page = visitor.page;
      close = () => visitor.context.close();
    });
    after(async () => close());

    it("shows the department's figures in its table and the charts with their titles, and passes axe", async () => {
      await page.goto('/register/statistics');
      await page.getByLabel('Department', { exact: true }).selectOption(department);
      await Promise.all([page.waitForURL((url) => url.searchParams.get('department') === department), page.getByRole('button', { name: 'Show figures' }).click()]);
      expect(await page.locator('h1').innerText()).to.equal('Statistics');

      const row = page.locator('.app-statistics-departments tbody tr');
      expect(await row.count()).to.equal(1);
      const cells = (await row.locator('th, td').allInnerTexts()).map((text) => text.trim());
      expect(cells).to.deep.equal([quarter.label, `${name} (${department})`, '6', '1', '1', '1', '2', '1', '2', '2', '0', '0', '0']);

      const titles = await page.locator('svg.app-chart[role="img"] > title').allTextContents();
      expect(titles).to.deep.equal(['Appeals received in each quarter', 'Outcomes in each quarter', 'Median working days from submission to decision, in each quarter']);
      for (const svg of await page.locator('svg.app-chart[role="img"]').all()) expect(await svg.getAttribute('aria-labelledby')).to.match(/-title .+-desc$/);

      expect(await page.getByRole('link', { name: /CSV/ }).getAttribute('href')).to.equal(`/v1/public/statistics.csv?department=${department}`);
      expect(await page.getByRole('link', { name: /JSON/ }).getAttribute('href')).to.equal(`/v1/public/statistics?department=${department}`);
      await checkAccessibility(page);
      await screenshot(page, 'register-statistics');
      expectCleanConsole(page);
    });

    it('has the data dictionary as a page, every column in its table', async () => {
      await page.goto('/register/statistics');
      await Promise.all([page.waitForURL('**/register/statistics/dictionary'), page.getByRole('link', { name: 'What each figure means and how it is counted' }).click()]);
      const { body } = await anyone('/v1/public/statistics/dictionary');
      const columns = await page.locator('tbody tr > :first-child').allInnerTexts();
      expect(columns.map((c) => c.trim())).to.deep.equal(body.items.map((c: { column: string }) => c.column));
      await checkAccessibility(page);
      await screenshot(page, 'register-statistics-dictionary');
    });

    it('says what is wrong with a bad year, in the error summary (400)', async () => {
      const response = await page.goto('/register/statistics?year=abc');
      expect(response?.status()).to.equal(400);
      expect(await page.title()).to.match(/^Error: /);
      expect(await page.locator('.govuk-error-summary').innerText()).to.include('Enter a year such as 2026');
      expect(await page.getByLabel('Year').inputValue()).to.equal('abc');
      await checkAccessibility(page);
    });
  });
});
