import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';
import { documentCall, type CallDoc } from '../openapi';
import { IdempotencyHeadersSchema, NoQuerySchema } from '../schemas';
import {
  AppealListQuerySchema,
  AppealPolicySchema,
  AppealPageSchema,
  AppealParamsSchema,
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

const tag = 'Appeals';
const replayedHeader = { description: '"true" when this answers a repeated Idempotency-Key', schema: { type: 'string' as const } };
const actionAnswer = { status: 200, description: 'The appeal as it now stands', schema: AppealViewSchema, headers: { 'Idempotent-Replayed': replayedHeader } };
/** Added to every action's description: what a repeated Idempotency-Key does. */
const ACTION_IDEMPOTENCY =
  'With an Idempotency-Key, the action takes effect once and a repeat with the same body answers the first answer again ' +
  '(Idempotent-Replayed: true); the key reused with another body, for another action or on another appeal is refused with 422.';

/** An action on one appeal: POST /v1/appeals/{id}/<what>, safe to retry with an Idempotency-Key. */
function action(
  registry: OpenAPIRegistry,
  call: Pick<CallDoc, 'operationId' | 'summary' | 'description' | 'who' | 'problems'> & { what: string; body: ZodType },
): void {
  documentCall(registry, {
    method: 'post',
    path: `/v1/appeals/{id}/${call.what}`,
    tag,
    operationId: call.operationId,
    summary: call.summary,
    description: call.description ? `${call.description} ${ACTION_IDEMPOTENCY}` : ACTION_IDEMPOTENCY,
    who: call.who,
    request: {
      params: call.what.startsWith('deadlines/') ? ExtensionParamsSchema : AppealParamsSchema,
      query: NoQuerySchema,
      headers: IdempotencyHeadersSchema,
      body: call.body,
    },
    success: actionAnswer,
    problems: [...new Set([...call.problems, 422 as const])],
  });
}

export function registerAppealCalls(registry: OpenAPIRegistry): void {
  documentCall(registry, {
    method: 'post',
    path: '/v1/appeals',
    tag,
    operationId: 'openAppeal',
    summary: 'Open an appeal',
    description:
      "Records the appeal, snapshots the department's policy in force and starts the manager response deadline. " +
      'With an Idempotency-Key, a repeat with the same body answers the first response again (Idempotent-Replayed: true) ' +
      'and concurrent repeats open one appeal; the same key with a different body is refused with 422.',
    who: ['caseworker'],
    request: { query: NoQuerySchema, headers: IdempotencyHeadersSchema, body: AppealSubmissionSchema },
    success: {
      status: 201,
      description: 'The appeal, opened',
      schema: AppealViewSchema,
      headers: {
        Location: { description: 'The appeal', schema: { type: 'string' } },
        'Idempotent-Replayed': replayedHeader,
      },
    },
    problems: [403, 422],
  });

  documentCall(registry, {
    method: 'get',
    path: '/v1/appeals',
    tag,
    operationId: 'listAppeals',
    summary: 'List appeals',
    description:
      'Newest first. Managers see only their department, arbiters only the appeals assigned to them: a filter outside ' +
      'the scope answers an empty page. Pages with opaque cursors: nextCursor (as `cursor`) for the next page, null on the last; ' +
      'previousCursor (as `before`) for the page before, null on the first.',
    who: ['caseworker', 'manager', 'arbiter', 'admin'],
    request: { query: AppealListQuerySchema },
    success: { status: 200, description: 'A page of appeals', schema: AppealPageSchema },
    problems: [400],
  });

  for (const [what, operationId, summary, schema] of [
    ['', 'getAppeal', 'The case record with its deadlines', AppealViewSchema],
    ['/timeline', 'getAppealTimeline', 'The timeline, oldest first, and whether its hash chain verifies', TimelineSchema],
    ['/policy', 'getAppealPolicy', 'The policy the appeal was opened under (its deadlines and overrule thresholds), which later policy changes never touch', AppealPolicySchema],
  ] as const) {
    documentCall(registry, {
      method: 'get',
      path: `/v1/appeals/{id}${what}`,
      tag,
      operationId,
      summary,
      who: ['caseworker', 'manager', 'arbiter', 'admin'],
      request: { params: AppealParamsSchema, query: NoQuerySchema },
      success: { status: 200, description: summary, schema },
      problems: [400, 404],
    });
  }

  documentCall(registry, {
    method: 'get',
    path: '/v1/appeals/{id}/notifications',
    tag,
    operationId: 'getAppealNotifications',
    summary: 'Every notice of the appeal and its delivery status',
    who: ['caseworker', 'admin'],
    request: { params: AppealParamsSchema, query: NoQuerySchema },
    success: { status: 200, description: 'The notices', schema: NotificationsSchema },
    problems: [400, 403, 404],
  });

  action(registry, {
    what: 'manager-response',
    operationId: 'respondAsManager',
    summary: 'Concede or contest the appeal',
    description: 'concede ends the appeal as conceded; contest (with a statement) moves it to awaiting_hearing.',
    who: ['manager'],
    body: ManagerResponseSchema,
    problems: [403, 404, 409],
  });
  action(registry, {
    what: 'arbiter',
    operationId: 'assignArbiter',
    summary: 'Assign an arbiter from the register',
    description: "An arbiter not in the register, or whose registered department is the appeal's own, is refused with 422.",
    who: ['caseworker'],
    body: ArbiterAssignmentSchema,
    problems: [403, 404, 409, 422],
  });
  action(registry, {
    what: 'hearing',
    operationId: 'scheduleHearing',
    summary: 'Schedule (or reschedule) the hearing',
    description: 'Needs an assigned arbiter (409 otherwise); the time must be in the future (422).',
    who: ['caseworker', 'arbiter'],
    body: HearingScheduleSchema,
    problems: [403, 404, 409, 422],
  });
  action(registry, {
    what: 'hearing/outcome',
    operationId: 'recordHearingOutcome',
    summary: 'Record the outcome of the hearing',
    description: 'held moves the appeal to awaiting_decision; adjourned (with a future rescheduledFor) keeps it hearing_scheduled. Assigned arbiter only.',
    who: ['arbiter'],
    body: HearingOutcomeSchema,
    problems: [403, 404, 409, 422],
  });
  action(registry, {
    what: 'decision',
    operationId: 'decide',
    summary: 'Decide the appeal',
    description:
      "Binding and final. overrule needs every score at least the policy's overruleMinimumEach and the total at least " +
      'overruleMinimumTotal (422 naming the failing criteria otherwise); dismiss is always allowed. A second decision is refused with 409.',
    who: ['arbiter'],
    body: DecisionSchema,
    problems: [403, 404, 409, 422],
  });
  action(registry, {
    what: 'compliance',
    operationId: 'confirmCompliance',
    summary: 'Confirm the parent body has carried out the decision',
    who: ['manager'],
    body: ComplianceSchema,
    problems: [403, 404, 409],
  });
  action(registry, {
    what: 'withdraw',
    operationId: 'withdrawAppeal',
    summary: 'Withdraw the appeal (before a decision)',
    who: ['caseworker'],
    body: WithdrawalSchema,
    problems: [403, 404, 409],
  });
  action(registry, {
    what: 'deadlines/{kind}/extend',
    operationId: 'extendDeadline',
    summary: 'Extend a running deadline',
    description: 'Later, never earlier (422), and only while the deadline runs (409). The timer and its reminders move; the timeline records it.',
    who: ['caseworker'],
    body: ExtensionSchema,
    problems: [403, 404, 409, 422],
  });
}
