/**
 * One appeal as its workflow holds it, and every rule of its steps. Pure: no I/O, no timers.
 * Given an action, `check` throws the refusal (the ApplicationFailure an update's validator
 * throws, which the API turns into a status code) and `take` returns the complete step: the new
 * status, the deadlines it closes and starts, its timeline event and notice. The record activity
 * writes what the step says; the workflow (appeal.ts) wires actions, timers and activities.
 */
import { conflictOfInterest } from '../domain/arbiters';
import { SYSTEM_ACTOR, type AppealView, type DeadlineEnd, type DeadlineState } from '../domain/appeal';
import { describeOverruleRefusal, overruleTest } from '../domain/decision';
import { DEADLINE_RUNS_WHILE, deadlinesOnMove, FIRST_STATUS, hearingStep, isTerminal, nextStatus, type AppealStatus, type Step } from '../domain/lifecycle';
import { DEADLINE_KINDS, type DeadlineKind, type Policy } from '../domain/policy';
import { documentsOpen, MAX_DOCUMENTS_PER_APPEAL } from '../domain/documents';
import type { AppealStep, DeadlineSchedule, OpenedAppeal, StepResult } from '../activities/types';
import {
  businessRule,
  conflict,
  forbidden,
  type ActionRequests,
  type AppealState,
  type AppealWorkflowInput,
  type PersonAction,
} from './shared';

/** A running deadline as the workflow's timers see it. */
export interface DeadlineTimer {
  dueAt: number;
  reminders: { at: number; sent: boolean }[];
  state: DeadlineState;
  /** Bumped on every extension, so a waiting timer knows to start over. */
  revision: number;
}

/** A step as the appeal decides it; the workflow adds the appeal's id and the step's key. */
export type StepPlan = Omit<AppealStep, 'appealId' | 'key'>;
/** A step the appeal takes by itself, keyed by what it is (a person's step is keyed by its update). */
export type KeyedStep = Omit<AppealStep, 'appealId'>;

type Rules = { [A in PersonAction]: (request: ActionRequests[A]) => StepPlan };

export class AppealCase {
  status: AppealStatus = FIRST_STATUS;
  view: AppealView | undefined;
  policy: Policy | undefined;
  arbiterId: string | null = null;
  /** Documents added through this workflow (every document is: there were none before it could). */
  documents = 0;
  readonly deadlines: Partial<Record<DeadlineKind, DeadlineTimer>> = {};

  constructor(readonly input: AppealWorkflowInput) {}

  get id(): string {
    return this.input.appealId;
  }

  get isClosed(): boolean {
    return isTerminal(this.status);
  }

  // ---- people's actions ------------------------------------------------------------------------

  /** Throws the refusal of an action that does not hold now; the update's validator. */
  check<A extends PersonAction>(action: A, request: ActionRequests[A]): void {
    this.plan(action, request);
  }

  /** The step an action takes, once more checked against the appeal as it now stands, and taken. */
  take<A extends PersonAction>(action: A, request: ActionRequests[A]): StepPlan {
    return this.apply(this.plan(action, request));
  }

  private plan<A extends PersonAction>(action: A, request: ActionRequests[A]): StepPlan {
    return (this.rules[action] as (request: ActionRequests[A]) => StepPlan)(request);
  }

