import { expect } from 'chai';
import type { ApplicationFailure } from '@temporalio/common';
import { clamdVerdict } from '../../api/documents/scanner';
import type { Actor, AppealView } from '../../domain/appeal';
import { documentsOpen, MAX_DOCUMENTS_PER_APPEAL, mayUpload, sanitiseFileName, type DocumentRecord } from '../../domain/documents';
import { APPEAL_STATUSES } from '../../domain/lifecycle';
import { DEFAULT_POLICY } from '../../domain/policy';
import { AppealCase } from '../../workflows/appeal-case';
import { REFUSALS } from '../../workflows/shared';

const caseworker: Actor = { sub: 'cw-1', role: 'caseworker' };
const future = () => new Date(Date.now() + 86_400_000).toISOString();
const document = (n: number): DocumentRecord => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  category: 'business_case',
  title: 'Business case',
  fileName: 'case.pdf',
  mediaType: 'application/pdf',
  size: 10,
  sha256: 'a'.repeat(64),
  scan: 'unscanned',
  supersedes: null,
});

function appealIn(status: AppealView['status']): AppealCase {
  const submission = { department: 'HO' } as AppealView;
  const appeal = new AppealCase({ appealId: 'a-1', submission, submittedBy: caseworker });
  appeal.opened({ appeal: { ...submission, status }, policy: DEFAULT_POLICY, deadline: { kind: 'managerResponse', dueAt: future(), reminderAts: [] }, notices: [] });
  return appeal;
}

function refusal(act: () => unknown): ApplicationFailure {
  try {
    act();
  } catch (error) {
    return error as ApplicationFailure;
  }
  throw new Error('the action was not refused');
}

describe('documents: the rules', () => {
  it('are added while the appeal is open and undecided, and refused (409) in every other status', () => {
    for (const status of APPEAL_STATUSES) {
      const appeal = appealIn(status);
      if (documentsOpen(status)) {
        const step = appeal.take('addDocument', { actor: caseworker, document: document(1) });
        expect(step).to.deep.equal({ closes: {}, event: { type: 'document_added', actor: caseworker, data: { ...document(1) } }, document: document(1) });
        expect(appeal.status, status).to.equal(status);
      } else {
        const refused = refusal(() => appeal.check('addDocument', { actor: caseworker, document: document(1) }));
        expect(refused.type, status).to.equal(REFUSALS.conflict);
      }
    }
    expect(APPEAL_STATUSES.filter(documentsOpen)).to.deep.equal(['awaiting_manager_response', 'awaiting_hearing', 'hearing_scheduled', 'awaiting_decision']);
  });

  it(`refuses a document past the ${MAX_DOCUMENTS_PER_APPEAL} an appeal holds with a business rule (422)`, () => {
    const appeal = appealIn('awaiting_hearing');
    for (let n = 0; n < MAX_DOCUMENTS_PER_APPEAL; n++) appeal.take('addDocument', { actor: caseworker, document: document(n) });
    const refused = refusal(() => appeal.check('addDocument', { actor: caseworker, document: document(101) }));
    expect(refused.type).to.equal(REFUSALS.businessRule);
  });

  it("caseworkers upload the appellant's documents, managers the parent body's, others none", () => {
    expect(mayUpload('caseworker', 'business_case')).to.equal(true);
    expect(mayUpload('caseworker', 'manager_statement')).to.equal(false);
    expect(mayUpload('manager', 'manager_statement')).to.equal(true);
    expect(mayUpload('manager', 'staff_ballot')).to.equal(false);
    expect(mayUpload('arbiter', 'other')).to.equal(false);
    expect(mayUpload('admin', 'other')).to.equal(false);
  });

  for (const [given, kept] of [
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\sam\\case.pdf', 'case.pdf'],
    ['\u0000bad\u001b[31mname\u0085.csv', 'bad[31mname.csv'],
    ['..', 'document'],
    ['   ', 'document'],
    [`${'x'.repeat(300)}.pdf`, `${'x'.repeat(196)}.pdf`],
  ] as const) {
    it(`keeps ${JSON.stringify(kept).slice(0, 40)} of the file name ${JSON.stringify(given).slice(0, 40)}`, () => {
      expect(sanitiseFileName(given)).to.equal(kept);
    });
  }
});

describe("documents: clamd's verdict", () => {
  it('reads OK as clean and a FOUND as infected; anything else is no verdict', () => {
    expect(clamdVerdict('stream: OK\0')).to.equal('clean');
    expect(clamdVerdict('stream: Eicar-Test-Signature FOUND\0')).to.equal('infected');
    expect(clamdVerdict('INSTREAM size limit exceeded. ERROR\0')).to.equal(undefined);
    expect(clamdVerdict('stream: Can\'t allocate memory ERROR\0')).to.equal(undefined);
    expect(clamdVerdict('')).to.equal(undefined);
  });
});
