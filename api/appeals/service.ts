import { createHash, randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { canTake, FIRST_STATUS, type Step } from '../../domain/lifecycle';
import type { DeadlineKind, Policy } from '../../domain/policy';
import { appealNotifications, appealTimeline, findAppeal, findAppealJson, listAppeals, type AppealFilter } from '../../db/appeal-queries';
import { findAppealRow, type AppealRow } from '../../db/appeals';
import { departmentExists } from '../../db/departments';
import { ArbiterEntity, TimelineEventEntity } from '../../db/entities';
import { saveIdempotentResponse } from '../../db/idempotency-keys';
import type { appealWorkflow } from '../../workflows';
import { appealSearchAttributes, appealWorkflowId, assignArbiterUpdate, openAppealUpdate, updateStepKey } from '../../workflows/shared';
import type { Actor, AppealSubmission, AppealView, Role } from '../../domain/appeal';
import { canSeeAppeal } from '../auth/access';
import type { Caller } from '../context';
import { conflict, notFound, unavailable, unprocessable } from '../errors';
import { claimKey } from '../idempotency';

export interface AppealServiceDeps {
  dataSource: DataSource;
  client: Client;
  taskQueue: string;
  actionTimeoutMs: number;
  /** Aborted when the API stops and its grace period is over: action calls still waiting answer 503. */
  stopping?: AbortSignal;
}

/** An answer to POST /v1/appeals: the first answer again when an Idempotency-Key repeats. */
export interface Opened {
  status: number;
  appeal: AppealView;
  replayed: boolean;
}

/** An answer to an action call: the appeal as it now stands, or the first answer again when an Idempotency-Key repeats. */
export interface Acted {
  appeal: AppealView;
  replayed: boolean;
}

/** Who may open an appeal (POST /v1/appeals, and the open-an-appeal pages). */
export const APPEAL_OPENERS = ['caseworker'] as const satisfies Role[];

/** Who may read an appeal's notices and their delivery (GET /v1/appeals/{id}/notifications, and its page). */
export const NOTICE_READERS = ['caseworker', 'admin'] as const satisfies Role[];

const NEVER_ABORTED = new AbortController().signal;
const actorOf = (caller: Caller): Actor => ({ sub: caller.sub, role: caller.role });
const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** The appeal id an Idempotency-Key stands for: the same caller and key always give the same id. */
export function appealIdFor(callerSub: string, key: string): string {
  const bytes = sha256(`mutuals-appeals:appeal:${callerSub}\n${key}`).subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80; // RFC 9562 version 8 (custom, here SHA-256 based)
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Workflow Update id of an action sent with an Idempotency-Key: one per caller and key. */
export function updateIdFor(callerSub: string, key: string): string {
  return `key-${sha256(`mutuals-appeals:update:${callerSub}\n${key}`).toString('hex').slice(0, 40)}`;
}

/**
 * Why an action on an appeal whose workflow has ended is refused, from the appeal as it was left,
 * in the words of the workflow's validators (workflows/appeal-case.ts).
 */
function refusalOnceClosed(appeal: AppealView, action: { step?: Step; deadline?: DeadlineKind }): string {
  if (action.step && !canTake(appeal.status, action.step)) return `Cannot ${action.step} an appeal that is ${appeal.status}`;
  if (action.deadline && !appeal.deadlineDetails.some((d) => d.kind === action.deadline && d.state === 'running')) return `The ${action.deadline} deadline of this appeal is not running`;
  return 'The appeal is closed';
}

/** What the API does with appeals: starts their workflows, sends them updates, reads records. */
export class AppealService {
  constructor(private readonly deps: AppealServiceDeps) {}

  /**
   * Open an appeal. With an Idempotency-Key, the appeal id is derived from the caller and the key,
   * so concurrent repeats reach one workflow (and one appeal); the key's row remembers the body's
   * hash (a different body is refused with 422) and the first answer, which repeats get again.
   */
  async open(caller: Caller, submission: AppealSubmission, idempotencyKey?: string): Promise<Opened> {
    if (!(await departmentExists(this.deps.dataSource, submission.department))) throw unprocessable(`There is no department ${submission.department}`, [{ path: 'body.department', message: 'unknown department' }]);
    if (!idempotencyKey) return { status: 201, appeal: await this.start(randomUUID(), caller, submission), replayed: false };

    const appealId = appealIdFor(caller.sub, idempotencyKey);
    const earlier = await claimKey(this.deps.dataSource, caller, idempotencyKey, submission, appealId);
    if (earlier?.response) return { status: earlier.response.status, appeal: earlier.response.body as AppealView, replayed: true };

    const appeal = await this.start(appealId, caller, submission);
    await saveIdempotentResponse(this.deps.dataSource, caller.sub, idempotencyKey, { status: 201, body: appeal });
    return { status: 201, appeal, replayed: earlier !== null };
  }

  /** Start the appeal's workflow (or reach the running one) and wait until the appeal is recorded. */
  private async start(appealId: string, caller: Caller, submission: AppealSubmission): Promise<AppealView> {
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof appealWorkflow>('appealWorkflow', {
      workflowId: appealWorkflowId(appealId),
      taskQueue: this.deps.taskQueue,
      args: [{ appealId, submission, submittedBy: actorOf(caller) }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // An appeal whose workflow has ended is never opened again under the same id.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: appealSearchAttributes({ status: FIRST_STATUS, department: submission.department, overdue: false }),
    });
    try {
      return await this.withinActionTimeout(() => this.deps.client.workflow.executeUpdateWithStart(openAppealUpdate, { startWorkflowOperation }));
    } catch (error) {
      const recorded = error instanceof WorkflowExecutionAlreadyStartedError ? await findAppeal(this.deps.dataSource, appealId) : null;
      if (recorded) return recorded;
      throw error;
    }
  }

  /** The appeal, if the caller may see it (its own department and arbiterId, read in the same query); 404 alike for a missing appeal and a hidden one. */
  async findVisible(caller: Caller, id: string): Promise<AppealView> {
    return JSON.parse(await this.findVisibleJson(caller, id)) as AppealView;
  }

  /** The same as JSON text, as the API answers it. */
  async findVisibleJson(caller: Caller, id: string): Promise<string> {
    const appeal = await findAppealJson(this.deps.dataSource, id);
    if (!appeal || !canSeeAppeal(caller, appeal)) throw notFound('No such appeal');
    return appeal.json;
  }

  /** The appeal's row when the caller may see it, in one query: the pre-check before anything else is read or sent. */
  async visibleRow(caller: Caller, id: string): Promise<AppealRow> {
    const row = await findAppealRow(this.deps.dataSource.manager, id);
    if (!row || !canSeeAppeal(caller, { department: row.departmentCode, arbiterId: row.arbiterId })) throw notFound('No such appeal');
    return row;
  }

  /** A page of the appeals the caller may see: their scope narrows whatever filter they ask for. */
  async list(caller: Caller, filter: AppealFilter) {
    const scoped = { ...filter };
    if (caller.role === 'manager') scoped.department = caller.department;
    if (caller.role === 'arbiter') scoped.arbiterId = caller.sub;
    if (filter.department && scoped.department !== filter.department) return { items: [], last: undefined };
    if (filter.arbiterId && scoped.arbiterId !== filter.arbiterId) return { items: [], last: undefined };
    return listAppeals(this.deps.dataSource, scoped);
  }

  async timeline(caller: Caller, id: string) {
    await this.visibleRow(caller, id);
    return appealTimeline(this.deps.dataSource, id);
  }

  /** The policy the appeal was opened under: its own copy, which later changes to the department's policy never touch. */
  async policyOf(caller: Caller, id: string): Promise<{ department: string; policyVersion: number; policy: Policy }> {
    const { departmentCode, policyVersion, policy } = await this.visibleRow(caller, id);
    return { department: departmentCode, policyVersion, policy };
  }

  async notifications(caller: Caller, id: string) {
    await this.visibleRow(caller, id);
    return { items: await appealNotifications(this.deps.dataSource, id) };
  }

  /** Assign an arbiter from the register; one who is not registered is refused with 422. */
  async assignArbiter(caller: Caller, id: string, arbiterId: string, idempotencyKey?: string): Promise<Acted> {
    return this.act(caller, id, { step: 'assignArbiter', idempotencyKey }, assignArbiterUpdate, async (actor) => {
      const registered = await this.deps.dataSource.manager.findOne(ArbiterEntity, { where: { id: arbiterId } });
      if (!registered) throw unprocessable(`There is no arbiter ${arbiterId} in the register`, [{ path: 'body.arbiterId', message: 'not in the register' }]);
      return { actor, arbiter: { id: registered.id, name: registered.name, email: registered.email, department: registered.department } };
    });
  }

  /**
   * Send an action to the appeal's workflow and answer the appeal as it now stands (the update
   * returns once the step is recorded, so a read straight after shows it).
   *
   * With an Idempotency-Key, the key is first claimed for this request (the action, the appeal
   * and what was asked): the same key for anything else is refused with 422 before anything is
   * sent, also when the calls race. The update id is derived from the caller and key, so Temporal
   * runs a repeated update once; a repeat answers the first answer again once it is kept, or the
   * appeal if the step was recorded but its answer was lost.
   */
  async act<Args extends [{ actor: Actor }]>(
    caller: Caller,
    id: string,
    action: { step?: Step; deadline?: DeadlineKind; idempotencyKey?: string },
    update: UpdateDefinition<AppealView, Args>,
    args: (actor: Actor) => Args[0] | Promise<Args[0]>,
  ): Promise<Acted> {
    await this.visibleRow(caller, id);
    const request = await args(actorOf(caller));
    const key = action.idempotencyKey;
    if (!key) return { appeal: await this.send(id, action, update, request, randomUUID()), replayed: false };

    const { actor: _actor, ...asked } = request;
    const earlier = await claimKey(this.deps.dataSource, caller, key, { action: update.name, appealId: id, request: asked }, id);
    if (earlier?.response) return { appeal: earlier.response.body as AppealView, replayed: true };
    const updateId = updateIdFor(caller.sub, key);
    if (earlier && (await this.stepRecorded(id, updateStepKey(updateId)))) return { appeal: await this.findVisible(caller, id), replayed: true };

    const acted = await this.send(id, action, update, request, updateId);
    await saveIdempotentResponse(this.deps.dataSource, caller.sub, key, { status: 200, body: acted });
    return { appeal: acted, replayed: earlier !== null };
  }

  /**
   * Send the action to the appeal's workflow, whose validator judges it (status, deadline and
   * business rules). Once the workflow has ended the appeal is closed, and its record answers.
   */
  async send<Args extends [{ actor: Actor }]>(
    id: string,
    action: { step?: Step; deadline?: DeadlineKind },
    update: UpdateDefinition<AppealView, Args>,
    request: Args[0],
    updateId: string,
  ): Promise<AppealView> {
    const handle = this.deps.client.workflow.getHandle(appealWorkflowId(id));
    try {
      return await this.withinActionTimeout(() => handle.executeUpdate(update, { args: [request] as Args, updateId }));
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      const closed = await findAppeal(this.deps.dataSource, id);
      throw conflict(closed ? refusalOnceClosed(closed, action) : 'The appeal is closed', error);
    }
  }

  /**
   * Wait for the workflow to record an action, but not for ever: while the database is down its
   * activity keeps retrying, and the caller gets a 503 (see toAppError) to retry with the same
   * Idempotency-Key. The same when the API stops before the action is recorded.
   */
  private async withinActionTimeout<T>(send: () => Promise<T>): Promise<T> {
    const { client, actionTimeoutMs, stopping = NEVER_ABORTED } = this.deps;
    try {
      stopping.throwIfAborted();
      // A signal of this call's own: the connection adds an abort listener per RPC and never removes it.
      return await client.withAbortSignal(AbortSignal.any([stopping]), () => client.withDeadline(Date.now() + actionTimeoutMs, send));
    } catch (error) {
      if (stopping.aborted) throw unavailable('The API is stopping; the action may still take effect: read the appeal, or repeat the call with the same Idempotency-Key', error);
      throw error;
    }
  }

  private async stepRecorded(appealId: string, stepKey: string): Promise<boolean> {
    return this.deps.dataSource.manager.exists(TimelineEventEntity, { where: { appealId, stepKey } });
  }
}