  /** Each action's rule and step. A rule throws its refusal; the status rule (409) comes first. */
  private readonly rules: Rules = {
    respondAsManager: ({ actor, position, statement }) => ({
      ...this.move(position),
      event: { type: position === 'concede' ? 'manager_conceded' : 'manager_contested', actor, data: { statement } },
    }),

    assignArbiter: ({ actor, arbiter }) => {
      const move = this.move('assignArbiter');
      const reason = conflictOfInterest(arbiter, this.input.submission.department);
      if (reason) throw businessRule(`Arbiter ${arbiter.id} ${reason}`);
      return {
        ...move,
        event: { type: 'arbiter_assigned', actor, data: { arbiterId: arbiter.id, name: arbiter.name } },
        changes: { arbiterId: arbiter.id },
      };
    },

    scheduleHearing: ({ actor, scheduledFor, location }) => {
      const move = this.move('scheduleHearing');
      if (!this.arbiterId) throw conflict('Assign an arbiter before scheduling the hearing');
      if (actor.role === 'arbiter') this.ensureAssignedArbiter(actor.sub);
      if (Date.parse(scheduledFor) <= Date.now()) throw businessRule('The hearing must be scheduled for a future time');
      return {
        ...move,
        event: { type: 'hearing_scheduled', actor, data: { scheduledFor, location } },
        changes: { hearing: { scheduledFor, location, outcome: null, notes: null } },
      };
    },

    recordHearingOutcome: ({ actor, outcome, rescheduledFor, notes }) => {
      const move = this.move(hearingStep(outcome));
      this.ensureAssignedArbiter(actor.sub);
      if (outcome === 'adjourned' && !rescheduledFor) throw businessRule('An adjourned hearing needs rescheduledFor');
      if (outcome === 'adjourned' && Date.parse(rescheduledFor ?? '') <= Date.now()) {
        throw businessRule('An adjourned hearing must be rescheduled for a future time');
      }
      const previous = this.view?.hearing;
      const hearing = {
        scheduledFor: outcome === 'adjourned' && rescheduledFor ? rescheduledFor : (previous?.scheduledFor ?? ''),
        location: previous?.location ?? '',
        outcome,
        notes: notes ?? null,
      };
      return {
        ...move,
        event: { type: outcome === 'held' ? 'hearing_held' : 'hearing_adjourned', actor, data: { rescheduledFor, notes } },
        changes: { hearing },
      };
    },

    decide: ({ actor, outcome, assessment, reasons }) => {
      const move = this.move(outcome);
      this.ensureAssignedArbiter(actor.sub);
      if (outcome === 'overrule' && this.policy) {
        const test = overruleTest(assessment, this.policy);
        if (!test.allowed) throw businessRule(describeOverruleRefusal(test, this.policy), test);
      }
      return {
        ...move,
        event: { type: 'decision_made', actor, data: { outcome, assessment, reasons } },
        decision: { outcome, assessment, reasons, arbiterId: actor.sub },
        // An overrule's notice is about the compliance deadline it starts.
        notice: move.starts ? { kind: 'decision', deadlineKind: move.starts } : { kind: 'decision' },
      };
    },

    confirmCompliance: ({ actor, statement }) => ({
      ...this.move('confirmCompliance'),
      event: { type: 'compliance_confirmed', actor, data: { statement } },
    }),

    withdraw: ({ actor, reason }) => ({
      ...this.move('withdraw'),
      event: { type: 'withdrawn', actor, data: { reason } },
    }),

    extendDeadline: ({ actor, kind, until, reason }) => {
      this.ensureOpened();
      const timer = this.deadlines[kind];
      if (!timer || !this.deadlineRunning(kind)) throw conflict(`The ${kind} deadline of this appeal is not running`);
      if (Date.parse(until) <= timer.dueAt) {
        throw businessRule(`A deadline can only be moved later: ${kind} is due ${new Date(timer.dueAt).toISOString()}`);
      }
      return {
        closes: {},
        event: { type: 'deadline_extended', actor, data: { reason } },
        extendDeadline: { kind, until, reason, by: actor.sub },
      };
    },

    addDocument: ({ actor, document }) => {
      this.ensureOpened();
      if (!documentsOpen(this.status)) throw conflict(`Documents cannot be added to an appeal that is ${this.status}`);
      if (this.documents >= MAX_DOCUMENTS_PER_APPEAL) throw businessRule(`An appeal holds at most ${MAX_DOCUMENTS_PER_APPEAL} documents`);
      return {
        closes: {},
        event: { type: 'document_added', actor, data: { ...document } },
        document,
      };
    },
  };

  // ---- steps the appeal takes by itself ----------------------------------------------------------

  /** A reminder of a running deadline is due. */
  remind(kind: DeadlineKind, reminder: DeadlineTimer['reminders'][number]): KeyedStep {
    const dueAt = this.dueAtOf(kind);
    reminder.sent = true;
    return {
      key: `reminder:${kind}:${new Date(reminder.at).toISOString()}`,
      closes: {},
      event: { type: 'reminder_sent', actor: SYSTEM_ACTOR, data: { deadline: kind, dueAt } },
      notice: { kind: 'reminder', deadlineKind: kind, dueAt },
    };
  }

