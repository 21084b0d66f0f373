/**
 * GET /v1/appeals: filters, scoping, stable keyset pages behind an opaque cursor, and indexes that
 * keep a filtered page fast at 100,000 appeals.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { expect } from 'chai';
import { appealPageQuery, listAppeals, type AppealFilter } from '../db/appeal-queries';
import { LIST_FILTERS, seedManyAppeals } from '../db/bulk-seed';
import { createDataSource, migrate } from '../db/data-source';
import type { AppealView } from '../domain/appeal';
import { harness } from './harness';
import { appealAt, openAppeal, steps, submission } from './support/appeals';
import { expectProblem, peopleFor, type People } from './support/api';

async function page(token: string, query: string): Promise<{ items: AppealView[]; nextCursor: string | null; previousCursor: string | null }> {
  const response = await harness().api('GET', `/v1/appeals?${query}`, { token });
  expect(response.status, JSON.stringify(response.body)).to.equal(200);
  return response.body;
}

/** Every page of a query, following nextCursor to the end. */
async function allPages(token: string, query: string, limit: number): Promise<AppealView[][]> {
  const pages: AppealView[][] = [];
  let cursor: string | null = null;
  do {
    const body = await page(token, `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    pages.push(body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return pages;
}

describe('API: GET /v1/appeals', () => {
  let people: People;
  let opened: AppealView[];

  before(async () => {
    people = await peopleFor();
    opened = [];
    for (let i = 0; i < 5; i++) opened.push(await openAppeal(people));
    opened.push(await appealAt(people, 'hearing_scheduled'));
  });

  const mine = (items: AppealView[]) => items.filter((a) => opened.some((o) => o.id === a.id)).map((a) => a.id);

  it('pages newest first with a stable cursor: every appeal once, nextCursor null on the last page', async () => {
    const pages = await allPages(people.caseworker, `department=${people.department}`, 4);
    expect(pages.map((p) => p.length)).to.deep.equal([4, 2]);
    expect(pages.flat().map((a) => a.id)).to.deep.equal(opened.map((a) => a.id).reverse());
    // A new appeal opened meanwhile appears on the first page, and never shifts later ones.
    const first = await page(people.caseworker, `department=${people.department}&limit=4`);
    const newer = await openAppeal(people);
    opened.push(newer);
    const second = await page(people.caseworker, `department=${people.department}&limit=4&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect(second.items.map((a) => a.id)).to.deep.equal(pages[1].map((a) => a.id));
  });

  it('pages back with previousCursor (as before) to the same pages, previousCursor null on the first', async () => {
    const query = `department=${people.department}&limit=2`;
    const first = await page(people.caseworker, query);
    expect(first.previousCursor).to.equal(null);
    const second = await page(people.caseworker, `${query}&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    const third = await page(people.caseworker, `${query}&cursor=${encodeURIComponent(second.nextCursor ?? '')}`);
    expect(third.previousCursor).to.be.a('string');
    const backToSecond = await page(people.caseworker, `${query}&before=${encodeURIComponent(third.previousCursor ?? '')}`);
    expect(backToSecond.items.map((a) => a.id)).to.deep.equal(second.items.map((a) => a.id));
    expect(backToSecond.nextCursor).to.equal(second.nextCursor);
    const backToFirst = await page(people.caseworker, `${query}&before=${encodeURIComponent(backToSecond.previousCursor ?? '')}`);
    expect(backToFirst.items.map((a) => a.id)).to.deep.equal(first.items.map((a) => a.id));
    expect(backToFirst.previousCursor, 'nothing newer: the first page').to.equal(null);
    expect(backToFirst.nextCursor).to.equal(first.nextCursor);
  });

  it('filters by status, arbiterId and overdue', async () => {
    const scheduled = opened[5];
    expect(mine((await page(people.caseworker, `status=hearing_scheduled&department=${people.department}`)).items)).to.deep.equal([scheduled.id]);
    expect(mine((await page(people.caseworker, `arbiterId=${people.arbiterId}`)).items)).to.deep.equal([scheduled.id]);
    expect(mine((await page(people.caseworker, `overdue=true&department=${people.department}`)).items)).to.deep.equal([]);
    expect(mine((await page(people.caseworker, `overdue=false&department=${people.department}&limit=100`)).items)).to.have.length(opened.length);
  });

  it('q matches part of the reference or of the mutual\'s name, in any case', async () => {
    const target = opened[2];
    expect(mine((await page(people.caseworker, `q=${target.reference.toLowerCase()}`)).items)).to.deep.equal([target.id]);
    const named = { ...submission(people.department), proposedMutual: { ...(submission(people.department).proposedMutual as object), name: 'Zebra Crossings Mutual' } };
    const zebra = (await harness().api('POST', '/v1/appeals', { token: people.caseworker, body: named })).body as AppealView;
    opened.push(zebra);
    expect(mine((await page(people.caseworker, 'q=ZEBRA%20cross')).items)).to.deep.equal([zebra.id]);
    // LIKE's own wildcards are matched literally.
    expect(mine((await page(people.caseworker, `q=%25&department=${people.department}`)).items)).to.deep.equal([]);
  });

  it("scopes managers to their department and arbiters to their appeals, whatever filter they send", async () => {
    expect(mine((await page(people.manager, 'limit=100')).items)).to.have.length(opened.length);
    expect((await page(people.otherManager, `department=${people.department}`)).items).to.deep.equal([]);
    expect(mine((await page(people.arbiter, 'limit=100')).items)).to.deep.equal([opened[5].id]);
    expect((await page(people.otherArbiter, `arbiterId=${people.arbiterId}`)).items).to.deep.equal([]);
  });

  it('400 for a limit over 100 or under 1, an unknown status, an unknown filter or a cursor it did not give out', async () => {
    for (const query of ['limit=101', 'limit=0', 'limit=ten', 'status=pending', 'colour=red', 'cursor=abc', 'before=abc', 'overdue=yes', 'status=a&status=b']) {
      const response = await harness().api('GET', `/v1/appeals?${query}`, { token: people.caseworker });
      expectProblem(response, 400);
      expect(response.body.errors, query).to.be.an('array').with.length.above(0);
    }
    const forged = Buffer.from(JSON.stringify({ c: '+275760-09-13T00:00:00.000Z', i: opened[0].id })).toString('base64url');
    expectProblem(await harness().api('GET', `/v1/appeals?cursor=${forged}`, { token: people.caseworker }), 400);
    const { nextCursor } = await page(people.caseworker, `department=${people.department}&limit=1`);
    const both = await harness().api('GET', `/v1/appeals?cursor=${nextCursor}&before=${nextCursor}`, { token: people.caseworker });
    expectProblem(both, 400);
    expect(both.body.errors).to.deep.include({ path: 'query.before', message: 'give cursor or before, not both' });
  });

  it('401 without a token', async () => {
    expectProblem(await harness().api('GET', '/v1/appeals'), 401);
  });

  it('shows a write straight after it returns (read-your-writes)', async () => {
    const appeal = await openAppeal(people);
    opened.push(appeal);
    await steps.concede(people, appeal.id);
    expect(mine((await page(people.caseworker, `status=conceded&department=${people.department}`)).items)).to.deep.equal([appeal.id]);
  });
});

describe('API: lists at 100,000 appeals', function () {
  this.timeout(180_000);
  const schema = `perf_${randomBytes(4).toString('hex')}`;
  let db: DataSource;

  before(async () => {
    db = createDataSource({ url: harness().config.databaseUrl ?? '', schema });
    await migrate(db);
    await seedManyAppeals(db, 100_000);
  });

  after(async () => {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.destroy();
  });

  // How fast these pages are is measured by `npm run bench`; here, that each is served by an index.
  for (const [name, filter] of LIST_FILTERS) {
    it(`a page filtered by ${name} is read through an index, first page, next and back`, async () => {
      const first = await listAppeals(db, { ...filter, limit: 25 });
      expect(first.items).to.have.length.greaterThan(0);
      const pages: AppealFilter[] = [{ ...filter, limit: 25 }];
      if (first.last) {
        const position = { createdAt: first.last.createdAt.toISOString(), id: first.last.id };
        pages.push({ ...filter, limit: 25, after: position }, { ...filter, limit: 25, before: position });
      }
      for (const pageFilter of pages) {
        const [sql, parameters] = appealPageQuery(pageFilter);
        const plan = JSON.stringify(await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters));
        expect(plan, `${name}: ${plan}`).to.not.match(/"Node Type":"Seq Scan"/);
      }
    });
  }
});
