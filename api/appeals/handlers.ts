import type { Request } from 'express';
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
import { requireRole } from '../auth/access';
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
import type { AppealService } from './service';
import { decodeCursor, encodeCursor } from './cursor';


export function appealHandlers(service: AppealService): Record<string, Handler> {
  const idOf = (req: Request) => parse(AppealParamsSchema, req.params, 'path').id;
  const updateIdOf = (req: Request) => req.get('idempotency-key') ?? undefined;

  return {
    async open(req, res) {
      const caller = requireRole(req, 'caseworker');
      const submission = parse(AppealSubmissionSchema, req.body);
      res.status(201).json(await service.open(caller, submission));
    },

    async list(req, res) {
      const caller = requireRole(req, 'caseworker', 'admin', 'manager', 'arbiter');
      const query = parse(AppealListQuerySchema, req.query, 'query');
      const { cursor, overdue, ...filter } = query;
      const page = await service.list(caller, {
        ...filter,
        overdue: overdue === undefined ? undefined : overdue === 'true',
        after: cursor ? decodeCursor(cursor) : undefined,
      });
      res.json({ items: page.items, nextCursor: page.last ? encodeCursor(page.last) : null });
    },

    async get(req, res) {
      const caller = requireRole(req, 'caseworker', 'admin', 'manager', 'arbiter');
      res.json(await service.findVisible(caller, idOf(req)));
    },

    async timeline(req, res) {
      const caller = requireRole(req, 'caseworker', 'admin', 'manager', 'arbiter');
      res.json(await service.timeline(caller, idOf(req)));
    },

    async notifications(req, res) {
      const caller = requireRole(req, 'caseworker', 'admin');
      res.json(await service.notifications(caller, idOf(req)));
    },

    async respondAsManager(req, res) {
      const caller = requireRole(req, 'manager');
      const body = parse(ManagerResponseSchema, req.body);
      res.json(await service.act(caller, idOf(req), body.position, respondAsManagerUpdate, (actor) => ({ actor, ...body }), updateIdOf(req)));
    },

    async assignArbiter(req, res) {
      const caller = requireRole(req, 'caseworker');
      const body = parse(ArbiterAssignmentSchema, req.body);
      res.json(await service.assignArbiter(caller, idOf(req), body.arbiterId, updateIdOf(req)));
    },

    async scheduleHearing(req, res) {
      const caller = requireRole(req, 'caseworker', 'arbiter');
      const body = parse(HearingScheduleSchema, req.body);
      res.json(await service.act(caller, idOf(req), 'scheduleHearing', scheduleHearingUpdate, (actor) => ({ actor, ...body }), updateIdOf(req)));
    },

    async recordHearingOutcome(req, res) {
      const caller = requireRole(req, 'arbiter');
      const body = parse(HearingOutcomeSchema, req.body);
      const step = body.outcome === 'held' ? 'holdHearing' : 'adjournHearing';
      res.json(await service.act(caller, idOf(req), step, recordHearingOutcomeUpdate, (actor) => ({ actor, ...body }), updateIdOf(req)));
    },

    async decide(req, res) {
      const caller = requireRole(req, 'arbiter');
      const body = parse(DecisionSchema, req.body);
      res.json(await service.act(caller, idOf(req), body.outcome, decideUpdate, (actor) => ({ actor, ...body }), updateIdOf(req)));
    },

    async confirmCompliance(req, res) {
      const caller = requireRole(req, 'manager');
      const body = parse(ComplianceSchema, req.body);
      res.json(await service.act(caller, idOf(req), 'confirmCompliance', confirmComplianceUpdate, (actor) => ({ actor, ...body }), updateIdOf(req)));
    },

    async withdraw(req, res) {
      const caller = requireRole(req, 'caseworker');
      const body = parse(WithdrawalSchema, req.body);
      res.json(await service.act(caller, idOf(req), 'withdraw', withdrawUpdate, (actor) => ({ actor, ...body }), updateIdOf(req)));
    },

    async extendDeadline(req, res) {
      const caller = requireRole(req, 'caseworker');
      const { id, kind } = parse(ExtensionParamsSchema, req.params, 'path');
      const body = parse(ExtensionSchema, req.body);
      res.json(
        await service.act(caller, id, undefined, extendDeadlineUpdate, (actor) => ({ actor, kind, ...body }), updateIdOf(req)),
      );
    },
  };
}
