/**
 * Documents on an appeal, on the real stack: every type taken and every refusal with its exact
 * status (a refusal writes nothing), the bytes back as they went in with the hash the timeline
 * recorded, verification that catches an altered chunk, no documents after the decision, and a
 * file past the size limit cut off while it streams.
 */
import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { PDFDocument } from 'pdf-lib';
import type { AppealView } from '../domain/appeal';
import { harness } from './harness';
import { expectProblem, peopleFor, type People } from './support/api';
import { appealAt, openAppeal, steps } from './support/appeals';
import { apiWith, download, form, pdf, samples, upload, written } from './support/documents';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const MB = 1024 * 1024;

async function addedEvent(appealId: string, docId: string): Promise<{ actor_sub: string; data: Record<string, any> }> {
  const [event] = await harness().dataSource.query(`SELECT actor_sub, data FROM timeline_events WHERE appeal_id = $1 AND type = 'document_added' AND data->>'id' = $2`, [appealId, docId]);
  return event;
}

describe('documents on an appeal', () => {
  let people: People;
  let appeal: AppealView;

  before(async () => {
    people = await peopleFor();
    appeal = await openAppeal(people);
  });

  it('takes every allowed type, detected from the content; gives the bytes back with the recorded hash; the timeline records it', async () => {
    for (const sample of await samples()) {
      const response = await upload(appeal.id, people.caseworker, form({ category: 'other', title: `A ${sample.name}` }, sample));
      expect(response.status, `${sample.name}: ${JSON.stringify(response.body)}`).to.equal(201);
      const document = response.body;
      expect(document).to.include({ mediaType: sample.mediaType, size: sample.bytes.length, sha256: sha256(sample.bytes), fileName: sample.name, scan: 'unscanned' });
      expect(response.headers.get('location')).to.equal(`/v1/appeals/${appeal.id}/documents/${document.id}`);

      const { response: got, bytes } = await download(appeal.id, document.id, people.caseworker);
      expect(got.status).to.equal(200);
      expect(bytes.equals(sample.bytes), sample.name).to.equal(true);
      expect(got.headers.get('content-type')).to.match(new RegExp(`^${sample.mediaType}`));
      expect(got.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(got.headers.get('content-disposition')).to.equal(`attachment; filename="${sample.name}"; filename*=UTF-8''${sample.name}`);
      expect(got.headers.get('repr-digest')).to.equal(`sha-256=:${createHash('sha256').update(sample.bytes).digest('base64')}:`);

      const event = await addedEvent(appeal.id, document.id);
      expect(event.data).to.include({ sha256: sha256(sample.bytes), size: sample.bytes.length, mediaType: sample.mediaType, category: 'other', title: `A ${sample.name}` });
      expect(event.actor_sub).to.equal('caseworker-1');
    }
    const timeline = await harness().api('GET', `/v1/appeals/${appeal.id}/timeline`, { token: people.caseworker });
    expect(timeline.body.verified).to.equal(true);
    const list = await harness().api('GET', `/v1/appeals/${appeal.id}/documents`, { token: people.manager });
    expect(list.status).to.equal(200);
    expect(list.body.items.map((d: { fileName: string }) => d.fileName)).to.include.members((await samples()).map((s) => s.name));
  });

  const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1');
  const refusals: [string, () => FormData | string | Promise<FormData | string>, number, Record<string, string>?][] = [
    ['a GIF renamed to .pdf', () => form({ category: 'business_case', title: 'Renamed' }, { name: 'case.pdf', bytes: GIF }), 415],
    ['text renamed to .pdf', () => form({ category: 'business_case', title: 'Renamed' }, { name: 'case.pdf', bytes: Buffer.from('just some words') }), 415],
    ['a .csv holding NUL', () => form({ category: 'financial_model', title: 'Binary' }, { name: 'model.csv', bytes: Buffer.from('a,b\u0000c\n') }), 415],
    ['a corrupt PDF', async () => form({ category: 'business_case', title: 'Corrupt' }, { name: 'case.pdf', bytes: Buffer.concat([(await pdf()).subarray(0, 400)]) }), 422],
    ['an empty file', () => form({ category: 'business_case', title: 'Empty' }, { name: 'case.pdf', bytes: Buffer.alloc(0) }), 400],
    ['a body without a file', () => form({ category: 'business_case', title: 'Nothing' }), 400],
    ['a file before its fields', async () => {
      const body = new FormData();
      body.append('file', new Blob([await pdf()]), 'case.pdf');
      body.append('category', 'business_case');
      body.append('title', 'Late fields');
      return body;
    }, 400],
    ['an unknown category', async () => form({ category: 'memo', title: 'Memo' }, { name: 'case.pdf', bytes: await pdf() }), 400],
    ['a decision letter, which only the engine makes', async () => form({ category: 'decision_letter', title: 'Decision letter' }, { name: 'letter.pdf', bytes: await pdf() }), 400],
    ['an unknown field', async () => form({ category: 'other', title: 'Extra', colour: 'red' }, { name: 'case.pdf', bytes: await pdf() }), 400],
    ['a category that is the managers\' to upload', async () => form({ category: 'manager_statement', title: 'Not mine' }, { name: 'case.pdf', bytes: await pdf() }), 403],
    ['supersedes naming no document of the appeal', async () => form({ category: 'other', title: 'v2', supersedes: '4c11b56f-99f5-4d87-8257-320d26c432b8' }, { name: 'case.pdf', bytes: await pdf() }), 422],
    ['a JSON body', () => JSON.stringify({ category: 'other', title: 'JSON' }), 415, { 'content-type': 'application/json' }],
  ];
  for (const [what, body, status, headers] of refusals) {
    it(`refuses ${what} with ${status} problem+json, and writes nothing`, async () => {
      const before = await written(appeal.id);
      const response = await upload(appeal.id, people.caseworker, await body(), headers);
      expectProblem(response, status);
      expect(await written(appeal.id)).to.deep.equal(before);
    });
  }

  it('takes a path-traversal file name, keeping only its last part without control characters', async () => {
    // Sent raw: fetch's FormData would not put control characters in a part header, a hostile client would (RFC 5987 filename*).
    const name = encodeURIComponent('../../etc/\u0007ballot\u001b.csv');
    const body =
      `--b\r\nContent-Disposition: form-data; name="category"\r\n\r\nstaff_ballot\r\n--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nBallot\r\n` +
      `--b\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${name}\r\n\r\nvote\nyes\n\r\n--b--\r\n`;
    const response = await upload(appeal.id, people.caseworker, body, { 'content-type': 'multipart/form-data; boundary=b' });
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    expect(response.body.fileName).to.equal('ballot.csv');
    const { response: got } = await download(appeal.id, response.body.id, people.caseworker);
    expect(got.headers.get('content-disposition')).to.equal(`attachment; filename="ballot.csv"; filename*=UTF-8''ballot.csv`);
    const plain = await upload(appeal.id, people.caseworker, form({ category: 'other', title: 'Up' }, { name: '..\\..\\windows\\case.csv', bytes: Buffer.from('a\n') }));
    expect(plain.body.fileName).to.equal('case.csv');
  });

  it('cuts a name to 200 characters and sends a non-ASCII one both ways in Content-Disposition', async () => {
    const name = `${'é'.repeat(250)}.csv`;
    const response = await upload(appeal.id, people.caseworker, form({ category: 'other', title: 'Long' }, { name, bytes: Buffer.from('a\n') }));
    expect(response.status).to.equal(201);
    expect([...response.body.fileName]).to.have.length(200);
    const { response: got } = await download(appeal.id, response.body.id, people.caseworker);
    expect(got.headers.get('content-disposition')).to.equal(`attachment; filename="${'_'.repeat(196)}.csv"; filename*=UTF-8''${encodeURIComponent(response.body.fileName)}`);
  });

  it('keeps every version: a new one names the one it supersedes', async () => {
    const first = await upload(appeal.id, people.caseworker, form({ category: 'business_case', title: 'Business case' }, { name: 'v1.pdf', bytes: await pdf('v1') }));
    const second = await upload(appeal.id, people.caseworker, form({ category: 'business_case', title: 'Business case', supersedes: first.body.id }, { name: 'v2.pdf', bytes: await pdf('v2') }));
    expect(second.status, JSON.stringify(second.body)).to.equal(201);
    expect(second.body.supersedes).to.equal(first.body.id);
    const list = await harness().api('GET', `/v1/appeals/${appeal.id}/documents`, { token: people.caseworker });
    expect(list.body.items.map((d: { id: string }) => d.id)).to.include.members([first.body.id, second.body.id]);
    const refused = await harness().dataSource.query(`UPDATE documents SET title = 'changed' WHERE id = $1`, [first.body.id]).catch((error: Error) => error);
    expect(refused).to.be.instanceOf(Error).with.property('message').that.matches(/never changed or deleted/);
    const bytesKept = await harness().dataSource.query(`DELETE FROM document_blobs WHERE id = $1`, [first.body.id]).catch((error: Error) => error);
    expect(bytesKept).to.be.instanceOf(Error).with.property('message').that.matches(/kept as long as it is recorded/);
  });

  it('lets the manager upload the parent body\'s documents, and not the appellant\'s', async () => {
    const statement = await upload(appeal.id, people.manager, form({ category: 'manager_statement', title: 'Our response' }, { name: 'response.pdf', bytes: await pdf('We considered it') }));
    expect(statement.status, JSON.stringify(statement.body)).to.equal(201);
    expect(statement.body.uploadedBy).to.deep.equal({ sub: 'manager-1', role: 'manager' });
    const before = await written(appeal.id);
    expectProblem(await upload(appeal.id, people.manager, form({ category: 'business_case', title: 'Not ours' }, { name: 'case.pdf', bytes: await pdf() })), 403);
    expectProblem(await upload(appeal.id, people.otherManager, form({ category: 'manager_statement', title: 'Not our appeal' }, { name: 'case.pdf', bytes: await pdf() })), 404);
    expect(await written(appeal.id)).to.deep.equal(before);
  });

  it('verifies the stored bytes against the recorded hash, and finds a chunk altered behind the API', async () => {
    const bytes = await pdf('Verify me');
    const { body: document } = await upload(appeal.id, people.caseworker, form({ category: 'financial_model', title: 'Model' }, { name: 'model.pdf', bytes }));
    const intact = await harness().api('GET', `/v1/appeals/${appeal.id}/documents/${document.id}/verify`, { token: people.caseworker });
    expect(intact.body).to.deep.equal({ id: document.id, recorded: sha256(bytes), timeline: sha256(bytes), computed: sha256(bytes), size: bytes.length, matches: true });

    await harness().dataSource.query(`UPDATE document_chunks SET bytes = overlay(bytes placing '\\x00'::bytea from 20) WHERE blob_id = $1 AND n = 0`, [document.id]);
    const altered = await harness().api('GET', `/v1/appeals/${appeal.id}/documents/${document.id}/verify`, { token: people.caseworker });
    expect(altered.body.matches).to.equal(false);
    expect(altered.body.recorded).to.equal(sha256(bytes));
    expect(altered.body.computed).to.not.equal(sha256(bytes));
  });

  it('stores a file over several chunks and gives it back whole', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n'), Buffer.alloc(600 * 1024, 'x,y\n')]);
    const { body: document } = await upload(appeal.id, people.caseworker, form({ category: 'financial_model', title: 'Big' }, { name: 'big.csv', bytes }));
    const [{ n }] = await harness().dataSource.query(`SELECT count(*)::int AS n FROM document_chunks WHERE blob_id = $1`, [document.id]);
    expect(n).to.equal(3);
    expect((await download(appeal.id, document.id, people.caseworker)).bytes.equals(bytes)).to.equal(true);
  });

  it('holds at most 100 documents: the 101st is refused with 422, and nothing is written', async () => {
    const full = await openAppeal(people);
    for (let n = 1; n <= 100; n++) {
      const response = await upload(full.id, people.caseworker, form({ category: 'other', title: `Exhibit ${n}` }, { name: `exhibit-${n}.csv`, bytes: Buffer.from(`exhibit,${n}\n`) }));
      expect(response.status, JSON.stringify(response.body)).to.equal(201);
    }
    const before = await written(full.id);
    const refused = await upload(full.id, people.caseworker, form({ category: 'other', title: 'One too many' }, { name: 'more.csv', bytes: Buffer.from('more\n') }));
    expectProblem(refused, 422);
    expect(refused.body.detail).to.equal('An appeal holds at most 100 documents');
    expect(await written(full.id)).to.deep.equal(before);
  });

  it('has no decision letter before the decision: its HTML is 404', async () => {
    expectProblem(await harness().api('GET', `/v1/appeals/${appeal.id}/decision-letter.html`, { token: people.caseworker }), 404);
  });

  it('refuses documents once the appeal is decided (409), and writes nothing', async () => {
    const decided = await appealAt(people, 'awaiting_compliance');
    const before = await written(decided.id);
    expectProblem(await upload(decided.id, people.caseworker, form({ category: 'other', title: 'Late' }, { name: 'late.pdf', bytes: await pdf() })), 409);
    expect(await written(decided.id)).to.deep.equal(before);
  });

  it('refuses a document the appeal refuses after the bytes were stored (withdrawn meanwhile), and deletes the bytes', async () => {
    const withdrawing = await openAppeal(people);
    const before = await written(withdrawing.id);
    // The upload's body is held back until the appeal is withdrawn, after the API's early check.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const bytes = await pdf('Too late');
    const head = Buffer.from(`--b\r\nContent-Disposition: form-data; name="category"\r\n\r\nother\r\n--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nLate\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="late.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(head);
        await held;
        controller.enqueue(Buffer.concat([bytes, Buffer.from('\r\n--b--\r\n')]));
        controller.close();
      },
    });
    const answer = fetch(`${harness().apiUrl}/v1/appeals/${withdrawing.id}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${people.caseworker}`, 'content-type': 'multipart/form-data; boundary=b' },
      body,
      duplex: 'half',
    });
    await steps.withdraw(people, withdrawing.id);
    release();
    const response = await answer;
    expect(response.status).to.equal(409);
    const after = await written(withdrawing.id);
    expect({ ...after, events: before.events }).to.deep.equal(before);
    expect(after.events).to.equal(before.events + 1); // the withdrawal, and no document_added
  });
});

describe('documents: uploads with an Idempotency-Key', () => {
  let people: People;
  let appeal: AppealView;

  before(async () => {
    people = await peopleFor();
    appeal = await openAppeal(people);
  });

  // pdf-lib dates each PDF it saves: the same bytes are made once per text.
  const pdfs = new Map<string, Promise<Buffer>>();
  const pdfOf = (text: string) => pdfs.get(text) ?? pdfs.set(text, pdf(text)).get(text)!;
  const sent = async (title = 'The business case', text = 'Keyed') => form({ category: 'business_case', title }, { name: 'case.pdf', bytes: await pdfOf(text) });
  const keyed = async (key: string, body: Promise<FormData>) => upload(appeal.id, people.caseworker, await body, { 'idempotency-key': key });
  const addedEvents = async (docId: string) =>
    (await harness().dataSource.query(`SELECT seq FROM timeline_events WHERE appeal_id = $1 AND type = 'document_added' AND data->>'id' = $2`, [appeal.id, docId])).length;

  it('a retried upload records one document and one document_added event, and the repeat answers the first answer', async () => {
    const key = randomUUID();
    const first = await keyed(key, sent());
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.headers.get('idempotent-replayed')).to.equal(null);
    const before = await written(appeal.id);
    const again = await keyed(key, sent());
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(again.headers.get('location')).to.equal(`/v1/appeals/${appeal.id}/documents/${first.body.id}`);
    expect(again.body).to.deep.equal(first.body);
    expect(await written(appeal.id)).to.deep.equal(before);
    expect(await addedEvents(first.body.id)).to.equal(1);
  });

  it('the same key with other bytes, another title or on another appeal is refused with 422, and nothing is written', async () => {
    const key = randomUUID();
    expect((await keyed(key, sent())).status).to.equal(201);
    const other = await openAppeal(people);
    const before = { here: await written(appeal.id), there: await written(other.id) };
    for (const body of [sent('The business case', 'Other bytes'), sent('Another title')]) {
      const refused = await keyed(key, body);
      expectProblem(refused, 422);
      expect(refused.body.detail).to.match(/Idempotency-Key/);
    }
    expectProblem(await upload(other.id, people.caseworker, await sent(), { 'idempotency-key': key }), 422);
    expect({ here: await written(appeal.id), there: await written(other.id) }).to.deep.equal(before);
  });

  it('concurrent uploads with one key record one document, and all answer it', async () => {
    const key = randomUUID();
    const before = await written(appeal.id);
    const answers = await Promise.all(Array.from({ length: 4 }, () => keyed(key, sent('Concurrent'))));
    expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.body))).to.deep.equal([201, 201, 201, 201]);
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).to.equal(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true'), 'all but the first').to.have.length(3);
    const after = await written(appeal.id);
    expect({ documents: after.documents - before.documents, blobs: after.blobs - before.blobs, events: after.events - before.events }).to.deep.equal({ documents: 1, blobs: 1, events: 1 });
    expect(await addedEvents([...ids][0])).to.equal(1);
  });

  it('a repeat whose first answer was lost answers the document recorded, and records nothing new', async () => {
    const key = randomUUID();
    const first = await keyed(key, sent('Lost answer'));
    // As if the API had died after the document was recorded but before keeping its answer.
    await harness().dataSource.query(`UPDATE idempotency_keys SET response_status = NULL, response_body = NULL WHERE resource_id = $1`, [first.body.id]);
    const before = await written(appeal.id);
    const again = await keyed(key, sent('Lost answer'));
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(await written(appeal.id)).to.deep.equal(before);
  });

  it('a repeat once the appeal is decided still answers the first answer, where a new upload is refused', async () => {
    const deciding = await openAppeal(people);
    const key = randomUUID();
    const body = () => form({ category: 'other', title: 'Before the decision' }, { name: 'note.csv', bytes: Buffer.from('note\n') });
    const first = await upload(deciding.id, people.caseworker, body(), { 'idempotency-key': key });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    for (const step of ['contest', 'assignArbiter', 'scheduleHearing', 'hold', 'overrule'] as const) await steps[step](people, deciding.id);
    const before = await written(deciding.id);
    const again = await upload(deciding.id, people.caseworker, body(), { 'idempotency-key': key });
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expectProblem(await upload(deciding.id, people.caseworker, body()), 409);
    expect(await written(deciding.id)).to.deep.equal(before);
  });
});

describe('documents: the size limit, and what an upload costs', function () {
  this.timeout(300_000);

  it('cuts a 50 MB upload off with 413 once it passes DOCUMENT_MAX_MB=1, writing nothing and holding memory flat', async () => {
    const people = await peopleFor();
    const appeal = await openAppeal(people);
    const server = await apiWith({ maxBytes: 1 * MB });
    try {
      const before = await written(appeal.id);
      const rssBefore = process.memoryUsage().rss;
      let sent = 0;
      let peak = rssBefore;
      const total = 50 * MB;
      const piece = Buffer.alloc(64 * 1024, 'x,y\n');
      const head = Buffer.from(`--b\r\nContent-Disposition: form-data; name="category"\r\n\r\nother\r\n--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nHuge\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\n\r\n`);
      const body = new ReadableStream<Uint8Array>({
        start: (controller) => controller.enqueue(head),
        pull(controller) {
          peak = Math.max(peak, process.memoryUsage().rss);
          if (sent >= total) {
            controller.enqueue(Buffer.from('\r\n--b--\r\n'));
            controller.close();
            return;
          }
          sent += piece.length;
          controller.enqueue(piece);
        },
      });
      const url = `${server.url}/v1/appeals/${appeal.id}/documents`;
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${people.caseworker}`, 'content-type': 'multipart/form-data; boundary=b' },
        body,
        duplex: 'half',
      }).catch((error: Error) => error);
      const answeredAfter = sent;
      expect(response).to.not.be.instanceOf(Error);
      expect((response as Response).status).to.equal(413);
      expect(((await (response as Response).json()) as { status: number }).status).to.equal(413);
      expect(answeredAfter, 'bytes sent before the answer').to.be.below(total);
      expect(await written(appeal.id)).to.deep.equal(before);
      const grewMb = (peak - rssBefore) / MB;
      process.stderr.write(`[documents] 50 MB upload with a 1 MB limit: answered 413 after ${(answeredAfter / MB).toFixed(1)} MB sent; RSS grew ${grewMb.toFixed(1)} MB\n`);
      expect(grewMb, 'RSS growth (MB)').to.be.below(40);
    } finally {
      await server.close();
    }
  });

  /** Upload `bytes` once, sampling this process's memory from after the body was built; logs the rate and the growth. */
  async function measure(what: string, name: string, bytes: Buffer): Promise<{ sha256: string }> {
    const people = await peopleFor();
    const appeal = await openAppeal(people);
    const body = form({ category: 'financial_model', title: what }, { name, bytes });
    const before = process.memoryUsage();
    const taken: NodeJS.MemoryUsage[] = [];
    const sampler = setInterval(() => taken.push(process.memoryUsage()), 10);
    const started = process.hrtime.bigint();
    const response = await fetch(`${harness().apiUrl}/v1/appeals/${appeal.id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${people.caseworker}` }, body });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    const document = (await response.json()) as { sha256: string };
    expect(response.status, JSON.stringify(document)).to.equal(201);
    const peak = (key: 'rss' | 'heapUsed' | 'external') => Math.max(...taken.map((m) => m[key])) / MB;
    process.stderr.write(
      `[documents] ${what}: ${(bytes.length / 1e6 / seconds).toFixed(1)} MB/s (${seconds.toFixed(2)} s); during it RSS ${(before.rss / MB).toFixed(0)} → peak ${peak('rss').toFixed(0)} MiB, ` +
        `heap used ${(before.heapUsed / MB).toFixed(0)} → peak ${peak('heapUsed').toFixed(0)} MiB, external ${(before.external / MB).toFixed(0)} → peak ${peak('external').toFixed(0)} MiB ` +
        '(one process: the API, the worker, and the client whose 20 MB body was built before)\n',
    );
    return document;
  }

  it('uploads 20 MB at a measured rate (logged, not asserted) and keeps it whole: a CSV (streamed through) and a PDF (parsed whole)', async () => {
    const csv = Buffer.concat([Buffer.from('id,amount\n'), Buffer.alloc(20 * 1000 * 1000 - 10, '1,2\n')]);
    expect((await measure('20 MB CSV', 'twenty.csv', csv)).sha256).to.equal(sha256(csv));
    const large = await PDFDocument.create();
    large.addPage().drawText('The financial model is in a stream of its own.');
    large.context.register(large.context.stream(Buffer.alloc(20 * 1000 * 1000 - 2000, 7)));
    const bigPdf = Buffer.from(await large.save({ useObjectStreams: false }));
    expect((await measure(`${(bigPdf.length / 1e6).toFixed(1)} MB PDF`, 'twenty.pdf', bigPdf)).sha256).to.equal(sha256(bigPdf));
  });
});
