/** The calls on appeals: opening, reading, and the actions that steer an appeal through its lifecycle. */
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import { hearingStep, type Step } from '../../domain/lifecycle';
import { ACTIONS } from '../../domain/actions';
import {
  confirmComplianceUpdate,
  decideUpdate,
  extendDeadlineUpdate,
  recordHearingOutcomeUpdate,
  respondAsManagerUpdate,
  scheduleHearingUpdate,
  withdrawUpdate,
} from '../../workflows/shared';
import { ROLES, type Actor, type AppealView, type Role } from '../../domain/appeal';
import { callsOf, JsonText, type Answer, type CallInput } from '../calls';
import type { Caller } from '../context';
import { REPLAYED, replayed } from '../idempotency';
import { IdempotencyHeadersSchema, NoQuerySchema } from '../schemas';
import { appealPage, pageJson } from './list';
import {
  AppealListQuerySchema,
  AppealPageSchema,
  AppealParamsSchema,
  AppealPolicySchema,
  AppealSubmissionSchema,
  AppealViewSchema,
  ArbiterAssignmentSchema,
  ComplianceSchema,
  DecisionSchema,
  ExtensionParamsSchema,
  ExtensionSchema,
  HearingOutcomeSchema,
  HearingScheduleSchema,
  ManagerResponseSchema,
  NotificationsSchema,
  TimelineSchema,
  WithdrawalSchema,
} from './schemas';
import { APPEAL_OPENERS, NOTICE_READERS, type Acted, type AppealService } from './service';

const call = callsOf<AppealService>();
const tag = 'Appeals';

/** Added to every action's description: what a repeated Idempotency-Key does. */
const ACTION_IDEMPOTENCY =
  'With an Idempotency-Key, the action takes effect once and a repeat with the same body answers the first answer again ' +
  '(Idempotent-Replayed: true); the key reused with another body, for another action or on another appeal is refused with 422.';

/** A read of one appeal the caller may see (404 alike for a missing appeal and one out of scope). */
function read(declaration: {
  what: string;
  operationId: string;
  summary: string;
  /** Of the answer; the summary if not given. */
  answers?: string;
  schema: z.ZodType;
  roles?: readonly Role[];
  read: (s: AppealService, caller: Caller, id: string) => Promise<unknown>;
}) {
  const { what, operationId, summary, answers = summary, schema, roles = ROLES } = declaration;
  return call({
    method: 'get',
    path: `/v1/appeals/{id}${what}`,
    tag,
    operationId,
    summary,
    roles,
    request: { params: AppealParamsSchema, query: NoQuerySchema },
    success: { status: 200, description: answers, schema },
    problems: [404],
    handle: async ({ caller, params }, s) => ({ body: await declaration.read(s, caller, params.id) }),
  });
}

type ActionInput<P, B> = CallInput<readonly Role[], P, typeof NoQuerySchema, typeof IdempotencyHeadersSchema, B> & { idempotencyKey?: string };

/**
 * An action on one appeal: POST /v1/appeals/{id}/<what>, safe to retry with an Idempotency-Key.
 * 404 out of scope, 409 when it does not fit the appeal's status, 422 for a business rule.
 */
function action<P extends typeof AppealParamsSchema | typeof ExtensionParamsSchema = typeof AppealParamsSchema, B extends z.ZodType = z.ZodType>(declaration: {
  what: string;
  operationId: string;
  summary: string;
  description?: string;
  roles: readonly Role[];
  params?: P;
  body: B;
  act: (s: AppealService, input: ActionInput<P, B>) => Promise<Acted>;
}) {
  const { what, description, params = AppealParamsSchema, body, act, ...rest } = declaration;
  return call({
    ...rest,
    method: 'post',
    path: `/v1/appeals/{id}/${what}`,
    tag,
    description: description ? `${description} ${ACTION_IDEMPOTENCY}` : ACTION_IDEMPOTENCY,
    request: { params: params as P, query: NoQuerySchema, headers: IdempotencyHeadersSchema, body },
    success: { status: 200, description: 'The appeal as it now stands', schema: AppealViewSchema, headers: { 'Idempotent-Replayed': REPLAYED } },
    problems: [404, 409, 422],
    handle: async (input, s): Promise<Answer> => {
      const acted = await act(s, { ...input, idempotencyKey: input.headers['Idempotency-Key'] });
      return { headers: replayed(acted.replayed), body: acted.appeal };
    },
  });
}

/** The usual action: the body, with the actor, is the update's argument, and asks for the step `step` names. */
function sends<Req extends { actor: Actor }>(update: UpdateDefinition<AppealView, [Req]>, step: (body: Omit<Req, 'actor'>) => Step) {
  return (s: AppealService, { caller, params, body, idempotencyKey }: { caller: Caller; params: { id: string }; body: Omit<Req, 'actor'>; idempotencyKey?: string }) =>
    s.act(caller, params.id, { step: step(body), idempotencyKey }, update, (actor) => ({ actor, ...body }) as Req);
}

