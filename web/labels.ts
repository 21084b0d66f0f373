/** The words the pages use for the engine's codes: one place, so every page says the same. */
import type { NotificationStatus } from '../db/entities/notification';
import type { Action } from '../domain/actions';
import type { NoticeKind, RecipientRole } from '../domain/notices';
import type { Criterion, DecisionOutcome } from '../domain/decision';
import type { AppealStatus } from '../domain/lifecycle';
import type { CalendarName, DeadlineKind, Period, Policy } from '../domain/policy';
import type { DeadlineState, EventType, GroundsOfAppeal, Role } from '../domain/appeal';
import type { DocumentCategory } from '../domain/documents';
import { ukDateTime } from './dates';

export const STATUS_NAMES: Record<AppealStatus, string> = {
  awaiting_manager_response: 'Awaiting the manager’s response',
  conceded: 'Conceded',
  awaiting_hearing: 'Awaiting a hearing',
  hearing_scheduled: 'Hearing scheduled',
  awaiting_decision: 'Awaiting the decision',
  dismissed: 'Dismissed',
  awaiting_compliance: 'Awaiting compliance',
  complied: 'Complied',
  withdrawn: 'Withdrawn',
};

/** govuk-tag colour of each status: open ones blue, settled ones green, refused red, withdrawn grey. */
export const STATUS_TAG_CLASSES: Record<AppealStatus, string> = {
  awaiting_manager_response: 'govuk-tag--blue',
  conceded: 'govuk-tag--green',
  awaiting_hearing: 'govuk-tag--blue',
  hearing_scheduled: 'govuk-tag--light-blue',
  awaiting_decision: 'govuk-tag--purple',
  dismissed: 'govuk-tag--red',
  awaiting_compliance: 'govuk-tag--yellow',
  complied: 'govuk-tag--green',
  withdrawn: 'govuk-tag--grey',
};

export const ACTION_NAMES: Record<Action, string> = {
  respond: 'Respond to the appeal',
  assignArbiter: 'Assign an arbiter',
  scheduleHearing: 'Schedule the hearing',
  recordHearingOutcome: 'Record the hearing outcome',
  decide: 'Decide the appeal',
  confirmCompliance: 'Confirm compliance',
  withdraw: 'Withdraw the appeal',
  extendDeadline: 'Extend a deadline',
};

export const DEADLINE_NAMES: Record<DeadlineKind, string> = {
  managerResponse: 'Manager’s response',
  hearing: 'Hearing',
  decision: 'Decision',
  compliance: 'Compliance',
};

export const DEADLINE_STATE_NAMES: Record<DeadlineState, string> = { running: 'Running', met: 'Met', missed: 'Missed', cancelled: 'Cancelled' };
export const DEADLINE_STATE_TAG_CLASSES: Record<DeadlineState, string> = {
  running: 'govuk-tag--blue',
  met: 'govuk-tag--green',
  missed: 'govuk-tag--red',
  cancelled: 'govuk-tag--grey',
};

export const ROLE_NAMES: Record<Role | 'system', string> = {
  caseworker: 'Caseworker',
  manager: 'Manager',
  arbiter: 'Arbiter',
  admin: 'Administrator',
  system: 'The engine',
};

export const GROUNDS_NAMES: Record<GroundsOfAppeal, string> = {
  no_response: 'The parent body did not respond',
  refused_without_reasons: 'The parent body refused without reasons',
  refused_unreasonably: 'The parent body refused unreasonably',
};

export const CALENDAR_NAMES: Record<CalendarName, string> = {
  'england-and-wales': 'England and Wales',
  scotland: 'Scotland',
  'northern-ireland': 'Northern Ireland',
};

/** Titles of timeline events, by their `type`. */
export const EVENT_TITLES: Record<EventType, string> = {
  submitted: 'Appeal opened',
  manager_conceded: 'Manager conceded',
  manager_contested: 'Manager contested the appeal',
  manager_defaulted: 'Manager did not respond in time',
  arbiter_assigned: 'Arbiter assigned',
  hearing_scheduled: 'Hearing scheduled',
  hearing_held: 'Hearing held',
  hearing_adjourned: 'Hearing adjourned',
  decision_made: 'Decision made',
  compliance_confirmed: 'Compliance confirmed',
  withdrawn: 'Appeal withdrawn',
  deadline_extended: 'Deadline extended',
  deadline_recalculated: 'Deadline moved by a change to the bank holidays',
  deadline_missed: 'Deadline missed',
  document_added: 'Document added',
  reminder_sent: 'Reminder sent',
};

