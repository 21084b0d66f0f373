import { Router, type Request } from 'express';
import type { AppealService } from '../../api/appeals/service';
import type { Caller } from '../../api/context';
import { DecisionSchema, HearingOutcomeSchema } from '../../api/appeals/schemas';
import { CRITERIA, MAX_SCORE, type Criterion } from '../../domain/decision';
import { hearingStep } from '../../domain/lifecycle';
import { decideUpdate, recordHearingOutcomeUpdate } from '../../workflows/shared';
import { appealForAction, noLongerAwaiting, type AppealAction } from '../action-pages';
import { answerFlow, wholeNumber } from '../answer-flow';
import { appealHref } from '../appeals/actions';
import { appealIdOf } from '../appeals/routes';
import { dateAnswer, datePartsOf, londonInstant, ukDateTime } from '../dates';
import { flashFor } from '../flash';
import { refusalAsFormErrors } from '../forms';
import { CRITERION_NAMES } from '../labels';
import { overruleRefusal, overruleVerdict, type Thresholds } from './decision';

/**
 * An arbiter's pages: record the hearing's outcome (held, or adjourned to a new date and time),
 * and decide the appeal: the five scores with the policy's thresholds beside them, "Check your
 * decision" saying whether the thresholds allow an overrule (the workflow's own overrule test),
 * then the sealed decision, read-only, at the same address.
 */
export function arbiterRoutes(appeals: AppealService): Router {
  const hearingOutcome = answerFlow({
    path: '/appeals/:id/hearing/outcome',
    views: { form: 'arbiter/hearing-outcome' },
    load: (req) => appealForAction(appeals, req, 'recordHearingOutcome'),
    schema: HearingOutcomeSchema,
    fromForm: ({ outcome, notes, ...fields }) => ({
      outcome,
      notes,
      rescheduledFor: outcome === 'adjourned' ? dateAnswer(datePartsOf(fields, 'rescheduledFor'), londonInstant) : undefined,
    }),
    messages: {
      outcome: 'Select whether the hearing was held or adjourned',
      rescheduledFor: 'Enter a real date and time for the adjourned hearing, for example 27 3 2027 and 14:30',
      notes: 'Notes must be at most 20,000 characters',
    },
    refusal: async (req, context, error) => (await noLongerAwaiting(appeals, context, 'recordHearingOutcome', error)) ?? futureHearing(error),
    async submit(req, { caller, appeal }, answers, idempotencyKey) {
      const step = hearingStep(answers.outcome);
      await appeals.act(caller, appeal.id, { step, idempotencyKey }, recordHearingOutcomeUpdate, (actor) => ({ actor, ...answers }));
      if (answers.outcome === 'held') return flashFor(req, appealHref(appeal.id), 'Hearing recorded as held', 'The appeal now waits for your decision.');
      return flashFor(req, appealHref(appeal.id), 'Hearing adjourned', `The hearing is rescheduled for ${ukDateTime(answers.rescheduledFor as string)}.`);
    },
  });

  const withThresholds = async (req: Request): Promise<AppealAction & { thresholds: Thresholds; policyVersion: number; criteria: { criterion: Criterion; name: string }[]; maxScore: number }> => {
    const action = await appealForAction(appeals, req, 'decide');
    const { policy, policyVersion } = await appeals.policyOf(action.caller, action.appeal.id);
    const thresholds = { overruleMinimumEach: policy.overruleMinimumEach, overruleMinimumTotal: policy.overruleMinimumTotal };
    return { ...action, policyVersion, thresholds, criteria: CRITERIA.map((criterion) => ({ criterion, name: CRITERION_NAMES[criterion] })), maxScore: MAX_SCORE };
  };

  const decision = answerFlow({
    path: '/appeals/:id/decision',
    views: { form: 'arbiter/decide', check: 'arbiter/decide-check' },
    load: withThresholds,
    schema: DecisionSchema,
    fromForm: ({ assessment, ...fields }) => ({
      ...fields,
      assessment: Object.fromEntries(Object.entries((assessment ?? {}) as Record<string, unknown>).map(([criterion, score]) => [criterion, wholeNumber(score)])),
    }),
    messages: {
      outcome: 'Select whether you overrule the managers or dismiss the appeal',
      reasons: 'Enter the reasons for your decision, in at most 50,000 characters',
      ...Object.fromEntries(CRITERIA.map((criterion) => [`assessment.${criterion}`, `Select a score from 0 to ${MAX_SCORE} for ${CRITERION_NAMES[criterion].toLowerCase()}`])),
    },
    describe: (_req, { thresholds }, answers) => ({ verdict: overruleVerdict(answers.assessment, thresholds) }),
    refusal: async (_req, context, error, answers) =>
      (await noLongerAwaiting(appeals, context, 'decide', error)) ?? overruleRefusal(error, answers.assessment, context.thresholds),
    async submit(req, { caller, appeal }, answers, idempotencyKey) {
      await appeals.act(caller, appeal.id, { step: answers.outcome, idempotencyKey }, decideUpdate, (actor) => ({ actor, ...answers }));
      const text = answers.outcome === 'overrule' ? 'The managers are overruled: the parent body must now carry out the spin-out.' : 'The appeal is dismissed.';
      return flashFor(req, `${appealHref(appeal.id)}/decision`, 'Decision recorded', text);
    },
  });

  return Router()
    .get('/appeals/:id/decision', (req, res, next) => {
      sealedDecision(appeals, req).then((page) => (page ? res.render('arbiter/decision', page) : next()), next);
    })
    .use(hearingOutcome, decision);
}

/** Once an appeal is decided, its decision page shows the decision, read-only, to all who may see the appeal. */
async function sealedDecision(appeals: AppealService, req: Request): Promise<Record<string, unknown> | undefined> {
  const caller = req.caller as Caller;
  const appeal = await appeals.findVisible(caller, appealIdOf(req.params as Record<string, string>));
  if (!appeal.decision) return undefined;
  const { policy, policyVersion } = await appeals.policyOf(caller, appeal.id);
  return { appeal, policyVersion, thresholds: policy, verdict: overruleVerdict(appeal.decision.assessment, policy) };
}

/** The engine's refusal of an adjourned hearing's date (in the past), on the date's field. */
function futureHearing(error: unknown) {
  const errors = refusalAsFormErrors(error);
  if (Object.keys(errors.fields).length > 0) return errors;
  const text = errors.summary[0]?.text ?? '';
  return /future/i.test(text) ? { summary: [{ text: 'The new date and time of the hearing must be in the future', href: '#rescheduledFor' }], fields: { rescheduledFor: { text: 'The new date and time of the hearing must be in the future' } } } : errors;
}
