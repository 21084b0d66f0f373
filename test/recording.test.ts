import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { renderDecisionLetter } from '../activities/decision-letter';
import { createRecordingActivities } from '../activities/recording';
import type { AppealStep } from '../activities/types';
import { PostgresDocumentStore } from '../db/document-store';
import { readTimeline, verifyTimeline } from '../db/timeline';
import type { AppealSubmission } from '../domain/appeal';
import { ukTimeOn } from '../domain/decision-letter';
import { harness } from './harness';
import { submission } from './support/appeals';
import { pdfText } from './support/pdf';

const caseworker = { sub: 'caseworker-1', role: 'caseworker' as const };
const system = { sub: 'system', role: 'system' as const };

function recording() {
  return createRecordingActivities({ dataSource: harness().dataSource, caseworkerTeam: 'caseworkers@example.org' });
}

async function opened(): Promise<string> {
  const appealId = randomUUID();
  await recording().openAppeal({ appealId, submission: submission('HO') as unknown as AppealSubmission, submittedBy: caseworker });
  return appealId;
}

/**
 * Steps scheduled by a workflow before steps said which deadlines they close and start: one still
 * being retried when the worker is upgraded is recorded as it was then.
 */
describe('recording a step from an earlier workflow', () => {
  it('closes and starts the deadlines its status calls for, and answers the started one again on a retry', async () => {
    const appealId = await opened();
    const legacy: AppealStep = { appealId, key: 'legacy:contest', event: { type: 'manager_contested', actor: caseworker, data: {} }, status: 'awaiting_hearing' };
    const first = await recording().recordStep(legacy);
    expect(first.appeal.status).to.equal('awaiting_hearing');
    expect(first.appeal.deadlineDetails.map((d) => [d.kind, d.state])).to.deep.equal([
      ['managerResponse', 'met'],
      ['hearing', 'running'],
    ]);
    expect(first.deadline?.kind).to.equal('hearing');
    const again = await recording().recordStep(legacy);
    expect(again.deadline).to.deep.equal(first.deadline);
    expect(again.appeal.updatedAt).to.equal(first.appeal.updatedAt);
  });

  it('marks a missed deadline missed when the managers default', async () => {
    const appealId = await opened();
    const result = await recording().recordStep({
      appealId,
      key: 'missed:managerResponse',
      event: { type: 'manager_defaulted', actor: system, data: {} },
      status: 'awaiting_hearing',
      changes: { managerDefaulted: true },
      missedDeadline: 'managerResponse',
      notice: { kind: 'escalation', deadlineKind: 'managerResponse' },
    });
    expect(result.appeal.deadlineDetails.map((d) => [d.kind, d.state])).to.deep.equal([
      ['managerResponse', 'missed'],
      ['hearing', 'running'],
    ]);
    expect(result.appeal.managerDefaulted).to.equal(true);
    expect(result.notices).to.have.length(2);
  });
});

interface LetterRow {
  id: string;
  sha256: string;
  file_name: string;
  uploaded_by: string;
}

/** What an appeal holds of its decision letter: the documents rows, the events, and the bytes of the first. */
async function lettersOf(appealId: string) {
  const db = harness().dataSource;
  const documents = await db.query<LetterRow[]>(`SELECT id, sha256, file_name, uploaded_by FROM documents WHERE appeal_id = $1 AND category = 'decision_letter'`, [appealId]);
  const events = await db.query<{ seq: number; data: { id: string; sha256: string } }[]>(
    `SELECT seq, data FROM timeline_events WHERE appeal_id = $1 AND type = 'document_added' ORDER BY seq`,
    [appealId],
  );
  const [decided] = await db.query<{ seq: number }[]>(`SELECT seq FROM timeline_events WHERE appeal_id = $1 AND type = 'decision_made'`, [appealId]);
  const bytes = documents[0] ? Buffer.concat(await new PostgresDocumentStore(db).get(documents[0].id).toArray()) : Buffer.alloc(0);
  return { documents, events, decidedSeq: decided?.seq, bytes };
}