  /**
   * The bank holidays changed: the recording counts the running deadline again on the calendar
   * in force and records the move, if it moves. Keyed by the version, so each change is applied once.
   */
  calendarChanged(calendarVersion: number): KeyedStep {
    return {
      key: `calendar:v${calendarVersion}`,
      closes: {},
      event: { type: 'deadline_recalculated', actor: SYSTEM_ACTOR, data: {} },
      recalculateDeadlines: { calendarVersion },
    };
  }

  /**
   * A deadline passed. The managers who let theirs pass default: the appeal goes to a hearing
   * without them. A missed hearing, decision or compliance deadline is escalated; the appeal stays open.
   */
  deadlinePassed(kind: DeadlineKind): KeyedStep {
    const dueAt = this.dueAtOf(kind);
    const escalation = { key: `missed:${kind}`, notice: { kind: 'escalation', deadlineKind: kind, dueAt } } as const;
    if (kind !== 'managerResponse') {
      return this.apply({
        ...escalation,
        closes: { [kind]: 'missed' },
        event: { type: 'deadline_missed', actor: SYSTEM_ACTOR, data: { deadline: kind, dueAt } },
      });
    }
    const move = this.move('managerDefault');
    return this.apply({
      ...escalation,
      ...move,
      closes: { ...move.closes, managerResponse: 'missed' },
      event: { type: 'manager_defaulted', actor: SYSTEM_ACTOR, data: { deadline: kind, dueAt } },
      changes: { managerDefaulted: true },
    });
  }

  // ---- what the activities recorded --------------------------------------------------------------

  opened({ appeal, policy, deadline }: OpenedAppeal): void {
    this.view = appeal;
    this.policy = policy;
    this.status = appeal.status;
    this.track(deadline);
  }

  /** Take in what an activity recorded: the case record and any deadline it started or moved. */
  recorded({ appeal, deadline }: StepResult): AppealView {
    this.view = appeal;
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

  state(): AppealState {
    const deadlines: AppealState['deadlines'] = {};
    for (const [kind, timer] of Object.entries(this.deadlines) as [DeadlineKind, DeadlineTimer][]) {
      deadlines[kind] = {
        dueAt: new Date(timer.dueAt).toISOString(),
        state: timer.state,
        pendingReminders: timer.reminders.filter((r) => !r.sent).map((r) => new Date(r.at).toISOString()),
      };
    }
    return { status: this.status, arbiterId: this.arbiterId, deadlines };
  }

  // ---- rules shared by the steps -----------------------------------------------------------------

  /** The status a lifecycle step leads to and what that does to the deadlines; refused (409) when it does not fit. */
  private move(step: Step): Pick<StepPlan, 'status' | 'closes' | 'starts'> {
    this.ensureOpened();
    const next = nextStatus(this.status, step);
    if (!next) throw conflict(`Cannot ${step} an appeal that is ${this.status}`);
    const running = DEADLINE_KINDS.filter((kind) => this.deadlines[kind]?.state === 'running');
    return { status: next, ...deadlinesOnMove(this.status, next, running) };
  }

  private ensureOpened(): void {
    if (!this.view) throw conflict('The appeal is still being opened');
  }

  private ensureAssignedArbiter(sub: string): void {
    if (this.arbiterId !== sub) throw forbidden('Only the arbiter assigned to this appeal may do this');
  }

  private dueAtOf(kind: DeadlineKind): string {
    return new Date(this.deadlines[kind]?.dueAt ?? 0).toISOString();
  }

  /** Take a step into the workflow's state: the status, the deadlines it ends, the arbiter. */
  private apply<S extends StepPlan>(step: S): S {
    if (step.status) this.status = step.status;
    for (const [kind, end] of Object.entries(step.closes ?? {}) as [DeadlineKind, DeadlineEnd][]) {
      const timer = this.deadlines[kind];
      if (timer) timer.state = end;
    }
    if (step.changes?.arbiterId) this.arbiterId = step.changes.arbiterId;
    if (step.document) this.documents += 1;
    return step;
  }
}
