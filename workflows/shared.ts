/**
 * What is Temporal's about an appeal, shared by the workflow, the worker and the API: the
 * workflow id, search attributes, messages (updates and the query) with the requests they carry,
 * and the refusals an update's validator throws. The appeal's own types live in domain/appeal.ts.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { ApplicationFailure, defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair, type UpdateDefinition } from '@temporalio/common';
import type { Actor, AppealSubmission, AppealView, DeadlineState, HearingOutcomeKind } from '../domain/appeal';
import type { AppealStatus } from '../domain/lifecycle';
import type { Assessment, DecisionOutcome } from '../domain/decision';
import type { DeadlineKind } from '../domain/policy';
import type { DocumentRecord } from '../domain/documents';

export const appealWorkflowId = (appealId: string): string => `appeal-${appealId}`;

/** The timeline step key of an action a person took through a Workflow Update. */
export const updateStepKey = (updateId: string): string => `update:${updateId}`;

export const appealStatusKey = defineSearchAttributeKey('AppealStatus', SearchAttributeType.KEYWORD);
export const appealDepartmentKey = defineSearchAttributeKey('AppealDepartment', SearchAttributeType.KEYWORD);
export const appealOverdueKey = defineSearchAttributeKey('AppealOverdue', SearchAttributeType.BOOL);
/** The search attributes of an appeal's workflow: set when the API starts it, upserted as the appeal moves. */
export function appealSearchAttributes(appeal: { status: AppealStatus; department: string; overdue: boolean }): SearchAttributePair[] {
  return [
    { key: appealStatusKey, value: appeal.status },
    { key: appealDepartmentKey, value: appeal.department },
    { key: appealOverdueKey, value: appeal.overdue },
  ];
}

/** Custom search attributes the Temporal namespace must have, as `temporal --search-attribute` spells them. */
export const SEARCH_ATTRIBUTES = { AppealStatus: 'Keyword', AppealDepartment: 'Keyword', AppealOverdue: 'Bool' } as const;

export interface AppealWorkflowInput {
  appealId: string;
  submission: AppealSubmission;
  submittedBy: Actor;
}

// ---- messages ---------------------------------------------------------------------------------

export interface ManagerResponse { actor: Actor; position: 'concede' | 'contest'; statement: string }
export interface ArbiterAssignment {
  actor: Actor;
  /** The arbiter as the register holds them; the API looks them up before sending the update. */
  arbiter: { id: string; name: string; email: string; department: string | null };
}
export interface HearingSchedule { actor: Actor; scheduledFor: string; location: string }
export interface HearingOutcome { actor: Actor; outcome: HearingOutcomeKind; rescheduledFor?: string; notes?: string }
export interface DecisionRequest { actor: Actor; outcome: DecisionOutcome; assessment: Assessment; reasons: string }
export interface ComplianceConfirmation { actor: Actor; statement: string }
export interface Withdrawal { actor: Actor; reason: string }
export interface DeadlineExtension { actor: Actor; kind: DeadlineKind; until: string; reason: string }
/** A document whose bytes the API has stored: the step records it and its `document_added` event. */
export interface DocumentAddition { actor: Actor; document: DocumentRecord }

/** What each action a person takes carries; each has an update of the same name. */
export interface ActionRequests {
  respondAsManager: ManagerResponse;
  assignArbiter: ArbiterAssignment;
  scheduleHearing: HearingSchedule;
  recordHearingOutcome: HearingOutcome;
  decide: DecisionRequest;
  confirmCompliance: ComplianceConfirmation;
  withdraw: Withdrawal;
  extendDeadline: DeadlineExtension;
  addDocument: DocumentAddition;
}
export type PersonAction = keyof ActionRequests;

/** Sent with the workflow start; answers once the appeal is recorded. */
export const openAppealUpdate = defineUpdate<AppealView>('openAppeal');
export const respondAsManagerUpdate = defineUpdate<AppealView, [ManagerResponse]>('respondAsManager');
export const assignArbiterUpdate = defineUpdate<AppealView, [ArbiterAssignment]>('assignArbiter');
export const scheduleHearingUpdate = defineUpdate<AppealView, [HearingSchedule]>('scheduleHearing');
export const recordHearingOutcomeUpdate = defineUpdate<AppealView, [HearingOutcome]>('recordHearingOutcome');
export const decideUpdate = defineUpdate<AppealView, [DecisionRequest]>('decide');
export const confirmComplianceUpdate = defineUpdate<AppealView, [ComplianceConfirmation]>('confirmCompliance');
export const withdrawUpdate = defineUpdate<AppealView, [Withdrawal]>('withdraw');
export const extendDeadlineUpdate = defineUpdate<AppealView, [DeadlineExtension]>('extendDeadline');
export const addDocumentUpdate = defineUpdate<AppealView, [DocumentAddition]>('addDocument');

/** The update of each action, in the order the workflow registers them. */
export const ACTION_UPDATES: { [A in PersonAction]: UpdateDefinition<AppealView, [ActionRequests[A]]> } = {
  respondAsManager: respondAsManagerUpdate,
  assignArbiter: assignArbiterUpdate,
  scheduleHearing: scheduleHearingUpdate,
  recordHearingOutcome: recordHearingOutcomeUpdate,
  decide: decideUpdate,
  confirmCompliance: confirmComplianceUpdate,
  withdraw: withdrawUpdate,
  extendDeadline: extendDeadlineUpdate,
  addDocument: addDocumentUpdate,
};

/** The bank holidays changed (calendar version `calendarVersion`): count the running deadline again. */
export interface CalendarChanged { calendarVersion: number }
export const calendarChangedSignal = defineSignal<[CalendarChanged]>('calendarChanged');

/** The workflow that offers a calendar version's change to every open appeal it may touch; one per version and database schema. */
export const calendarChangeWorkflowId = (schema: string, version: number): string => `calendar-${schema}-v${version}`;

/** The schedule that makes a signed checkpoint every CHECKPOINT_INTERVAL_HOURS, one per database schema, and its workflows' id. */
export const checkpointScheduleId = (schema: string): string => `checkpoints-${schema}`;
export const checkpointWorkflowId = (schema: string): string => `checkpoint-${schema}`;

export interface AppealState {
  status: AppealStatus;
  arbiterId: string | null;
  deadlines: Partial<Record<DeadlineKind, { dueAt: string; state: DeadlineState; pendingReminders: string[] }>>;
}
export const appealStateQuery = defineQuery<AppealState>('appealState');

/**
 * Failure types of refused updates, carried by ApplicationFailure.type; the API maps each to
 * its HTTP status.
 */
export const REFUSALS = {
  /** The action does not fit the appeal's current status: 409. */
  conflict: 'AppealConflict',
  /** A business rule refused it: 422. */
  businessRule: 'BusinessRuleViolation',
  /** The caller may not take this action on this appeal: 403. */
  forbidden: 'ActionForbidden',
} as const;

/** The action does not fit the appeal as it stands. */
export function conflict(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSALS.conflict, message, nonRetryable: true });
}

/** A business rule refuses the action; `details` say which. */
export function businessRule(message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSALS.businessRule, message, nonRetryable: true, details: details ? [details] : [] });
}

export function forbidden(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSALS.forbidden, message, nonRetryable: true });
}
