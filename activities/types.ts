/** What the workflow asks the activities to record, and what it gets back. */
import type { Actor, AppealView, Decision, DeadlineEnd, EventType, Hearing } from '../domain/appeal';
import type { AppealStatus } from '../domain/lifecycle';
import type { DeadlineKind, Policy } from '../domain/policy';
import type { NoticeKind } from '../domain/notices';
import type { DocumentRecord } from '../domain/documents';
import type { AppealWorkflowInput } from '../workflows/shared';

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
  /** Ids of the notices opening wrote, for the workflow to make sure they went. */
  notices: string[];
}

export type OpenAppealInput = AppealWorkflowInput;

/** A notice a step sends. One about a deadline the step starts has no `dueAt`: the recording fills it in. */
export interface StepNotice {
  kind: NoticeKind;
  deadlineKind?: DeadlineKind;
  dueAt?: string;
}

/**
 * One step of an appeal as the appeal decided it (workflows/appeal-case.ts): a timeline event and
 * everything that changes with it, written in one transaction. The recording writes what the step
 * says and works out only the instants (a started deadline's due date, an extension's reminders).
 * `key` is unique per appeal: recording the same key twice writes nothing new.
 */
export interface AppealStep {
  appealId: string;
  key: string;
  event: { type: EventType; actor: Actor; data: Record<string, unknown> };
  status?: AppealStatus;
  changes?: { managerDefaulted?: boolean; arbiterId?: string; hearing?: Hearing };
  decision?: Omit<Decision, 'decidedAt'>;
  /** The running deadlines this step ends, and how. Absent only in steps scheduled before it existed. */
  closes?: Partial<Record<DeadlineKind, DeadlineEnd>>;
  /** The deadline this step starts. */
  starts?: DeadlineKind;
  extendDeadline?: { kind: DeadlineKind; until: string; reason: string; by: string };
  /** Count the running deadline again on the calendar in force, after the change to it that made this version. */
  recalculateDeadlines?: { calendarVersion: number };
  notice?: StepNotice;
  /** A document whose bytes are stored: recorded with the event (the event's actor uploaded it). */
  document?: DocumentRecord;
  /** Only in steps scheduled before `closes`: the deadline a step marked missed. */
  missedDeadline?: DeadlineKind;
}

export interface StepResult {
  appeal: AppealView;
  /** The schedule of a deadline this step started, extended or moved. */
  deadline: DeadlineSchedule | null;
  /** Ids of the notices this step wrote (the same ids when the step is retried), for the workflow to make sure they went. */
  notices: string[];
}
