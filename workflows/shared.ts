/**
 * Definitions shared by the workflow, the worker and the API: the task queue, workflow ids,
 * search attributes, messages (updates and queries) and the shapes they carry.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { AppealStatus } from '../domain/lifecycle';
import type { Assessment, DecisionOutcome } from '../domain/decision';
import type { DeadlineKind, Period, Policy } from '../domain/policy';

export const DEFAULT_TASK_QUEUE = 'appeals';
export const DEFAULT_NAMESPACE = 'default';

export const appealWorkflowId = (appealId: string): string => `appeal-${appealId}`;

/** The timeline step key of an action a person took through a Workflow Update. */
export const updateStepKey = (updateId: string): string => `update:${updateId}`;

export const appealStatusKey = defineSearchAttributeKey('AppealStatus', SearchAttributeType.KEYWORD);
export const appealDepartmentKey = defineSearchAttributeKey('AppealDepartment', SearchAttributeType.KEYWORD);
export const appealOverdueKey = defineSearchAttributeKey('AppealOverdue', SearchAttributeType.BOOL);
/** Custom search attributes the Temporal namespace must have, as `temporal --search-attribute` spells them. */
export const SEARCH_ATTRIBUTES = { AppealStatus: 'Keyword', AppealDepartment: 'Keyword', AppealOverdue: 'Bool' } as const;

export const ROLES = ['caseworker', 'manager', 'arbiter', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who took a step: a person from their token, or the engine itself when a deadline passes. */
export interface Actor {
  sub: string;
  role: Role | 'system';
}
export const SYSTEM_ACTOR: Actor = { sub: 'system', role: 'system' };

export const GROUNDS_OF_APPEAL = ['no_response', 'refused_without_reasons', 'refused_unreasonably'] as const;
export type GroundsOfAppeal = (typeof GROUNDS_OF_APPEAL)[number];

export interface AppealSubmission {
  department: string;
  parentBody: { name: string; managerName: string; managerEmail: string };
  appellant: { name: string; email: string };
  proposedMutual: { name: string; service: string; staffCount: number; annualTurnoverPence: number };
  groundsOfAppeal: GroundsOfAppeal;
  /** A calendar date, YYYY-MM-DD. */
  requestSubmittedOn: string;
  businessCaseSummary: string;
}

export interface AppealWorkflowInput {
  appealId: string;
  submission: AppealSubmission;
  submittedBy: Actor;
}

export interface Hearing {
  scheduledFor: string;
  location: string;
  outcome: 'held' | 'adjourned' | null;
  notes: string | null;
}

export interface Decision {
  outcome: DecisionOutcome;
  assessment: Assessment;
  reasons: string;
  arbiterId: string;
  decidedAt: string;
}

/** Why a deadline falls when it does. */
export interface DeadlineExplanation {
  policyVersion: number;
  start: string;
  period: Period;
  calendar: Policy['calendar'];
  skippedWeekendDays: string[];
  skippedBankHolidays: { date: string; name: string }[];
  endsAt: string;
}

export const DEADLINE_STATES = ['running', 'met', 'missed', 'cancelled'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

export interface DeadlineRecord {
  kind: DeadlineKind;
  dueAt: string;
  state: DeadlineState;
  reminderAts: string[];
  explanation: DeadlineExplanation;
  extensions: { from: string; until: string; reason: string; by: string; at: string }[];
}

/** The case record as the API answers it. */
export interface AppealView extends AppealSubmission {
  id: string;
  reference: string;
  status: AppealStatus;
  policyVersion: number;
  managerDefaulted: boolean;
  arbiterId: string | null;
  hearing: Hearing | null;
  decision: Decision | null;
  deadlines: Record<`${DeadlineKind}Due`, string | null>;
  deadlineDetails: DeadlineRecord[];
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
}

// ---- messages ---------------------------------------------------------------------------------

export interface ManagerResponse { actor: Actor; position: 'concede' | 'contest'; statement: string }
export interface ArbiterAssignment {
  actor: Actor;
  /** The arbiter as the register holds them; the API looks them up before sending the update. */
  arbiter: { id: string; name: string; email: string; department: string | null };
}
export interface HearingSchedule { actor: Actor; scheduledFor: string; location: string }
export interface HearingOutcome { actor: Actor; outcome: 'held' | 'adjourned'; rescheduledFor?: string; notes?: string }
export interface DecisionRequest { actor: Actor; outcome: DecisionOutcome; assessment: Assessment; reasons: string }
export interface ComplianceConfirmation { actor: Actor; statement: string }
export interface Withdrawal { actor: Actor; reason: string }
export interface DeadlineExtension { actor: Actor; kind: DeadlineKind; until: string; reason: string }

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
