/**
 * What a decision letter is made from, all of it as recorded and never changed afterwards: the
 * appeal's parties, grounds and policy (fixed when it was opened), the decision row, and the
 * compliance deadline as the decision's timeline event recorded it (an extension later moves the
 * deadline, not what the letter said). Read again, it makes the same letter.
 */
import type { EntityManager } from 'typeorm';
import type { DecisionLetterFacts } from '../domain/decision-letter';
import { decisionsOf, findAppealRow } from './appeals';

export async function decisionLetterFacts(db: EntityManager, appealId: string): Promise<DecisionLetterFacts | null> {
  const [appeal, [decision], [event]] = await Promise.all([
    findAppealRow(db, appealId),
    decisionsOf(db, [appealId]),
    db.query<{ due_at: string | null }[]>(`SELECT data->'deadline'->>'dueAt' AS due_at FROM timeline_events WHERE appeal_id = $1 AND type = 'decision_made'`, [appealId]),
  ]);
  if (!appeal || !decision) return null;
  return {
    appeal: {
      reference: appeal.reference,
      department: appeal.departmentCode,
      policyVersion: appeal.policyVersion,
      parentBody: appeal.parentBody,
      appellant: appeal.appellant,
      proposedMutual: appeal.proposedMutual,
      groundsOfAppeal: appeal.groundsOfAppeal,
      requestSubmittedOn: appeal.requestSubmittedOn,
    },
    policy: appeal.policy,
    decision: { outcome: decision.outcome, assessment: decision.assessment, reasons: decision.reasons, arbiterId: decision.arbiterId, decidedAt: decision.decidedAt.toISOString() },
    complianceDueAt: decision.outcome === 'overrule' ? (event?.due_at ?? null) : null,
  };
}
