/**
 * Documents kept in an S3-compatible bucket (DOCUMENT_STORE=s3), against a real S3-compatible
 * server (gofakes3, built once with Go): the bytes back as they went in, the hash the timeline
 * recorded, verification that finds an object altered behind the API, and refused uploads,
 * small and past the first 5 MiB parts, that leave no object behind.
 */
import { createHash, randomUUID } from 'node:crypto';
import { CreateBucketCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import type { DocumentStoreConfig } from '../config';
import type { AppealView } from '../domain/appeal';
import { expectProblem, peopleFor, type People } from './support/api';
import { openAppeal } from './support/appeals';
import { apiWith, download, form, pdf, samples, written, type OtherApi } from './support/documents';
import { startFakeS3, type FakeS3 } from './support/s3';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const MB = 1024 * 1024;
const MAX_MB = 16;
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'appeals-test', AWS_SECRET_ACCESS_KEY: 'appeals-test-secret' };

describe('documents in an S3-compatible store', function () {
  this.timeout(600_000);
  let s3: FakeS3;
  let store: Extract<DocumentStoreConfig, { kind: 's3' }>;
  let client: S3Client;
  let api: OtherApi;
  let people: People;
  let appeal: AppealView;
  const saved: Record<string, string | undefined> = {};

  /** The objects in the bucket. */
  const objects = async () => ((await client.send(new ListObjectsV2Command({ Bucket: store.bucket }))).Contents ?? []).map((o) => o.Key);
  /** Multipart uploads begun and neither completed nor aborted. */
  const unfinished = async () => (await client.send(new ListMultipartUploadsCommand({ Bucket: store.bucket }))).Uploads ?? [];
  /** What an upload writes: the objects (and parts), and in PostgreSQL the appeal's documents and events. */
  const everything = async () => ({ objects: await objects(), unfinished: await unfinished(), ...(await written(appeal.id)) });

  before(async () => {
    // The AWS SDK's usual credential chain, from the environment as a deployment would give them.
    for (const [name, value] of Object.entries(CREDENTIALS)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    s3 = await startFakeS3();
    store = { kind: 's3', endpoint: s3.endpoint, bucket: 'appeal-documents', region: 'us-east-1', forcePathStyle: true };
    client = new S3Client({ endpoint: store.endpoint, region: store.region, forcePathStyle: true });
    await client.send(new CreateBucketCommand({ Bucket: store.bucket }));
    api = await apiWith({ store, maxBytes: MAX_MB * MB });
    people = await peopleFor();
    appeal = await openAppeal(people);
  });

  after(async () => {
    await api?.close();
    client?.destroy();
    await s3?.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('keeps every allowed type as one object, gives the bytes back with the recorded hash, and verifies them', async () => {
    const blobRows = (await written(appeal.id)).blobs;
    for (const sample of await samples()) {
      const response = await api.upload(appeal.id, people.caseworker, form({ category: 'other', title: `A ${sample.name}` }, sample));
      expect(response.status, `${sample.name}: ${JSON.stringify(response.body)}`).to.equal(201);
      const document = response.body;
      expect(document).to.include({ mediaType: sample.mediaType, size: sample.bytes.length, sha256: sha256(sample.bytes) });
      expect(await objects()).to.include(`documents/${document.id}`);

      const { response: got, bytes } = await download(appeal.id, document.id, people.caseworker, api.url);
      expect(got.status).to.equal(200);
      expect(bytes.equals(sample.bytes), sample.name).to.equal(true);
      expect(got.headers.get('repr-digest')).to.equal(`sha-256=:${createHash('sha256').update(sample.bytes).digest('base64')}:`);
      const ours = await fetch(`${api.url}/v1/appeals/${appeal.id}/documents/${document.id}/verify`, { headers: { authorization: `Bearer ${people.caseworker}` } });
      expect(await ours.json()).to.deep.equal({ id: document.id, recorded: sha256(sample.bytes), timeline: sha256(sample.bytes), computed: sha256(sample.bytes), size: sample.bytes.length, matches: true });
    }
    expect((await written(appeal.id)).blobs, 'no bytes in PostgreSQL').to.equal(blobRows);
  });

  it('streams a file over several 5 MiB parts and gives it back whole', async () => {
    const bytes = Buffer.concat([Buffer.from('id,amount\n'), Buffer.alloc(12 * MB, '1,2\n')]);
    const response = await api.upload(appeal.id, people.caseworker, form({ category: 'financial_model', title: 'Big model' }, { name: 'model.csv', bytes }));
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    expect(response.body.sha256).to.equal(sha256(bytes));
    expect((await download(appeal.id, response.body.id, people.caseworker, api.url)).bytes.equals(bytes)).to.equal(true);
  });

  it('finds an object altered behind the API', async () => {
    const bytes = await pdf('Verify me');
    const { body: document } = await api.upload(appeal.id, people.caseworker, form({ category: 'business_case', title: 'Case' }, { name: 'case.pdf', bytes }));
    await client.send(new PutObjectCommand({ Bucket: store.bucket, Key: `documents/${document.id}`, Body: Buffer.concat([bytes, Buffer.from('%')]) }));
    const response = await fetch(`${api.url}/v1/appeals/${appeal.id}/documents/${document.id}/verify`, { headers: { authorization: `Bearer ${people.caseworker}` } });
    const verification = (await response.json()) as { matches: boolean; computed: string; recorded: string };
    expect(verification).to.include({ matches: false, recorded: sha256(bytes) });
    expect(verification.computed).to.not.equal(sha256(bytes));
  });

  const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1');
  const refusals: [string, () => FormData | Promise<FormData>, number][] = [
    ['a GIF renamed to .pdf', () => form({ category: 'business_case', title: 'Renamed' }, { name: 'case.pdf', bytes: GIF }), 415],
    ['a corrupt PDF', async () => form({ category: 'business_case', title: 'Corrupt' }, { name: 'case.pdf', bytes: (await pdf()).subarray(0, 400) }), 422],
    // Refused once three parts are in the bucket's multipart upload.
    ['a file past DOCUMENT_MAX_MB', () => form({ category: 'financial_model', title: 'Huge' }, { name: 'huge.csv', bytes: Buffer.alloc(MAX_MB * MB + 1, '1,2\n') }), 413],
  ];
  for (const [what, body, status] of refusals) {
    it(`refuses ${what} with ${status}, and leaves no object`, async () => {
      const before = await everything();
      expectProblem(await api.upload(appeal.id, people.caseworker, await body()), status);
      expect(await everything()).to.deep.equal(before);
    });
  }

  it('deletes the object of an upload refused once stored (its Idempotency-Key used for another file)', async () => {
    const key = randomUUID();
    const send = async (text: string) => api.upload(appeal.id, people.caseworker, form({ category: 'other', title: 'Keyed' }, { name: 'keyed.csv', bytes: Buffer.from(`${text}\n`) }), { 'idempotency-key': key });
    expect((await send('first')).status).to.equal(201);
    const before = await everything();
    expectProblem(await send('second'), 422);
    expect(await everything()).to.deep.equal(before);
  });
});
