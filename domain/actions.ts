/**
 * The actions people take on an appeal (each one API call, and one form of the pages): who may
 * take each, when it is open to them, and whose action an appeal waits for next. Pure: the API's
 * role checks, the case page's list of actions and "Your work" all read these tables.
 */
import type { Role } from './appeal';
import { canTake, DEADLINE_RUNS_WHILE, type AppealStatus, type Step } from './lifecycle';
import type { DeadlineKind } from './policy';

export const ACTIONS = {
  respond: { roles: ['manager'], steps: ['concede', 'contest'] },
  assignArbiter: { roles: ['caseworker'], steps: ['assignArbiter'] },
  scheduleHearing: { roles: ['caseworker', 'arbiter'], steps: ['scheduleHearing'] },
  recordHearingOutcome: { roles: ['arbiter'], steps: ['holdHearing', 'adjournHearing'] },
  decide: { roles: ['arbiter'], steps: ['overrule', 'dismiss'] },
  confirmCompliance: { roles: ['manager'], steps: ['confirmCompliance'] },
  withdraw: { roles: ['caseworker'], steps: ['withdraw'] },
  /** Moves a running deadline later; no step of the lifecycle. */
  extendDeadline: { roles: ['caseworker'], steps: [] },
} as const satisfies Record<string, { roles: readonly Role[]; steps: readonly Step[] }>;
export type Action = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as Action[];

/** Who is acting: the API's Caller and the pages' signed-in person have this shape. */
export interface Person {
  sub: string;
  role: Role;
  department?: string;
}

/** What the rules need to know of an appeal. */
export interface AppealFacts {
  status: AppealStatus;
  department: string;
  arbiterId: string | null;
  overdue: boolean;
  deadlineDetails: { kind: DeadlineKind; state: string; dueAt: string }[];
}

/**
 * May `person` take `action` on `appeal` now? Their role may call it; one of its steps fits the
 * status (or, to extend, a deadline runs); managers act on their department's appeals; arbiters
 * on appeals assigned to them; a hearing is scheduled only once an arbiter is assigned. The
 * workflow's validators check the same at the moment of acting, and have the last word.
 */
export function mayTake(person: Person, appeal: AppealFacts, action: Action): boolean {
  const rule: { roles: readonly Role[]; steps: readonly Step[] } = ACTIONS[action];
  if (!rule.roles.includes(person.role)) return false;
  if (person.role === 'manager' && person.department !== appeal.department) return false;
  if (person.role === 'arbiter' && appeal.arbiterId !== person.sub) return false;
  if (action === 'scheduleHearing' && !appeal.arbiterId) return false;
  if (action === 'extendDeadline') return runningDeadline(appeal)?.state === 'running';
  return rule.steps.some((step) => canTake(appeal.status, step));
}

/** Every action `person` may take on `appeal` now, in the order of ACTIONS. */
export function actionsOpenTo(person: Person, appeal: AppealFacts): Action[] {
  return ACTION_NAMES.filter((action) => mayTake(person, appeal, action));
}

/** For each status an appeal waits in, the action it waits for and the role expected to take it. */
const WAITS_FOR: Partial<Record<AppealStatus, { action: Action; by: Role; when?: (appeal: AppealFacts) => boolean }[]>> = {
  awaiting_manager_response: [{ action: 'respond', by: 'manager' }],
  awaiting_hearing: [
    { action: 'assignArbiter', by: 'caseworker', when: (appeal) => !appeal.arbiterId },
    { action: 'scheduleHearing', by: 'arbiter', when: (appeal) => Boolean(appeal.arbiterId) },
  ],
  hearing_scheduled: [{ action: 'recordHearingOutcome', by: 'arbiter' }],
  awaiting_decision: [{ action: 'decide', by: 'arbiter' }],
  awaiting_compliance: [{ action: 'confirmCompliance', by: 'manager' }],
};

/** The statuses in which an appeal may wait for someone of this role (to list their work). */
export function statusesAwaiting(role: Role): AppealStatus[] {
  return (Object.entries(WAITS_FOR) as [AppealStatus, { by: Role }[]][]).filter(([, waits]) => waits.some((w) => w.by === role)).map(([status]) => status);
}

/** One line of "Your work": what to do, by when, and whether that is already past. */
export interface WorkItem {
  action: Action;
  deadline: DeadlineKind | null;
  dueAt: string | null;
  overdue: boolean;
}

/** What `appeal` waits for from `person` next, if anything; `now` decides whether it is overdue. */
export function workFor(person: Person, appeal: AppealFacts, now: Date): WorkItem | undefined {
  const wait = WAITS_FOR[appeal.status]?.find((w) => w.by === person.role && (w.when?.(appeal) ?? true));
  if (!wait || !mayTake(person, appeal, wait.action)) return undefined;
  const deadline = runningDeadline(appeal);
  const dueAt = deadline?.dueAt ?? null;
  return { action: wait.action, deadline: deadline?.kind ?? null, dueAt, overdue: appeal.overdue || (dueAt !== null && Date.parse(dueAt) < now.getTime()) };
}

/** The deadline of the appeal's current stage: running, or missed and not yet met. */
export function runningDeadline(appeal: AppealFacts): AppealFacts['deadlineDetails'][number] | undefined {
  return appeal.deadlineDetails.find(
    (d) => (d.state === 'running' || d.state === 'missed') && DEADLINE_RUNS_WHILE[d.kind].includes(appeal.status),
  );
}

/** Work in the order to do it: the soonest due first, work without a deadline last. */
export function byDueDate(a: { dueAt: string | null }, b: { dueAt: string | null }): number {
  const due = (item: { dueAt: string | null }) => (item.dueAt ? Date.parse(item.dueAt) : Number.MAX_SAFE_INTEGER);
  return due(a) - due(b);
}