/** Bytes in the store that no document was recorded for. */
async function unrecordedBlobs(): Promise<number> {
  const [{ n }] = await harness().dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM document_blobs b WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = b.id)`);
  return n;
}

const arbiter = { sub: 'arb-letter', role: 'arbiter' as const };

function decisionStep(appealId: string, outcome: 'overrule' | 'dismiss'): AppealStep {
  const assessment = outcome === 'overrule'
    ? { financialViability: 4, serviceQuality: 3, staffSupport: 5, valueForMoney: 2, continuityOfService: 4 }
    : { financialViability: 1, serviceQuality: 2, staffSupport: 3, valueForMoney: 1, continuityOfService: 2 };
  const reasons = outcome === 'overrule' ? 'The business case is sound.' : 'The business case is too weak.';
  return {
    appealId,
    key: `decide:${outcome}`,
    event: { type: 'decision_made', actor: arbiter, data: { outcome, assessment, reasons } },
    decision: { outcome, assessment, reasons, arbiterId: arbiter.sub },
    status: outcome === 'overrule' ? 'awaiting_compliance' : 'dismissed',
    closes: { managerResponse: 'cancelled' },
    ...(outcome === 'overrule' ? { starts: 'compliance' as const, notice: { kind: 'decision' as const, deadlineKind: 'compliance' as const } } : { notice: { kind: 'decision' as const } }),
  };
}

describe('recording a decision', () => {
  it("makes the decision letter once: a decision_letter document whose hash is its document_added event's and its bytes', right after the decision in the verified chain", async () => {
    const appealId = await opened();
    const result = await recording().recordStep(decisionStep(appealId, 'overrule'));
    const { documents, events, decidedSeq, bytes } = await lettersOf(appealId);

    expect(documents).to.have.lengthOf(1);
    const [letter] = documents;
    expect(letter.file_name).to.equal(`${result.appeal.reference}-decision-letter.pdf`);
    expect(letter.uploaded_by).to.equal('system');
    expect(events.map((e) => [e.seq, e.data.id, e.data.sha256])).to.deep.equal([[(decidedSeq) + 1, letter.id, letter.sha256]]);
    expect(createHash('sha256').update(bytes).digest('hex')).to.equal(letter.sha256);
    const rendered = await renderDecisionLetter(harness().dataSource.manager, appealId);
    expect(rendered?.pdf.equals(bytes), 'rendered again from the recorded decision: the same bytes').to.equal(true);
    const timeline = await readTimeline(harness().dataSource.manager, appealId);
    expect(verifyTimeline(appealId, timeline).verified).to.equal(true);

    const text = await pdfText(bytes);
    expect(text).to.contain(result.appeal.reference);
    expect(text).to.contain('The appeal is allowed: the arbiter overrules the managers');
    for (const line of ['Financial viability: 4 out of 5', 'Service quality: 3 out of 5', 'Staff support: 5 out of 5', 'Value for money: 2 out of 5', 'Continuity of service: 4 out of 5', 'Total: 18 out of 25']) {
      expect(text, line).to.contain(line);
    }
    expect(text).to.contain('(at least 2 needed: threshold met)');
    expect(text).to.contain('(at least 15 needed: threshold met)');
    expect(text).to.contain(`confirm that it has done so by ${ukTimeOn(result.deadline?.dueAt as string)}`);
  });

  it('makes no second letter, event or stored copy when the decision is recorded again, or twice at once', async () => {
    const appealId = await opened();
    const step = decisionStep(appealId, 'overrule');
    await recording().recordStep(step);
    const first = await lettersOf(appealId);
    const unrecorded = await unrecordedBlobs();
    await recording().recordStep(step);
    const again = await lettersOf(appealId);
    expect(again.documents).to.deep.equal(first.documents);
    expect(again.events).to.deep.equal(first.events);

    const racing = await opened();
    const racingStep = decisionStep(racing, 'dismiss');
    await Promise.all([recording().recordStep(racingStep), recording().recordStep(racingStep)]);
    const raced = await lettersOf(racing);
    expect(raced.documents).to.have.lengthOf(1);
    expect(raced.events.map((e) => e.data.id)).to.deep.equal([raced.documents[0].id]);
    expect(await unrecordedBlobs(), 'the losing recording deleted its bytes').to.equal(unrecorded);
  });

  it("writes a dismissal's letter with the scores short of the thresholds and nothing for the parent body to do", async () => {
    const appealId = await opened();
    const result = await recording().recordStep(decisionStep(appealId, 'dismiss'));
    const text = await pdfText((await lettersOf(appealId)).bytes);
    expect(text).to.contain(result.appeal.reference);
    expect(text).to.contain('The appeal is dismissed: the refusal by the managers');
    expect(text).to.contain('Financial viability: 1 out of 5 (at least 2 needed: threshold not met)');
    expect(text).to.contain('Total: 9 out of 25 (at least 15 needed: threshold not met)');
    expect(text).not.to.contain('What the parent body must do');
  });
});
