/**
 * The public register: policies in plain English with their guidance, decisions with their
 * reasons, the Atom feed, caching, and the personal-data boundary over every public answer and page.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { createOpenApiDocument } from '../api/docs';
import { DEFAULT_POLICY } from '../domain/policy';
import { harness } from './harness';
import { appealAt, castFor, createDepartment, expectCall, openAppeal, steps, type Cast } from './support/appeals';
import { checkAccessibility, docsScreenshot, newVisitor, screenshot } from './support/browser';

const GUIDANCE = '## Supporting a request\n\nMeet the staff **within a week**, and tell them who will answer.\n\n- Read the business case with them\n- Say what the parent body needs to see before it agrees\n\n<script>alert("x")</script> <img src=x onerror=alert(1)>\n\n[Mutuals](javascript:alert(1))';
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

async function publicGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${harness().apiUrl}${path}`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function publicJson(path: string): Promise<any> {
  const response = await harness().api('GET', path);
  expect(response.status, `${path}: ${JSON.stringify(response.body)}`).to.equal(200);
  return response.body;
}

describe('the public register', () => {
  let cast: Cast;
  let overruled: string;
  let dismissed: string;
  let open: string;

  before(async function () {
    this.timeout(120_000);
    const department = await createDepartment({ ...DEFAULT_POLICY });
    cast = await castFor(department);
    const toOverrule = await appealAt(cast, 'awaiting_compliance');
    overruled = (await steps.comply(cast, toOverrule.id)).reference;
    const toDismiss = await appealAt(cast, 'awaiting_decision');
    dismissed = (await steps.dismiss(cast, toDismiss.id)).reference;
    open = (await openAppeal(cast)).reference;
    await expectCall(200, 'PUT', `/v1/arbiters/${cast.arbiterId}/publication`, cast.admin, { publicName: 'Arbiter 7 of the register' });
    await expectCall(200, 'PUT', `/v1/departments/${cast.department}/guidance`, cast.admin, { guidance: GUIDANCE });
  });

  describe('policies and guidance', () => {
    it('publishes each policy in plain English, every version with the dates it was in force, and what changed', async () => {
      const after = await publicJson(`/v1/public/departments/${cast.department}`);
      const [, before] = after.versions;
      expect(before.inPlainEnglish[0]).to.match(/^The parent body must answer an appeal within 20 working days \(England and Wales bank holidays\)/);
      expect(before.inPlainEnglish.join(' ')).to.match(/every score is at least 2 and the total is at least 15 out of 25/);
      expect(before.guidance).to.deep.equal({ markdown: '', html: '' });
      expect(after.policyInForce.version).to.equal(before.version + 1);
      expect(after.policyInForce.changes).to.deep.equal(['Guidance for parent bodies rewritten']);
      expect(after.policyInForce.guidance.markdown).to.equal(GUIDANCE);
      const html: string = after.policyInForce.guidance.html;
      expect(html).to.include('<h2 class="govuk-heading-m">Supporting a request</h2>').and.include('<strong>within a week</strong>');
      expect(html).not.to.match(/<script|<img|href="javascript:/i);
      expect(html).to.include('&lt;script&gt;');
      expect(before.inForceUntil).to.equal(after.policyInForce.inForceFrom);
      expect(after.policyInForce.inForceUntil).to.equal(null);
    });

    it('lists every department, and answers 404 for a department that does not exist', async () => {
      const { items } = await publicJson('/v1/public/departments');
      expect(items.map((d: { code: string }) => d.code)).to.include.members(['DCLG', 'BIS', 'DFE', 'HO', 'MOJ', cast.department]);
      expect((await harness().api('GET', '/v1/public/departments/NOPE')).status).to.equal(404);
    });
  });

  describe('decisions', () => {
    it('publishes each decided appeal with its scores, reasons and compliance, and not an open one', async () => {
      const decision = await publicJson(`/v1/public/decisions/${overruled}`);
      expect(decision).to.deep.include({ reference: overruled, outcome: 'overrule', compliance: 'complied', reasons: 'A sound business case.', parentBody: 'HM Passport Office' });
      expect(decision.assessment).to.deep.equal({ financialViability: 4, serviceQuality: 4, staffSupport: 3, valueForMoney: 3, continuityOfService: 3, total: 17 });
      expect(decision.thresholds).to.deep.equal({ minimumEach: 2, minimumTotal: 15, maximumEach: 5 });
      expect((await publicJson(`/v1/public/decisions/${dismissed}`)).compliance).to.equal(null);
      expect(decision.arbiter).to.equal('Arbiter 7 of the register');
      await expectCall(200, 'DELETE', `/v1/arbiters/${cast.arbiterId}/publication`, cast.admin);
      expect((await publicJson(`/v1/public/decisions/${overruled}`)).arbiter).to.equal(null);
      expect((await harness().api('PUT', '/v1/arbiters/nobody/publication', { token: cast.admin, body: { publicName: 'X' } })).status).to.equal(404);
      await expectCall(200, 'PUT', `/v1/arbiters/${cast.arbiterId}/publication`, cast.admin, { publicName: 'Arbiter 7 of the register' });
      expect((await harness().api('GET', `/v1/public/decisions/${open}`)).status).to.equal(404);
    });

    it('filters by department, outcome and year, and searches the reasons', async () => {
      const year = new Date().getFullYear();
      const references = async (query: string) => (await publicJson(`/v1/public/decisions?${query}`)).items.map((d: { reference: string }) => d.reference);
      expect(await references(`department=${cast.department}`)).to.have.members([overruled, dismissed]);
      expect(await references(`department=${cast.department}&outcome=dismiss`)).to.deep.equal([dismissed]);
      expect(await references(`department=${cast.department}&year=${year - 1}`)).to.deep.equal([]);
      expect(await references(`department=${cast.department}&q=${encodeURIComponent('finances do not')}`)).to.deep.equal([dismissed]);
      expect((await harness().api('GET', '/v1/public/decisions?year=12')).status).to.equal(400);
      expect((await harness().api('GET', '/v1/public/decisions?outcome=maybe')).status).to.equal(400);
    });

    it('has an Atom feed of new decisions and policy versions', async () => {
      const feed = await publicGet('/v1/public/feed.atom');
      expect(feed.status).to.equal(200);
      expect(feed.headers.get('content-type')).to.match(/^application\/atom\+xml/);
      expect(feed.text).to.match(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
      expect(feed.text).to.include(`/register/decisions/${dismissed}</id>`);
      expect(feed.text).to.include(`/register/departments/${cast.department}/versions/`);
      expect(feed.text.match(/<entry>/g)?.length).to.equal(feed.text.match(/<\/entry>/g)?.length);
    });
  });

  it('answers without a token, cacheable, with an ETag that answers 304 when nothing changed', async () => {
    const first = await publicGet('/v1/public/departments');
    expect(first.status).to.equal(200);
    expect(first.headers.get('cache-control')).to.equal('public, max-age=60');
    const etag = first.headers.get('etag');
    expect(etag).to.be.a('string');
    // fetch adds `Cache-Control: no-cache` (an end-to-end reload) to a conditional request unless it has one of its own.
    expect((await publicGet('/v1/public/departments', { 'If-None-Match': etag as string, 'Cache-Control': 'max-age=0' })).status).to.equal(304);
    const withBadToken = await fetch(`${harness().apiUrl}/v1/public/departments`, { headers: { Authorization: 'Bearer nonsense' } });
    expect(withBadToken.status).to.equal(200);
  });

  it('never publishes personal data: no name, email address or token subject in any public answer or page', async function () {
    this.timeout(120_000);
    const { dataSource } = harness();
    const personal = new Set<string>();
    const rows = await dataSource.query<{ value: string }[]>(`
      SELECT appellant->>'name' AS value FROM appeals UNION SELECT appellant->>'email' FROM appeals
      UNION SELECT parent_body->>'managerName' FROM appeals UNION SELECT parent_body->>'managerEmail' FROM appeals
      UNION SELECT created_by FROM appeals UNION SELECT name FROM arbiters UNION SELECT email FROM arbiters UNION SELECT id FROM arbiters
      UNION SELECT actor_sub FROM timeline_events WHERE actor_role <> 'system' UNION SELECT created_by FROM policy_versions WHERE created_by NOT IN ('seed', 'test')
      UNION SELECT arbiter_id FROM decisions UNION SELECT changed_by FROM calendar_versions WHERE changed_by <> 'seed'`);
    for (const { value } of rows) if (value) personal.add(value);
    expect(personal.size).to.be.above(5);

    const checkpoint = await expectCall(201, 'POST', '/v1/checkpoints', cast.admin);
    const departments = (await publicJson('/v1/public/departments')).items as { code: string; versions: { version: number }[] }[];
    const decisions = (await publicJson('/v1/public/decisions')).items as { reference: string }[];
    const paths = [
      ...publicGetPaths(departments[0].code, overruled, checkpoint.id),
      `/v1/public/checkpoints/${checkpoint.id}/proof/${overruled}`,
      `/v1/public/statistics?department=${cast.department}`,
      '/register',
      '/register/statistics',
      `/register/statistics?department=${cast.department}`,
      '/register/statistics/dictionary',
      '/register/checkpoints',
      '/register/departments',
      '/register/how-to-appeal',
      '/register/decisions',
      `/register/decisions?department=${cast.department}`,
      ...departments.flatMap((d) => [`/register/departments/${d.code}`, ...d.versions.map((v) => `/register/departments/${d.code}/versions/${v.version}`)]),
      ...decisions.map((d) => `/register/decisions/${d.reference}`),
      ...departments.map((d) => `/v1/public/departments/${d.code}`),
      ...decisions.map((d) => `/v1/public/decisions/${d.reference}`),
    ];
    for (const path of paths) {
      const answer = await publicGet(path);
      expect(answer.status, path).to.equal(200);
      expect(answer.text.match(EMAIL)?.[0], `an email address in ${path}`).to.equal(undefined);
      for (const value of personal) expect(answer.text.includes(value), `"${value}" in ${path}`).to.equal(false);
    }
  });

  it('lets a newcomer find a policy and its guidance, and a decision with its reasons, without signing in', async function () {
    this.timeout(120_000);
    const { page } = await newVisitor();
    await page.goto(`${harness().webUrl}/register`);
    await checkAccessibility(page);
    await screenshot(page, 'register');
    await page.getByRole('link', { name: 'Departments’ policies and their guidance for parent bodies' }).click();
    await checkAccessibility(page);
    await page.getByRole('link', { name: `Test department ${cast.department}` }).click();
    await expectHeading(page, 'Policy and guidance');
    await page.getByText('Meet the staff').waitFor();
    await checkAccessibility(page);
    await screenshot(page, 'register-department');
    await docsScreenshot(page, 'register-department', { height: 1250, from: page.getByRole('heading', { name: 'The policy', exact: true }) });
    await page.goto(`${harness().webUrl}/register/how-to-appeal`);
    await checkAccessibility(page);
    await page.getByRole('link', { name: 'Decisions', exact: true }).first().click();
    await page.getByLabel('Department').selectOption(cast.department);
    await page.getByRole('button', { name: 'Show decisions' }).click();
    await checkAccessibility(page);
    await screenshot(page, 'register-decisions');
    await page.getByRole('link', { name: new RegExp(`^${dismissed}`) }).click();
    await page.getByText('The finances do not hold up.').waitFor();
    await checkAccessibility(page);
    await screenshot(page, 'register-decision');
    await docsScreenshot(page, 'register-decision', { height: 1150 });
    await page.getByRole('link', { name: 'Statistics', exact: true }).first().click();
    await checkAccessibility(page);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /CSV/ }).first().click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    expect(csv).to.include(cast.department);
    await page.getByRole('link', { name: 'Checkpoints', exact: true }).first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await checkAccessibility(page);
    await page.goto(`${harness().webUrl}/register/decisions?year=twelve`);
    await page.getByRole('alert').getByText('There is a problem').waitFor();
    await checkAccessibility(page);
    await page.context().close();
  });
});

/** Every public GET of the OpenAPI document, with real path parameters. */
function publicGetPaths(department: string, reference: string, checkpoint: number): string[] {
  const document = createOpenApiDocument();
  const paths = Object.entries(document.paths ?? {})
    .filter(([path, item]) => path.startsWith('/v1/public/') && 'get' in (item as object))
    .map(([path]) => path.replace('{code}', department).replace('{reference}', reference).replace('{id}', String(checkpoint)));
  expect(paths.filter((path) => path.includes('{')), 'a path parameter this test does not fill').to.deep.equal([]);
  return paths;
}

async function expectHeading(page: import('playwright-core').Page, name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}
