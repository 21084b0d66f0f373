import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Handler } from '../route';
import {
  confirmComplianceUpdate,
  decideUpdate,
  extendDeadlineUpdate,
  recordHearingOutcomeUpdate,
  respondAsManagerUpdate,
  scheduleHearingUpdate,
  withdrawUpdate,
} from '../../workflows/shared';
import { ACTIONS } from '../../domain/actions';
import { requireRole } from '../auth/access';
import { IdempotencyHeadersSchema, NoQuerySchema } from '../schemas';
import { parse } from '../validation';
import {
  AppealListQuerySchema,
  AppealParamsSchema,
  AppealSubmissionSchema,
  ArbiterAssignmentSchema,
  ComplianceSchema,
  DecisionSchema,
  ExtensionParamsSchema,
  ExtensionSchema,
  HearingOutcomeSchema,
  HearingScheduleSchema,
  ManagerResponseSchema,
  WithdrawalSchema,
} from './schemas';
import { APPEAL_OPENERS, NOTICE_READERS, type Acted, type AppealService } from './service';
import { appealPage } from './list';

const idOf = (req: Request) => parse(AppealParamsSchema, req.params, 'path').id;

/** The input of a write call: no query parameters, an optional Idempotency-Key, and the body. */
function writeInput<S extends z.ZodType>(req: Request, schema: S): { body: z.infer<S>; idempotencyKey?: string } {
  parse(NoQuerySchema, req.query, 'query');
  const headers = parse(IdempotencyHeadersSchema, { 'Idempotency-Key': req.get('idempotency-key') }, 'header');
  return { body: parse(schema, req.body), idempotencyKey: headers['Idempotency-Key'] };
}

/** Answer an action call; a repeat of an earlier call with the same Idempotency-Key says so. */
function answer(res: Response, acted: Acted): void {
  if (acted.replayed) res.set('Idempotent-Replayed', 'true');
  res.json(acted.appeal);
}

export function appealHandlers(service: AppealService): Record<string, Handler> {
  return {
    async open(req, res) {
      const caller = requireRole(req, ...APPEAL_OPENERS);
      const { body, idempotencyKey } = writeInput(req, AppealSubmissionSchema);
      const opened = await service.open(caller, body, idempotencyKey);
      if (opened.replayed) res.set('Idempotent-Replayed', 'true');
      res.status(opened.status).location(`/v1/appeals/${opened.appeal.id}`).json(opened.appeal);
    },

    async list(req, res) {
      const caller = requireRole(req, 'caseworker', 'admin', 'manager', 'arbiter');
      res.json(await appealPage(service, caller, parse(AppealListQuerySchema, req.query, 'query')));
    },

    async get(req, res) {
      const caller = requireRole(req, 'caseworker', 'admin', 'manager', 'arbiter');
      parse(NoQuerySchema, req.query, 'query');
      res.json(await service.findVisible(caller, idOf(req)));
    },

    async timeline(req, res) {
      const caller = requireRole(req, 'caseworker', 'admin', 'manager', 'arbiter');
      parse(NoQuerySchema, req.query, 'query');
      res.json(await service.timeline(caller, idOf(req)));
    },

    async policy(req, res) {
      const caller = requireRole(req, 'caseworker', 'admin', 'manager', 'arbiter');
      parse(NoQuerySchema, req.query, 'query');
      res.json(await service.policyOf(caller, idOf(req)));
    },

    async notifications(req, res) {
      const caller = requireRole(req, ...NOTICE_READERS);
      parse(NoQuerySchema, req.query, 'query');
      res.json(await service.notifications(caller, idOf(req)));
    },

    async respondAsManager(req, res) {
      const caller = requireRole(req, ...ACTIONS.respond.roles);
      const id = idOf(req);
      const { body, idempotencyKey } = writeInput(req, ManagerResponseSchema);
      answer(res, await service.act(caller, id, { step: body.position, idempotencyKey }, respondAsManagerUpdate, (actor) => ({ actor, ...body })));
    },

    async assignArbiter(req, res) {
      const caller = requireRole(req, ...ACTIONS.assignArbiter.roles);
      const id = idOf(req);
      const { body, idempotencyKey } = writeInput(req, ArbiterAssignmentSchema);
      answer(res, await service.assignArbiter(caller, id, body.arbiterId, idempotencyKey));
    },

    async scheduleHearing(req, res) {
      const caller = requireRole(req, ...ACTIONS.scheduleHearing.roles);
      const id = idOf(req);
      const { body, idempotencyKey } = writeInput(req, HearingScheduleSchema);
      answer(res, await service.act(caller, id, { step: 'scheduleHearing', idempotencyKey }, scheduleHearingUpdate, (actor) => ({ actor, ...body })));
    },

    async recordHearingOutcome(req, res) {
      const caller = requireRole(req, ...ACTIONS.recordHearingOutcome.roles);
      const id = idOf(req);
      const { body, idempotencyKey } = writeInput(req, HearingOutcomeSchema);
      const step = body.outcome === 'held' ? 'holdHearing' : 'adjournHearing';
      answer(res, await service.act(caller, id, { step, idempotencyKey }, recordHearingOutcomeUpdate, (actor) => ({ actor, ...body })));
    },

    async decide(req, res) {
      const caller = requireRole(req, ...ACTIONS.decide.roles);
      const id = idOf(req);
      const { body, idempotencyKey } = writeInput(req, DecisionSchema);
      answer(res, await service.act(caller, id, { step: body.outcome, idempotencyKey }, decideUpdate, (actor) => ({ actor, ...body })));
    },

    async confirmCompliance(req, res) {
      const caller = requireRole(req, ...ACTIONS.confirmCompliance.roles);
      const id = idOf(req);
      const { body, idempotencyKey } = writeInput(req, ComplianceSchema);
      answer(res, await service.act(caller, id, { step: 'confirmCompliance', idempotencyKey }, confirmComplianceUpdate, (actor) => ({ actor, ...body })));
    },

    async withdraw(req, res) {
      const caller = requireRole(req, ...ACTIONS.withdraw.roles);
      const id = idOf(req);
      const { body, idempotencyKey } = writeInput(req, WithdrawalSchema);
      answer(res, await service.act(caller, id, { step: 'withdraw', idempotencyKey }, withdrawUpdate, (actor) => ({ actor, ...body })));
    },

    async extendDeadline(req, res) {
      const caller = requireRole(req, ...ACTIONS.extendDeadline.roles);
      const { id, kind } = parse(ExtensionParamsSchema, req.params, 'path');
      const { body, idempotencyKey } = writeInput(req, ExtensionSchema);
      answer(res, await service.act(caller, id, { deadline: kind, idempotencyKey }, extendDeadlineUpdate, (actor) => ({ actor, kind, ...body })));
    },
  };
}
