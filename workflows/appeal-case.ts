/**
 * The state of one appeal inside its workflow, and the rules each human action must pass
 * before it is accepted. The workflow (appeal.ts) wires these to updates, timers and activities.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { conflictOfInterest } from '../domain/arbiters';
import { describeOverruleRefusal, overruleTest } from '../domain/decision';
import { canTake, closingState, DEADLINE_RUNS_WHILE, isTerminal, nextStatus, type AppealStatus, type Step } from '../domain/lifecycle';
import type { DeadlineKind, Policy } from '../domain/policy';
import type { DeadlineSchedule, OpenedAppeal, StepResult } from '../activities/types';
import { Deliveries } from './deliveries';
import { Turns } from './turns';
import {
  REFUSALS,
  type AppealState,
  type AppealView,
  type AppealWorkflowInput,
  type ArbiterAssignment,
  type DeadlineExtension,
  type DeadlineState,
  type DecisionRequest,
  type HearingOutcome,
  type HearingSchedule,
} from './shared';

/** A running deadline as the workflow's timers see it. */
export interface DeadlineTimer {
  dueAt: number;
  reminders: { at: number; sent: boolean }[];
  state: DeadlineState;
  /** Bumped on every extension, so a waiting timer knows to start over. */
  revision: number;
}

export function conflict(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSALS.conflict, message, nonRetryable: true });
}

export function businessRule(message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSALS.businessRule, message, nonRetryable: true, details: details ? [details] : [] });
}

export function forbidden(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSALS.forbidden, message, nonRetryable: true });
}

export class AppealCase {
  status: AppealStatus = 'awaiting_manager_response';
  record: AppealView | undefined;
  policy: Policy | undefined;
  arbiter: ArbiterAssignment['arbiter'] | null = null;
  readonly deadlines: Partial<Record<DeadlineKind, DeadlineTimer>> = {};
  readonly deliveries = new Deliveries();
  /** Steps that change the appeal and record it (people's actions, reminders, missed deadlines) take turns. */
  readonly turns = new Turns();

  constructor(readonly input: AppealWorkflowInput) {}

  get id(): string {
    return this.input.appealId;
  }

  get isClosed(): boolean {
    return isTerminal(this.status);
  }

  opened({ appeal, policy, deadline }: OpenedAppeal): void {
    this.record = appeal;
    this.policy = policy;
    this.status = appeal.status;
    this.track(deadline);
  }

  /** Take in what an activity recorded: the case record and any deadline it started or moved. */
  recorded({ appeal, deadline }: StepResult): AppealView {
    this.record = appeal;
    if (deadline) this.track(deadline);
    return appeal;
  }

  private track(schedule: DeadlineSchedule): void {
    const previous = this.deadlines[schedule.kind];
    this.deadlines[schedule.kind] = {
      dueAt: Date.parse(schedule.dueAt),
      reminders: schedule.reminderAts.map((at) => ({ at: Date.parse(at), sent: false })),
      state: 'running',
      revision: (previous?.revision ?? 0) + 1,
    };
  }

  deadlineRunning(kind: DeadlineKind): boolean {
    return this.deadlines[kind]?.state === 'running' && DEADLINE_RUNS_WHILE[kind].includes(this.status);
  }

  /** Move to the status a step leads to, refusing a step that does not fit the current one. */
  advance(step: Step): AppealStatus {
    const next = nextStatus(this.status, step);
    if (!next) throw conflict(`Cannot ${step} an appeal that is ${this.status}`);
    this.status = next;
    for (const [kind, timer] of Object.entries(this.deadlines) as [DeadlineKind, DeadlineTimer][]) {
      if (timer.state === 'running' && !DEADLINE_RUNS_WHILE[kind].includes(next)) timer.state = closingState(next);
    }
    return next;
  }

  // ---- validators: each throws the refusal the API turns into a status code ----

  ensureOpened(): void {
    if (!this.record) throw conflict('The appeal is still being opened');
  }

  ensureCanTake(step: Step): void {
    this.ensureOpened();
    if (!canTake(this.status, step)) throw conflict(`Cannot ${step} an appeal that is ${this.status}`);
  }

  validateArbiterAssignment({ arbiter }: ArbiterAssignment): void {
    this.ensureCanTake('assignArbiter');
    const reason = conflictOfInterest(arbiter, this.input.submission.department);
    if (reason) throw businessRule(`Arbiter ${arbiter.id} ${reason}`);
  }

  validateHearingSchedule({ actor, scheduledFor }: HearingSchedule): void {
    this.ensureCanTake('scheduleHearing');
    if (!this.arbiter) throw conflict('Assign an arbiter before scheduling the hearing');
    if (actor.role === 'arbiter') this.ensureAssignedArbiter(actor.sub);
    if (Date.parse(scheduledFor) <= Date.now()) throw businessRule('The hearing must be scheduled for a future time');
  }

  validateHearingOutcome({ actor, outcome, rescheduledFor }: HearingOutcome): void {
    this.ensureCanTake(outcome === 'held' ? 'holdHearing' : 'adjournHearing');
    this.ensureAssignedArbiter(actor.sub);
    if (outcome === 'adjourned' && !rescheduledFor) throw businessRule('An adjourned hearing needs rescheduledFor');
    if (outcome === 'adjourned' && Date.parse(rescheduledFor ?? '') <= Date.now()) {
      throw businessRule('An adjourned hearing must be rescheduled for a future time');
    }
  }

  validateDecision({ actor, outcome, assessment }: DecisionRequest): void {
    this.ensureCanTake(outcome);
    this.ensureAssignedArbiter(actor.sub);
    if (outcome !== 'overrule' || !this.policy) return;
    const test = overruleTest(assessment, this.policy);
    if (!test.allowed) throw businessRule(describeOverruleRefusal(test, this.policy), test);
  }

  validateExtension({ kind, until }: DeadlineExtension): void {
    this.ensureOpened();
    const timer = this.deadlines[kind];
    if (!timer || !this.deadlineRunning(kind)) throw conflict(`The ${kind} deadline is not running`);
    if (Date.parse(until) <= timer.dueAt) {
      throw businessRule(`A deadline can only be moved later: ${kind} is due ${new Date(timer.dueAt).toISOString()}`);
    }
  }

  private ensureAssignedArbiter(sub: string): void {
    if (this.arbiter?.id !== sub) throw forbidden('Only the arbiter assigned to this appeal may do this');
  }

  state(): AppealState {
    const deadlines: AppealState['deadlines'] = {};
    for (const [kind, timer] of Object.entries(this.deadlines) as [DeadlineKind, DeadlineTimer][]) {
      deadlines[kind] = {
        dueAt: new Date(timer.dueAt).toISOString(),
        state: timer.state,
        pendingReminders: timer.reminders.filter((r) => !r.sent).map((r) => new Date(r.at).toISOString()),
      };
    }
    return { status: this.status, arbiterId: this.arbiter?.id ?? null, deadlines };
  }
}
