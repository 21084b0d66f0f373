import type { DeadlineKind } from './policy';

/** Who a notice goes to: resolved to an address when the notice is written. */
export type RecipientRole = 'manager' | 'arbiter' | 'caseworkers' | 'appellant';

export const NOTICE_KINDS = ['appeal_opened', 'reminder', 'escalation', 'decision', 'deadline_moved'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The party who must act before a deadline. */
export function partyDue(deadline: DeadlineKind): RecipientRole {
  return deadline === 'managerResponse' || deadline === 'compliance' ? 'manager' : 'arbiter';
}

/** Who receives each kind of notice. */
export function recipientsOf(kind: NoticeKind, deadline?: DeadlineKind): RecipientRole[] {
  switch (kind) {
    case 'appeal_opened':
      return ['manager', 'appellant'];
    case 'reminder':
      return deadline ? [partyDue(deadline)] : [];
    case 'escalation':
      return ['caseworkers', 'appellant'];
    case 'decision':
      return ['appellant', 'manager'];
    case 'deadline_moved':
      return deadline ? [...new Set<RecipientRole>([partyDue(deadline), 'manager', 'appellant'])] : [];
  }
}
