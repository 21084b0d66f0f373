/** What the workflow asks the activities to record, and what it gets back. */
import type { AppealStatus } from '../domain/lifecycle';
import type { DeadlineKind, Policy } from '../domain/policy';
import type { NoticeKind } from '../domain/notices';
import type { Actor, AppealView, AppealWorkflowInput, Decision, Hearing } from '../workflows/shared';

/** The running deadline's instants, for the workflow's timers. */
export interface DeadlineSchedule {
  kind: DeadlineKind;
  dueAt: string;
  reminderAts: string[];
}

export interface OpenedAppeal {
  appeal: AppealView;
  policy: Policy;
  deadline: DeadlineSchedule;
  /** Ids of the notices opening wrote, for the workflow to deliver. */
  notices: string[];
}

export type OpenAppealInput = AppealWorkflowInput;

/**
 * One step of an appeal: a timeline event and everything that changes with it, written in one
 * transaction. `key` is unique per appeal: recording the same key twice writes nothing new.
 * Deadlines follow the status: entering a status starts its deadline, leaving it closes it.
 */
export interface AppealStep {
  appealId: string;
  key: string;
  event: { type: string; actor: Actor; data: Record<string, unknown> };
  status?: AppealStatus;
  changes?: { managerDefaulted?: boolean; arbiterId?: string; hearing?: Hearing };
  decision?: Omit<Decision, 'decidedAt'>;
  missedDeadline?: DeadlineKind;
  extendDeadline?: { kind: DeadlineKind; until: string; reason: string; by: string };
  notice?: { kind: NoticeKind; deadlineKind?: DeadlineKind; dueAt?: string };
}

export interface StepResult {
  appeal: AppealView;
  /** The schedule of a deadline this step started or extended. */
  deadline: DeadlineSchedule | null;
  /** Ids of the notices this step wrote (the same ids when the step is retried), for the workflow to deliver. */
  notices: string[];
}
