/** The people behind a notice's recipient roles on an appeal. */
import type { EntityManager } from 'typeorm';
import type { RecipientRole } from '../domain/notices';
import type { AppealRow } from '../db/appeals';
import { findArbiter } from '../db/arbiters';

/** The person behind a recipient role; none for the caseworker team or an arbiter not yet assigned. */
export async function partyOf(db: EntityManager, appeal: AppealRow, role: RecipientRole): Promise<{ name: string; email: string } | null> {
  switch (role) {
    case 'manager':
      return { name: appeal.parentBody.managerName, email: appeal.parentBody.managerEmail };
    case 'appellant':
      return appeal.appellant;
    case 'arbiter':
      return appeal.arbiterId ? findArbiter(db, appeal.arbiterId) : null;
    case 'caseworkers':
      return null;
  }
}