export const appealCalls = [
  call({
    method: 'post',
    path: '/v1/appeals',
    tag,
    operationId: 'openAppeal',
    summary: 'Open an appeal',
    description:
      "Records the appeal, snapshots the department's policy in force and starts the manager response deadline. " +
      'With an Idempotency-Key, a repeat with the same body answers the first response again (Idempotent-Replayed: true) ' +
      'and concurrent repeats open one appeal; the same key with a different body is refused with 422.',
    roles: APPEAL_OPENERS,
    request: { query: NoQuerySchema, headers: IdempotencyHeadersSchema, body: AppealSubmissionSchema },
    success: { status: 201, description: 'The appeal, opened', schema: AppealViewSchema, headers: { Location: 'The appeal', 'Idempotent-Replayed': REPLAYED } },
    problems: [422],
    async handle({ caller, headers, body }, s) {
      const opened = await s.open(caller, body, headers['Idempotency-Key']);
      return { status: opened.status, headers: { ...replayed(opened.replayed), Location: `/v1/appeals/${opened.appeal.id}` }, body: opened.appeal };
    },
  }),

  call({
    method: 'get',
    path: '/v1/appeals',
    tag,
    operationId: 'listAppeals',
    summary: 'List appeals',
    description:
      'Newest first. Managers see only their department, arbiters only the appeals assigned to them: a filter outside ' +
      'the scope answers an empty page. Pages with opaque cursors: nextCursor (as `cursor`) for the next page, null on the last; ' +
      'previousCursor (as `before`) for the page before, null on the first.',
    roles: ROLES,
    request: { query: AppealListQuerySchema },
    success: { status: 200, description: 'A page of appeals', schema: AppealPageSchema },
    handle: async ({ caller, query }, s) => ({ body: pageJson(await appealPage(s, caller, query)) }),
  }),

  read({ what: '', operationId: 'getAppeal', summary: 'The case record with its deadlines', schema: AppealViewSchema, read: async (s, caller, id) => new JsonText(await s.findVisibleJson(caller, id)) }),
  read({
    what: '/timeline',
    operationId: 'getAppealTimeline',
    summary: 'The timeline, oldest first, and whether its hash chain verifies',
    schema: TimelineSchema,
    read: (s, caller, id) => s.timeline(caller, id),
  }),
  read({
    what: '/policy',
    operationId: 'getAppealPolicy',
    summary: 'The policy the appeal was opened under (its deadlines and overrule thresholds), which later policy changes never touch',
    schema: AppealPolicySchema,
    read: (s, caller, id) => s.policyOf(caller, id),
  }),
  read({
    what: '/notifications',
    operationId: 'getAppealNotifications',
    summary: 'Every notice of the appeal and its delivery status',
    answers: 'The notices',
    schema: NotificationsSchema,
    roles: NOTICE_READERS,
    read: (s, caller, id) => s.notifications(caller, id),
  }),

  action({
    what: 'manager-response',
    operationId: 'respondAsManager',
    summary: 'Concede or contest the appeal',
    description: 'concede ends the appeal as conceded; contest (with a statement) moves it to awaiting_hearing.',
    roles: ACTIONS.respond.roles,
    body: ManagerResponseSchema,
    act: sends(respondAsManagerUpdate, (body) => body.position),
  }),
  action({
    what: 'arbiter',
    operationId: 'assignArbiter',
    summary: 'Assign an arbiter from the register',
    description: "An arbiter not in the register, or whose registered department is the appeal's own, is refused with 422.",
    roles: ACTIONS.assignArbiter.roles,
    body: ArbiterAssignmentSchema,
    act: (s, { caller, params, body, idempotencyKey }) => s.assignArbiter(caller, params.id, body.arbiterId, idempotencyKey),
  }),
  action({
    what: 'hearing',
    operationId: 'scheduleHearing',
    summary: 'Schedule (or reschedule) the hearing',
    description: 'Needs an assigned arbiter (409 otherwise); the time must be in the future (422).',
    roles: ACTIONS.scheduleHearing.roles,
    body: HearingScheduleSchema,
    act: sends(scheduleHearingUpdate, () => 'scheduleHearing'),
  }),
  action({
    what: 'hearing/outcome',
    operationId: 'recordHearingOutcome',
    summary: 'Record the outcome of the hearing',
    description: 'held moves the appeal to awaiting_decision; adjourned (with a future rescheduledFor) keeps it hearing_scheduled. Assigned arbiter only.',
    roles: ACTIONS.recordHearingOutcome.roles,
    body: HearingOutcomeSchema,
    act: sends(recordHearingOutcomeUpdate, (body) => hearingStep(body.outcome)),
  }),
  action({
    what: 'decision',
    operationId: 'decide',
    summary: 'Decide the appeal',
    description:
      "Binding and final. overrule needs every score at least the policy's overruleMinimumEach and the total at least " +
      'overruleMinimumTotal (422 naming the failing criteria otherwise); dismiss is always allowed. A second decision is refused with 409.',
    roles: ACTIONS.decide.roles,
    body: DecisionSchema,
    act: sends(decideUpdate, (body) => body.outcome),
  }),
  action({
    what: 'compliance',
    operationId: 'confirmCompliance',
    summary: 'Confirm the parent body has carried out the decision',
    roles: ACTIONS.confirmCompliance.roles,
    body: ComplianceSchema,
    act: sends(confirmComplianceUpdate, () => 'confirmCompliance'),
  }),
  action({
    what: 'withdraw',
    operationId: 'withdrawAppeal',
    summary: 'Withdraw the appeal (before a decision)',
    roles: ACTIONS.withdraw.roles,
    body: WithdrawalSchema,
    act: sends(withdrawUpdate, () => 'withdraw'),
  }),
  action({
    what: 'deadlines/{kind}/extend',
    operationId: 'extendDeadline',
    summary: 'Extend a running deadline',
    description: 'Later, never earlier (422), and only while the deadline runs (409). The timer and its reminders move; the timeline records it.',
    roles: ACTIONS.extendDeadline.roles,
    params: ExtensionParamsSchema,
    body: ExtensionSchema,
    act: (s, { caller, params: { id, kind }, body, idempotencyKey }) =>
      s.act(caller, id, { deadline: kind, idempotencyKey }, extendDeadlineUpdate, (actor) => ({ actor, kind, ...body })),
  }),
];
