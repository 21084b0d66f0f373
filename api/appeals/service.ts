import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { canTake, type Step } from '../../domain/lifecycle';
import { appealNotifications, appealTimeline, findAppeal, listAppeals, type AppealFilter } from '../../db/appeal-queries';
import { ArbiterEntity, DepartmentEntity } from '../../db/entities';
import type { appealWorkflow } from '../../workflows';
import { appealWorkflowId, assignArbiterUpdate, openAppealUpdate, type Actor, type AppealSubmission, type AppealView } from '../../workflows/shared';
import { canSeeAppeal } from '../auth/access';
import type { Caller } from '../context';
import { conflict, notFound, unprocessable } from '../errors';

export interface AppealServiceDeps {
  dataSource: DataSource;
  client: Client;
  taskQueue: string;
}

const actorOf = (caller: Caller): Actor => ({ sub: caller.sub, role: caller.role });

/** What the API does with appeals: starts their workflows, sends them updates, reads records. */
export class AppealService {
  constructor(private readonly deps: AppealServiceDeps) {}

  async open(caller: Caller, submission: AppealSubmission): Promise<AppealView> {
    const department = await this.deps.dataSource.manager.findOne(DepartmentEntity, { where: { code: submission.department } });
    if (!department) throw unprocessable(`There is no department ${submission.department}`);
    const appealId = randomUUID();
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof appealWorkflow>('appealWorkflow', {
      workflowId: appealWorkflowId(appealId),
      taskQueue: this.deps.taskQueue,
      args: [{ appealId, submission, submittedBy: actorOf(caller) }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return this.deps.client.workflow.executeUpdateWithStart(openAppealUpdate, { startWorkflowOperation });
  }

  /** The appeal, if the caller may see it; 404 alike for a missing appeal and a hidden one. */
  async findVisible(caller: Caller, id: string): Promise<AppealView> {
    const appeal = await findAppeal(this.deps.dataSource, id);
    if (!appeal || !canSeeAppeal(caller, appeal)) throw notFound('No such appeal');
    return appeal;
  }

  async list(caller: Caller, filter: AppealFilter) {
    const scoped = { ...filter };
    if (caller.role === 'manager') scoped.department = caller.department ?? '\u0000';
    if (caller.role === 'arbiter') scoped.arbiterId = caller.sub;
    if (filter.department && scoped.department !== filter.department) return { items: [], last: undefined };
    if (filter.arbiterId && scoped.arbiterId !== filter.arbiterId) return { items: [], last: undefined };
    return listAppeals(this.deps.dataSource, scoped);
  }

  async timeline(caller: Caller, id: string) {
    await this.findVisible(caller, id);
    return appealTimeline(this.deps.dataSource, id);
  }

  async notifications(caller: Caller, id: string) {
    await this.findVisible(caller, id);
    return { items: await appealNotifications(this.deps.dataSource, id) };
  }

  /** Assign an arbiter from the register; one who is not registered is refused with 422. */
  async assignArbiter(caller: Caller, id: string, arbiterId: string, updateId?: string): Promise<AppealView> {
    await this.findVisible(caller, id);
    const registered = await this.deps.dataSource.manager.findOne(ArbiterEntity, { where: { id: arbiterId } });
    if (!registered) throw unprocessable(`There is no arbiter ${arbiterId} in the register`);
    const arbiter = { id: registered.id, name: registered.name, email: registered.email, department: registered.department };
    return this.act(caller, id, 'assignArbiter', assignArbiterUpdate, (actor) => ({ actor, arbiter }), updateId);
  }

  /**
   * Send an action to the appeal's workflow and answer the appeal as it now stands. The update id
   * makes a retried call (same Idempotency-Key) land once.
   */
  async act<Args extends [{ actor: Actor }]>(
    caller: Caller,
    id: string,
    step: Step | undefined,
    update: UpdateDefinition<AppealView, Args>,
    args: (actor: Actor) => Args[0],
    updateId: string = randomUUID(),
  ): Promise<AppealView> {
    const appeal = await this.findVisible(caller, id);
    if (step && !canTake(appeal.status, step)) throw conflict(`Cannot ${step} an appeal that is ${appeal.status}`);
    const handle = this.deps.client.workflow.getHandle(appealWorkflowId(id));
    return handle.executeUpdate(update, { args: [args(actorOf(caller))] as Args, updateId });
  }
}
