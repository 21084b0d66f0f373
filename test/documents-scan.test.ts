/**
 * The virus scan against a real clamd (CLAMAV_HOST): a clean upload is recorded `clean`, a file
 * clamd flags is refused with 422, and a clamd that cannot answer refuses the upload with 503
 * (fail closed); a refusal writes nothing. clamd's database is one signature made here.
 */
import { expect } from 'chai';
import type { AppealView } from '../domain/appeal';
import { expectProblem, peopleFor, type People } from './support/api';
import { openAppeal } from './support/appeals';
import { md5Signature, startClamd, type Clamd } from './support/clamd';
import { apiWith, download, form, pdf, written, type OtherApi } from './support/documents';

describe('documents: the virus scan with clamd', function () {
  this.timeout(180_000);
  const FLAGGED = Buffer.from('name,vote\nThis file carries the test signature,yes\n');
  let clamd: Clamd;
  let api: OtherApi;
  let people: People;
  let appeal: AppealView;

  before(async () => {
    clamd = await startClamd([md5Signature(FLAGGED, 'Mutuals.Test.Signature')]);
    api = await apiWith({ clamav: { host: clamd.host, port: clamd.port } });
    people = await peopleFor();
    appeal = await openAppeal(people);
  });

  after(async () => {
    await api?.close();
    await clamd?.stop();
  });

  it('records clean uploads clean, small and over many chunks, and gives the bytes back', async () => {
    const big = Buffer.concat([Buffer.from('id,amount\n'), Buffer.alloc(6 * 1024 * 1024, '1,2\n')]);
    for (const [name, bytes] of [['case.pdf', await pdf('Scanned')], ['model.csv', big]] as const) {
      const response = await api.upload(appeal.id, people.caseworker, form({ category: 'business_case', title: `Scanned ${name}` }, { name, bytes }));
      expect(response.status, JSON.stringify(response.body)).to.equal(201);
      expect(response.body).to.include({ scan: 'clean', size: bytes.length });
      expect((await download(appeal.id, response.body.id, people.caseworker, api.url)).bytes.equals(bytes)).to.equal(true);
    }
  });

  it('refuses a file clamd flags with 422, and writes nothing', async () => {
    const before = await written(appeal.id);
    const response = await api.upload(appeal.id, people.caseworker, form({ category: 'staff_ballot', title: 'Ballot' }, { name: 'ballot.csv', bytes: FLAGGED }));
    expectProblem(response, 422);
    expect(response.body.errors).to.deep.equal([{ path: 'body.file', message: 'infected' }]);
    expect(await written(appeal.id)).to.deep.equal(before);
  });

  it('refuses uploads with 503 while clamd cannot answer (fail closed), and writes nothing', async () => {
    await clamd.stop();
    const before = await written(appeal.id);
    const response = await api.upload(appeal.id, people.caseworker, form({ category: 'business_case', title: 'Unscanned' }, { name: 'case.pdf', bytes: await pdf('No scanner') }));
    expectProblem(response, 503);
    expect(response.body.detail).to.match(/virus scanner/);
    expect(response.headers.get('retry-after')).to.equal('5');
    expect(await written(appeal.id)).to.deep.equal(before);
  });
});
