/**
 * The hearing bundle, on the real stack: three PDFs of known lengths and a PNG make a bundle of
 * their pages plus the cover and the index, whose text (read back with unpdf) holds every index
 * line and every page's "Bundle page N of M"; made twice, the bytes are the same; its ETag
 * answers 304; a stored PDF altered behind the API is listed, not merged; and who may fetch it.
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { PDFDocument } from 'pdf-lib';
import { extractText, getDocumentProxy } from 'unpdf';
import type { AppealView } from '../domain/appeal';
import { ukDateTime } from '../web/dates';
import { harness } from './harness';
import { expectProblem, peopleFor, type People } from './support/api';
import { appealAt } from './support/appeals';
import { form, png, upload } from './support/documents';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A PDF of `pages` pages, each saying which page of which document it is. */
async function pdfOf(name: string, pages: number): Promise<Buffer> {
  const document = await PDFDocument.create();
  for (let n = 1; n <= pages; n++) document.addPage().drawText(`${name}, page ${n} of ${pages}`, { x: 72, y: 700 });
  return Buffer.from(await document.save());
}

/** The bundle as a client downloads it: the answer and its bytes. */
async function fetchBundle(appealId: string, token: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${harness().apiUrl}/v1/appeals/${appealId}/bundle.pdf`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** The text of each page. */
async function pagesOf(bytes: Buffer): Promise<string[]> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: false });
  return text;
}

interface Uploaded {
  id: string;
  title: string;
  sha256: string;
}

describe('the hearing bundle', () => {
  let people: People;
  let appeal: AppealView;
  const uploaded: Uploaded[] = [];

  async function add(category: string, title: string, name: string, bytes: Buffer, supersedes?: string): Promise<Uploaded> {
    const response = await upload(appeal.id, people.caseworker, form({ category, title, ...(supersedes ? { supersedes } : {}) }, { name, bytes }));
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    const document = { id: response.body.id as string, title, sha256: sha256(bytes) };
    uploaded.push(document);
    return document;
  }

  before(async () => {
    people = await peopleFor();
    appeal = await appealAt(people, 'hearing_scheduled');
    const first = await add('business_case', 'Business case', 'case.pdf', await pdfOf('Business case', 2));
    await add('financial_model', 'Financial model', 'model.pdf', await pdfOf('Financial model', 1));
    await add('staff_ballot', 'Staff ballot chart', 'ballot.png', png());
    await add('business_case', 'Business case, revised', 'case-v2.pdf', await pdfOf('Revised business case', 3), first.id);
  });

  it('is the cover, the index, then every PDF page in upload order, each page numbered "Bundle page N of M"', async () => {
    const { response, bytes } = await fetchBundle(appeal.id, people.caseworker);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('application/pdf');
    expect(response.headers.get('content-disposition')).to.match(new RegExp(`^attachment; filename="${appeal.reference}-bundle\\.pdf"`));
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');

    const pages = await pagesOf(bytes);
    const indexPages = pages.filter((text) => /^Index\b/.test(text)).length;
    expect(indexPages).to.equal(1);
    expect(pages).to.have.length(2 + 1 + 3 + 1 + indexPages);
    pages.forEach((text, n) => expect(text, `page ${n + 1}`).to.contain(`Bundle page ${n + 1} of ${pages.length}`));

    const [cover, index, ...merged] = pages;
    expect(cover).to.contain('Hearing bundle').and.contain(`Appeal ${appeal.reference}`);
    expect(cover).to.contain('Proposed mutual: Passport Services Mutual').and.contain('Parent body: HM Passport Office');
    expect(cover).to.contain(`Hearing: ${ukDateTime(appeal.hearing?.scheduledFor as string)}, Room 101, Petty France`);
    expect(cover).to.contain('Documents: 4 (3 merged in after the index, 1 listed with its SHA-256 only)');
    expect(cover, 'no person is named').to.not.match(/Pat Manager|Sam Appellant|@/);

    expect(merged.map((text) => text.split('\n')[0].replace(/ ?Bundle page.*$/, ''))).to.deep.equal([
      'Business case, page 1 of 2',
      'Business case, page 2 of 2',
      'Financial model, page 1 of 1',
      'Revised business case, page 1 of 3',
      'Revised business case, page 2 of 3',
      'Revised business case, page 3 of 3',
    ]);

    const lines = index.split('\n');
    const listed = (await harness().api('GET', `/v1/appeals/${appeal.id}/documents`, { token: people.caseworker })).body.items as { uploadedAt: string }[];
    const uploadedOn = (n: number) => ukDateTime(listed[n].uploadedAt);
    const expected = [
      ['1. Business case', 'Category: Business case', `Added by: Caseworker, ${uploadedOn(0)}`, `SHA-256: ${uploaded[0].sha256}`, 'Page 3 (2 pages)', 'Superseded by document 4'],
      ['2. Financial model', 'Category: Financial model', `Added by: Caseworker, ${uploadedOn(1)}`, `SHA-256: ${uploaded[1].sha256}`, 'Page 5 (1 page)'],
      ['3. Staff ballot chart', 'Category: Staff ballot', `Added by: Caseworker, ${uploadedOn(2)}`, `SHA-256: ${uploaded[2].sha256}`, 'Not included: PNG image'],
      ['4. Business case, revised', 'Category: Business case', `Added by: Caseworker, ${uploadedOn(3)}`, `SHA-256: ${uploaded[3].sha256}`, 'Page 6 (3 pages)', 'A new version of document 1'],
    ];
    for (const entry of expected) expect(lines).to.include.members(entry);
  });

  it('is byte-identical when made again, and for the assigned arbiter', async () => {
    const first = await fetchBundle(appeal.id, people.caseworker);
    const again = await fetchBundle(appeal.id, people.caseworker);
    const arbiters = await fetchBundle(appeal.id, people.arbiter);
    expect(arbiters.response.status).to.equal(200);
    expect(sha256(again.bytes)).to.equal(sha256(first.bytes));
    expect(sha256(arbiters.bytes)).to.equal(sha256(first.bytes));
    expect(again.response.headers.get('etag')).to.equal(first.response.headers.get('etag'));
  });

  it('answers 304 to a client holding the bundle, and a new one once a document is added', async () => {
    const { response } = await fetchBundle(appeal.id, people.caseworker);
    const etag = response.headers.get('etag') as string;
    expect(etag).to.match(/^"[\w-]+"$/);
    const held = await harness().api('GET', `/v1/appeals/${appeal.id}/bundle.pdf`, { token: people.arbiter, headers: { 'if-none-match': etag } });
    expect(held.status).to.equal(304);
    expect(held.body).to.equal('');
    expect(held.headers.get('etag')).to.equal(etag);

    const other = await appealAt(people, 'hearing_scheduled');
    const before = await fetchBundle(other.id, people.caseworker);
    const added = await upload(other.id, people.caseworker, form({ category: 'other', title: 'Late evidence' }, { name: 'late.pdf', bytes: await pdfOf('Late evidence', 1) }));
    expect(added.status).to.equal(201);
    const after = await fetchBundle(other.id, people.caseworker, { 'if-none-match': before.response.headers.get('etag') as string });
    expect(after.response.status).to.equal(200);
    expect(await pagesOf(after.bytes)).to.have.length((await pagesOf(before.bytes)).length + 1);
  });

  it('lists a stored PDF whose bytes no longer match the recorded hash, and does not merge it', async () => {
    const altered = await appealAt(people, 'hearing_scheduled');
    const bytes = await pdfOf('Tampered', 2);
    const response = await upload(altered.id, people.caseworker, form({ category: 'other', title: 'Tampered' }, { name: 'tampered.pdf', bytes }));
    expect(response.status).to.equal(201);
    await harness().dataSource.query(`UPDATE document_chunks SET bytes = overlay(bytes placing '\\x00'::bytea from 20) WHERE blob_id = $1 AND n = 0`, [response.body.id]);
    const pages = await pagesOf((await fetchBundle(altered.id, people.caseworker)).bytes);
    expect(pages).to.have.length(2);
    expect(pages[1].split('\n')).to.include.members([`SHA-256: ${sha256(bytes)}`, 'Not included: the stored bytes no longer match the recorded SHA-256']);
  });

  it('is for the caseworker and the assigned arbiter: 404 out of scope, 403 for the department\'s manager and an administrator', async () => {
    const bundle = (token: string) => harness().api('GET', `/v1/appeals/${appeal.id}/bundle.pdf`, { token });
    expect((await bundle(people.caseworker)).status).to.equal(200);
    expect((await bundle(people.arbiter)).status).to.equal(200);
    expectProblem(await bundle(people.otherArbiter), 404);
    expectProblem(await bundle(people.otherManager), 404);
    expectProblem(await bundle(people.manager), 403);
    expectProblem(await bundle(people.admin), 403);
    expectProblem(await harness().api('GET', '/v1/appeals/4c11b56f-99f5-4d87-8257-320d26c432b8/bundle.pdf', { token: people.caseworker }), 404);
  });
});
