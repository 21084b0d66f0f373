/**
 * The appeal as a record: who acts on it, what was submitted, its hearing, decision and
 * deadlines, the case record the API answers, and the events of its timeline. Plain types and
 * constants, safe for workflow code; api/appeals/schemas.ts holds the zod schema of AppealView,
 * and test/unit/appeal-view.test.ts checks the two describe the same shape.
 */
import type { Assessment, DecisionOutcome } from './decision';
import type { AppealStatus } from './lifecycle';
import type { DeadlineKind, Period, Policy } from './policy';

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

export type HearingOutcomeKind = 'held' | 'adjourned';

export interface Hearing {
  scheduledFor: string;
  location: string;
  outcome: HearingOutcomeKind | null;
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
  /** The version of the calendar data the days were counted on (absent from deadlines counted before it was data). */
  calendarVersion?: number;
  /** Counted into a year the calendar data does not cover yet, on the standard rules; counted again when that year is imported. */
  provisional?: boolean;
  /** How the days are counted, in words. */
  counting?: string;
  skippedWeekendDays: string[];
  skippedBankHolidays: { date: string; name: string }[];
  endsAt: string;
}

export const DEADLINE_STATES = ['running', 'met', 'missed', 'cancelled'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];
/** How a deadline that stops running ends. */
export type DeadlineEnd = Exclude<DeadlineState, 'running'>;

export interface DeadlineExtensionRecord {
  from: string;
  until: string;
  reason: string;
  by: string;
  at: string;
}

export interface DeadlineRecord {
  kind: DeadlineKind;
  dueAt: string;
  state: DeadlineState;
  reminderAts: string[];
  explanation: DeadlineExplanation;
  extensions: DeadlineExtensionRecord[];
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

/** Every kind of event an appeal's timeline holds. */
export type EventType =
  | 'submitted'
  | 'manager_conceded'
  | 'manager_contested'
  | 'manager_defaulted'
  | 'arbiter_assigned'
  | 'hearing_scheduled'
  | 'hearing_held'
  | 'hearing_adjourned'
  | 'decision_made'
  | 'compliance_confirmed'
  | 'withdrawn'
  | 'deadline_extended'
  | 'deadline_recalculated'
  | 'reminder_sent'
  | 'deadline_missed'
  | 'document_added';

/** A timeline event as the API answers it. */
export interface TimelineEvent {
  seq: number;
  type: EventType;
  actor: Actor;
  at: string;
  data: Record<string, unknown>;
  hash: string;
}
