import { Router } from 'express';
import type { AppealService } from '../../api/appeals/service';
import type { Caller } from '../../api/context';
import { route } from '../../api/route';
import { ComplianceSchema, ManagerResponseSchema } from '../../api/appeals/schemas';
import { confirmComplianceUpdate, respondAsManagerUpdate } from '../../workflows/shared';
import { appealForAction, noLongerAwaiting } from '../action-pages';
import { answerFlow } from '../answer-flow';
import { appealHref } from '../appeals/actions';
import { appealIdOf } from '../appeals/routes';
import { flashFor } from '../flash';

/**
 * A manager's pages: respond to an appeal (concede or contest, with a statement), and confirm
 * the parent body has carried out an overrule; each with "Check your answers", sent through
 * AppealService as the API's calls are.
 */
export function managerRoutes(appeals: AppealService): Router {
  const respond = answerFlow({
    path: '/appeals/:id/manager-response',
    views: { form: 'manager/respond', check: 'manager/respond-check' },
    load: (req) => appealForAction(appeals, req, 'respond'),
    schema: ManagerResponseSchema,
    fromForm: (fields) => fields,
    messages: { position: 'Select whether you concede or contest the appeal', statement: 'Enter your statement, in at most 20,000 characters' },
    refusal: (_req, context, error) => noLongerAwaiting(appeals, context, 'respond', error),
    async submit(req, { caller, appeal }, answers, idempotencyKey) {
      await appeals.act(caller, appeal.id, { step: answers.position, idempotencyKey }, respondAsManagerUpdate, (actor) => ({ actor, ...answers }));
      if (answers.position === 'concede') return flashFor(req, appealHref(appeal.id), 'You conceded the appeal', 'The parent body will support the spin-out: the appeal is closed as conceded.');
      return flashFor(req, appealHref(appeal.id), 'You contested the appeal', 'The appeal now waits for a hearing before an independent arbiter.');
    },
  });

  const comply = answerFlow({
    path: '/appeals/:id/compliance',
    views: { form: 'manager/comply', check: 'manager/comply-check' },
    load: (req) => appealForAction(appeals, req, 'confirmCompliance'),
    schema: ComplianceSchema,
    fromForm: (fields) => fields,
    messages: { statement: 'Enter how the parent body carried out the decision, in at most 20,000 characters' },
    refusal: (_req, context, error) => noLongerAwaiting(appeals, context, 'confirmCompliance', error),
    async submit(_req, { caller, appeal }, answers, idempotencyKey) {
      await appeals.act(caller, appeal.id, { step: 'confirmCompliance', idempotencyKey }, confirmComplianceUpdate, (actor) => ({ actor, ...answers }));
      return `${appealHref(appeal.id)}/compliance/confirmed`;
    },
  });

  return Router()
    .use(respond, comply)
    .get(
      '/appeals/:id/compliance/confirmed',
      route(async (req, res) => {
        const appeal = await appeals.findVisible(req.caller as Caller, appealIdOf(req.params as Record<string, string>));
        if (appeal.status !== 'complied') {
          res.redirect(303, appealHref(appeal.id));
          return;
        }
        res.render('manager/complied', { appeal });
      }),
    );
}
