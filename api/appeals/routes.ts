import { Router } from 'express';
import { route } from '../route';
import { appealHandlers } from './handlers';
import type { AppealService } from './service';

export function appealRoutes(service: AppealService): Router {
  const h = appealHandlers(service);
  return Router()
    .post('/', route(h.open))
    .get('/', route(h.list))
    .get('/:id', route(h.get))
    .get('/:id/timeline', route(h.timeline))
    .get('/:id/policy', route(h.policy))
    .get('/:id/notifications', route(h.notifications))
    .post('/:id/manager-response', route(h.respondAsManager))
    .post('/:id/arbiter', route(h.assignArbiter))
    .post('/:id/hearing', route(h.scheduleHearing))
    .post('/:id/hearing/outcome', route(h.recordHearingOutcome))
    .post('/:id/decision', route(h.decide))
    .post('/:id/compliance', route(h.confirmCompliance))
    .post('/:id/withdraw', route(h.withdraw))
    .post('/:id/deadlines/:kind/extend', route(h.extendDeadline));
}