export const DOCUMENT_CATEGORY_NAMES: Record<DocumentCategory, string> = {
  business_case: 'Business case',
  financial_model: 'Financial model',
  staff_ballot: 'Staff ballot',
  manager_statement: 'Manager’s statement',
  other: 'Other',
  decision_letter: 'Decision letter',
};

export const UNIT_NAMES: Record<Period['unit'], [string, string]> = {
  working_days: ['working day', 'working days'],
  calendar_days: ['calendar day', 'calendar days'],
  hours: ['hour', 'hours'],
  minutes: ['minute', 'minutes'],
  seconds: ['second', 'seconds'],
};

export function periodText({ amount, unit }: Period): string {
  const [one, many] = UNIT_NAMES[unit];
  return `${amount} ${amount === 1 ? one : many}`;
}

/** The engine's refusals name statuses, steps and deadlines by code, and instants in ISO; the pages say them in words and UK time. */
export function inWords(text: string): string {
  return text
    .replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (code) => (code in STATUS_NAMES ? STATUS_NAMES[code as AppealStatus].toLowerCase() : code))
    .replace(/\b[a-z]+[A-Z][A-Za-z]*\b/g, (code) => (code in DEADLINE_NAMES ? DEADLINE_NAMES[code as DeadlineKind].toLowerCase() : code))
    .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, (instant) => ukDateTime(instant));
}

export const NOTICE_KIND_NAMES: Record<NoticeKind, string> = {
  appeal_opened: 'Appeal opened',
  reminder: 'Reminder',
  escalation: 'Deadline missed',
  decision: 'Decision',
  deadline_moved: 'Deadline moved',
};

export const RECIPIENT_NAMES: Record<RecipientRole, string> = {
  manager: 'Manager',
  arbiter: 'Arbiter',
  caseworkers: 'Caseworkers',
  appellant: 'Appellant',
};

export const DELIVERY_NAMES: Record<NotificationStatus, string> = { pending: 'Waiting to send', sent: 'Sent', failed: 'Failed, retrying' };
export const DELIVERY_TAG_CLASSES: Record<NotificationStatus, string> = { pending: 'govuk-tag--grey', sent: 'govuk-tag--green', failed: 'govuk-tag--red' };
/** What an appeal awaits while an action is open: "This appeal is no longer awaiting …". */
export const ACTION_AWAITED: Partial<Record<Action, string>> = {
  respond: 'the manager’s response',
  assignArbiter: 'an arbiter',
  scheduleHearing: 'a hearing date',
  recordHearingOutcome: 'the hearing’s outcome',
  decide: 'a decision',
  confirmCompliance: 'confirmation of compliance',
};

/** The five criteria of a decision, as the decision form and pages name them. */
export const CRITERION_NAMES: Record<Criterion, string> = {
  financialViability: 'Financial viability',
  serviceQuality: 'Service quality',
  staffSupport: 'Staff support',
  valueForMoney: 'Value for money',
  continuityOfService: 'Continuity of service',
};

export const OUTCOME_NAMES: Record<DecisionOutcome, string> = {
  overrule: 'Overrule the managers',
  dismiss: 'Dismiss the appeal',
};

/** A policy's period in words, with the bank holidays its working days skip: "20 working days (England and Wales bank holidays)". */
export function periodInCalendar(period: Period, calendar: CalendarName): string {
  return period.unit === 'working_days' ? `${periodText(period)} (${CALENDAR_NAMES[calendar]} bank holidays)` : periodText(period);
}

/** The periods of a policy in the order of an appeal's life: the deadline each sets, and from when it runs. */
export const POLICY_PERIODS = [
  { key: 'managerResponse', kind: 'managerResponse', name: 'Manager’s response', from: 'from the appeal being opened' },
  { key: 'hearingWithin', kind: 'hearing', name: 'Hearing', from: 'from the manager contesting the appeal, or not responding in time' },
  { key: 'decisionWithin', kind: 'decision', name: 'Decision', from: 'from the hearing being held' },
  { key: 'complianceWithin', kind: 'compliance', name: 'Compliance', from: 'from the arbiter overruling the managers' },
] as const satisfies readonly { key: keyof Policy; kind: DeadlineKind; name: string; from: string }[];
