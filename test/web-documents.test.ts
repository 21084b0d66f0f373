/**
 * Documents on the case page, in a real Chromium signed in through the local identity provider:
 * the list with its hashes and download links, the upload form for those who may upload (its
 * refusals in the error summary), its CSRF token read from the multipart fields, the link to the
 * hearing bundle for those who may fetch it, and the decision letter after the decision.
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { AppealView } from '../domain/appeal';
import { harness } from './harness';
import { appealAt, castFor, expectCall, steps, submission } from './support/appeals';
import { checkAccessibility, expectCleanConsole, personSignedIn, screenshot } from './support/browser';
import { form, pdf, upload } from './support/documents';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function documentCount(appealId: string): Promise<number> {
  const [{ n }] = await harness().dataSource.query(`SELECT count(*)::int AS n FROM documents WHERE appeal_id = $1`, [appealId]);
  return n;
}

describe('pages: documents on the case page', function () {
  this.timeout(90_000);
  let appeal: AppealView;

  before(async () => {
    appeal = await expectCall(201, 'POST', '/v1/appeals', await harness().tokenFor('caseworker', 'caseworker-1'), submission('HO'));
  });

  it('the caseworker adds a document: refusals in the error summary, then listed with its hash and downloaded as uploaded', async () => {
    const { page } = await personSignedIn('caseworker-1');
    expectCleanConsole(page);
    await page.goto(`/appeals/${appeal.id}`);
    expect(await page.locator('#documents + p').innerText()).to.equal('No documents yet.');
    const categories = await page.locator('input[name="category"]').evaluateAll((inputs) => inputs.map((i) => i.getAttribute('value')));
    expect(categories).to.deep.equal(['business_case', 'financial_model', 'staff_ballot', 'other']);

    await page.locator('input[name="category"][value="business_case"]').check();
    await page.fill('#title', 'Business case');
    await page.getByRole('button', { name: 'Add document' }).click();
    expect(await page.locator('.govuk-error-summary__list li').allInnerTexts()).to.deep.equal(['Select a file']);
    expect(await page.locator('.govuk-error-summary__list a').getAttribute('href')).to.equal('#file');
    expect(await page.inputValue('#title')).to.equal('Business case');
    await checkAccessibility(page);

    await page.setInputFiles('#file', { name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a PDF at all') });
    await page.getByRole('button', { name: 'Add document' }).click();
    expect((await page.locator('.govuk-error-summary__list li').allInnerTexts())[0]).to.match(/^The selected file must be a PDF/);
    expect(await documentCount(appeal.id)).to.equal(0);

    const bytes = await pdf('Our business case');
    await page.setInputFiles('#file', { name: 'business case.pdf', mimeType: 'application/pdf', buffer: bytes });
    await page.getByRole('button', { name: 'Add document' }).click();
    await page.waitForURL(`${harness().webUrl}/appeals/${appeal.id}#documents`);
    expect(await page.locator('.govuk-notification-banner').innerText()).to.contain('Document added');
    const row = page.locator('#documents + table tbody tr');
    expect(await row.count()).to.equal(1);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[0]).to.contain('Business case').and.contain('business case.pdf');
    expect(cells[1]).to.equal('Business case');
    expect(cells[2]).to.equal('caseworker-1 (caseworker)');
    expect(cells[5]).to.equal(sha256(bytes));
    await checkAccessibility(page);
    await screenshot(page, 'case-page-documents');

    const href = await row.locator('a').getAttribute('href');
    const download = await page.request.get(href as string);
    expect(download.status()).to.equal(200);
    expect(Buffer.from(await download.body()).equals(bytes)).to.equal(true);
    expect(download.headers()['content-disposition']).to.match(/^attachment; filename="business case.pdf"/);
    expect(download.headers()['x-content-type-options']).to.equal('nosniff');
  });

  it('refuses an upload whose multipart fields carry no valid CSRF token (403), before storing anything', async () => {
    const { page } = await personSignedIn('caseworker-1');
    const before = await documentCount(appeal.id);
    const blobs = async () => (await harness().dataSource.query(`SELECT count(*)::int AS n FROM document_blobs`))[0].n as number;
    const blobsBefore = await blobs();
    for (const token of ['forged', undefined]) {
      const response = await page.request.post(`/appeals/${appeal.id}/documents`, {
        multipart: {
          ...(token ? { _csrf: token } : {}),
          category: 'other',
          title: 'Forged',
          file: { name: 'forged.pdf', mimeType: 'application/pdf', buffer: await pdf('Forged') },
        },
      });
      expect(response.status()).to.equal(403);
    }
    expect(await documentCount(appeal.id)).to.equal(before);
    expect(await blobs()).to.equal(blobsBefore);
  });

  it("the manager of the appeal's department may add the parent body's documents only; an arbiter not assigned does not see the appeal", async () => {
    const { page } = await personSignedIn('manager-ho');
    await page.goto(`/appeals/${appeal.id}`);
    const categories = await page.locator('input[name="category"]').evaluateAll((inputs) => inputs.map((i) => i.getAttribute('value')));
    expect(categories).to.deep.equal(['manager_statement', 'other']);
    expect(await page.locator('#documents + table tbody tr').count()).to.equal(1);
    await checkAccessibility(page);

    const arbiter = await personSignedIn('arbiter-1');
    const response = await arbiter.page.goto(`/appeals/${appeal.id}`);
    expect(response?.status()).to.equal(404);
  });

  it('links the hearing bundle on the case page of the caseworker and the assigned arbiter, not the manager\'s', async () => {
    const { tokenFor } = harness();
    const caseworker = await tokenFor('caseworker', 'caseworker-1');
    const heard: AppealView = await expectCall(201, 'POST', '/v1/appeals', caseworker, submission('HO'));
    await expectCall(200, 'POST', `/v1/appeals/${heard.id}/manager-response`, await tokenFor('manager', 'manager-ho', 'HO'), { position: 'contest', statement: 'We considered it.' });
    await expectCall(200, 'POST', `/v1/appeals/${heard.id}/arbiter`, caseworker, { arbiterId: 'arbiter-1' });
    expect((await upload(heard.id, caseworker, form({ category: 'business_case', title: 'Business case' }, { name: 'case.pdf', bytes: await pdf('Our case') }))).status).to.equal(201);

    const bundles: Buffer[] = [];
    for (const who of ['caseworker-1', 'arbiter-1']) {
      const { page } = await personSignedIn(who);
      await page.goto(`/appeals/${heard.id}`);
      const link = page.getByRole('link', { name: 'Download the hearing bundle (PDF)' });
      expect(await link.getAttribute('href'), who).to.equal(`/appeals/${heard.id}/bundle.pdf`);
      await checkAccessibility(page);
      const download = await page.request.get(`/appeals/${heard.id}/bundle.pdf`);
      expect(download.status(), who).to.equal(200);
      expect(download.headers()['content-type']).to.equal('application/pdf');
      expect(download.headers()['content-disposition']).to.match(new RegExp(`^attachment; filename="${heard.reference}-bundle\\.pdf"`));
      expect(download.headers()['x-content-type-options']).to.equal('nosniff');
      bundles.push(Buffer.from(await download.body()));
      expectCleanConsole(page);
    }
    expect(bundles[0].subarray(0, 5).toString()).to.equal('%PDF-');
    expect(sha256(bundles[1]), 'the same bundle for both').to.equal(sha256(bundles[0]));

    const manager = await personSignedIn('manager-ho');
    await manager.page.goto(`/appeals/${heard.id}`);
    expect(await manager.page.getByRole('link', { name: 'Download the hearing bundle (PDF)' }).count()).to.equal(0);
    expect((await manager.page.request.get(`/appeals/${heard.id}/bundle.pdf`)).status()).to.equal(403);
  });

  it('after the decision, lists the decision letter the engine made, and the arbiter and the caseworker download it from the decision', async () => {
    const cast = await castFor('HO', { arbiterId: 'arbiter-1' });
    const decided = await steps.overrule(cast, (await appealAt(cast, 'awaiting_decision')).id);
    for (const who of ['arbiter-1', 'caseworker-1']) {
      const { page } = await personSignedIn(who);
      await page.goto(`/appeals/${decided.id}`);
      expect(await page.locator('input[name="category"]').count(), 'no upload after the decision').to.equal(0);
      const row = page.locator('#documents + table tbody tr');
      expect(await row.count()).to.equal(1);
      const cells = await row.locator('td').allInnerTexts();
      expect(cells[0]).to.contain('Decision letter').and.contain(`${decided.reference}-decision-letter.pdf`);
      expect(cells.slice(1, 3)).to.deep.equal(['Decision letter', 'The engine']);

      const link = page.getByRole('link', { name: 'Download the decision letter (PDF)' });
      const download = await page.request.get((await link.getAttribute('href')) as string);
      expect(download.status()).to.equal(200);
      expect(download.headers()['content-type']).to.match(/^application\/pdf/);
      expect(download.headers()['content-disposition']).to.match(new RegExp(`^attachment; filename="${decided.reference}-decision-letter.pdf"`));
      expect(sha256(Buffer.from(await download.body())), who).to.equal(cells[5]);
      await checkAccessibility(page);
    }
  });
});
