import type { DeadlineEnd, HearingOutcomeKind } from './appeal';
import { DEADLINE_KINDS, type DeadlineKind } from './policy';

/** Where an appeal is in its process. */
export const APPEAL_STATUSES = [
  'awaiting_manager_response',
  'conceded',
  'awaiting_hearing',
  'hearing_scheduled',
  'awaiting_decision',
  'dismissed',
  'awaiting_compliance',
  'complied',
  'withdrawn',
] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

/** Where every appeal starts: the managers have their chance to answer. */
export const FIRST_STATUS: AppealStatus = 'awaiting_manager_response';

export const TERMINAL_STATUSES: readonly AppealStatus[] = ['conceded', 'dismissed', 'complied', 'withdrawn'];

export function isTerminal(status: AppealStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Every step that moves an appeal, whether a person takes it or a deadline does. */
export const STEPS = [
  'concede',
  'contest',
  'managerDefault',
  'assignArbiter',
  'scheduleHearing',
  'holdHearing',
  'adjournHearing',
  'overrule',
  'dismiss',
  'confirmCompliance',
  'withdraw',
] as const;
export type Step = (typeof STEPS)[number];

/** The transition table: for each step, the statuses it may start from and where it leads. */
export const TRANSITIONS: Record<Step, Partial<Record<AppealStatus, AppealStatus>>> = {
  concede: { awaiting_manager_response: 'conceded' },
  contest: { awaiting_manager_response: 'awaiting_hearing' },
  managerDefault: { awaiting_manager_response: 'awaiting_hearing' },
  assignArbiter: { awaiting_hearing: 'awaiting_hearing', hearing_scheduled: 'hearing_scheduled' },
  scheduleHearing: { awaiting_hearing: 'hearing_scheduled', hearing_scheduled: 'hearing_scheduled' },
  holdHearing: { hearing_scheduled: 'awaiting_decision' },
  adjournHearing: { hearing_scheduled: 'hearing_scheduled' },
  overrule: { awaiting_decision: 'awaiting_compliance' },
  dismiss: { awaiting_decision: 'dismissed' },
  confirmCompliance: { awaiting_compliance: 'complied' },
  withdraw: {
    awaiting_manager_response: 'withdrawn',
    awaiting_hearing: 'withdrawn',
    hearing_scheduled: 'withdrawn',
    awaiting_decision: 'withdrawn',
  },
};

/** The status a step leads to from `status`, or undefined when the step does not fit it. */
export function nextStatus(status: AppealStatus, step: Step): AppealStatus | undefined {
  return TRANSITIONS[step][status];
}

export function canTake(status: AppealStatus, step: Step): boolean {
  return nextStatus(status, step) !== undefined;
}

/** The step an arbiter's hearing outcome takes. */
export function hearingStep(outcome: HearingOutcomeKind): Step {
  return outcome === 'held' ? 'holdHearing' : 'adjournHearing';
}

/** The statuses during which each deadline runs. */
export const DEADLINE_RUNS_WHILE: Record<DeadlineKind, readonly AppealStatus[]> = {
  managerResponse: ['awaiting_manager_response'],
  hearing: ['awaiting_hearing', 'hearing_scheduled'],
  decision: ['awaiting_decision'],
  compliance: ['awaiting_compliance'],
};

/** The deadline that starts when an appeal enters a status, if any. */
export function deadlineStartedBy(from: AppealStatus | undefined, to: AppealStatus): DeadlineKind | undefined {
  if (from === to) return undefined;
  if (to === 'awaiting_manager_response') return 'managerResponse';
  if (to === 'awaiting_hearing') return 'hearing';
  if (to === 'awaiting_decision') return 'decision';
  if (to === 'awaiting_compliance') return 'compliance';
  return undefined;
}

/** Closed deadlines: met when the appeal moved on in time, cancelled when it was withdrawn. */
export function closingState(to: AppealStatus): DeadlineEnd {
  return to === 'withdrawn' ? 'cancelled' : 'met';
}

/**
 * What moving from one status to another does to the deadlines: of those `running`, the ones
 * that stop (and how they end), and the one the new status starts.
 */
export function deadlinesOnMove(
  from: AppealStatus,
  to: AppealStatus,
  running: readonly DeadlineKind[],
): { closes: Partial<Record<DeadlineKind, DeadlineEnd>>; starts?: DeadlineKind } {
  const closes: Partial<Record<DeadlineKind, DeadlineEnd>> = {};
  for (const kind of DEADLINE_KINDS) {
    if (running.includes(kind) && !DEADLINE_RUNS_WHILE[kind].includes(to)) closes[kind] = closingState(to);
  }
  const starts = deadlineStartedBy(from, to);
  return starts ? { closes, starts } : { closes };
}

/** An appeal is overdue while a deadline it missed is still unmet. */
export function isOverdue(status: AppealStatus, deadlines: { kind: DeadlineKind; state: string }[]): boolean {
  return deadlines.some((d) => d.state === 'missed' && DEADLINE_RUNS_WHILE[d.kind].includes(status));
}
