import { Router, type Request } from 'express';
import type { DataSource } from 'typeorm';
import { conflictOfInterest } from '../../domain/arbiters';
import { ACTIONS, runningDeadline, type Action } from '../../domain/actions';
import { DEADLINE_KINDS, type DeadlineKind } from '../../domain/policy';
import { ArbiterAssignmentSchema, ExtensionSchema, HearingScheduleSchema, WithdrawalSchema } from '../../api/appeals/schemas';
import type { AppealService } from '../../api/appeals/service';
import type { Caller } from '../../api/context';
import { notFound } from '../../api/errors';
import { route } from '../../api/route';
import { arbiterRegister } from '../../db/arbiters';
import { extendDeadlineUpdate, scheduleHearingUpdate, withdrawUpdate } from '../../workflows/shared';
import type { AppealView } from '../../domain/appeal';
import { answerFlow } from '../answer-flow';
import { actionHref, appealHref } from '../appeals/actions';
import { appealIdOf } from '../appeals/routes';
import { dateAnswer, dateFields, datePartsOf, endOfLondonDay, londonInstant, ukDateTime } from '../dates';
import type { FieldWords } from '../field-errors';
import { flashFor } from '../flash';
import { DEADLINE_NAMES } from '../labels';

const WORDS: Record<string, FieldWords> = {
  arbiterId: { name: 'The arbiter', missing: 'Select an arbiter' },
  scheduledFor: {
    name: 'The date and time of the hearing',
    missing: 'Enter the date and time of the hearing',
    invalid: 'Enter a real date and time for the hearing, like 27 3 2027 and 14:30',
    date: true,
  },
  location: { name: 'The location', missing: 'Enter where the hearing will be held' },
  until: { name: 'The new date', missing: 'Enter the new date of the deadline', invalid: 'Enter a real date for the deadline, like 27 3 2027', date: true },
  reason: { name: 'The reason', missing: 'Enter the reason' },
};

interface CaseAction {
  caller: Caller;
  appeal: AppealView;
}

/**
 * The caseworker's actions on one appeal, each a form of its own at the address the case page
 * links (web/appeals/actions.ts), each an AnswerFlow: assign an arbiter, schedule the hearing (also
 * the assigned arbiter), extend a deadline, withdraw (with "Are you sure" as its check page). Each
 * builds the API's body, checks it with the API's schema, and acts through AppealService with the
 * key of the page shown (a double submit acts once); a refusal shows in the error summary, what
 * was typed kept; success goes back to the case page with a success banner.
 */
export function caseActionRoutes(appeals: AppealService, dataSource: DataSource): Router {
  /** The appeal, for someone whose role may take `action`: 404 otherwise, as for an appeal out of scope. */
  async function appealFor(req: Request, action: Action): Promise<CaseAction> {
    const caller = req.caller as Caller;
    const id = appealIdOf(req.params as Record<string, string>);
    if (!(ACTIONS[action].roles as readonly string[]).includes(caller.role)) throw notFound(`No page ${req.path}`);
    return { caller, appeal: await appeals.findVisible(caller, id) };
  }
  const words = { fields: WORDS };

  const assignArbiter = answerFlow({
    path: '/appeals/:id/arbiter',
    views: { form: 'case-actions/arbiter' },
    async load(req) {
      const { caller, appeal } = await appealFor(req, 'assignArbiter');
      return { caller, appeal, arbiters: registerFor(appeal, await arbiterRegister(dataSource)) };
    },
    schema: ArbiterAssignmentSchema,
    fromForm: ({ arbiterId }) => ({ arbiterId }),
    words,
    initial: ({ appeal }) => ({ arbiterId: appeal.arbiterId ?? undefined }),
    async submit(req, { caller, appeal }, { arbiterId }, idempotencyKey) {
      await appeals.assignArbiter(caller, appeal.id, arbiterId, idempotencyKey);
      return flashFor(req, appealHref(appeal.id), `Arbiter ${arbiterId} assigned`);
    },
  });

  const scheduleHearing = answerFlow({
    path: '/appeals/:id/hearing',
    views: { form: 'case-actions/hearing' },
    load: (req) => appealFor(req, 'scheduleHearing'),
    schema: HearingScheduleSchema,
    fromForm: (fields) => ({ scheduledFor: dateAnswer(datePartsOf(fields, 'scheduledFor'), londonInstant), location: fields.location }),
    words,
    initial: ({ appeal }) => (appeal.hearing ? { location: appeal.hearing.location, ...dateFields('scheduledFor', appeal.hearing.scheduledFor) } : {}),
    async submit(req, { caller, appeal }, body, idempotencyKey) {
      await appeals.act(caller, appeal.id, { step: 'scheduleHearing', idempotencyKey }, scheduleHearingUpdate, (actor) => ({ actor, ...body }));
      return flashFor(req, appealHref(appeal.id), `Hearing scheduled for ${ukDateTime(body.scheduledFor)}`);
    },
  });

  const extendDeadline = answerFlow({
    path: '/appeals/:id/deadlines/:kind/extend',
    views: { form: 'case-actions/extend' },
    async load(req) {
      const action = await appealFor(req, 'extendDeadline');
      const kind = (req.params as Record<string, string>).kind as DeadlineKind;
      const deadline = DEADLINE_KINDS.includes(kind) ? action.appeal.deadlineDetails.find((d) => d.kind === kind) : undefined;
      if (!deadline) throw notFound(`No page ${req.path}`);
      return { ...action, deadline };
    },
    schema: ExtensionSchema,
    fromForm: (fields) => ({ until: dateAnswer(datePartsOf(fields, 'until'), endOfLondonDay), reason: fields.reason }),
    words,
    async submit(req, { caller, appeal, deadline }, body, idempotencyKey) {
      await appeals.act(caller, appeal.id, { deadline: deadline.kind, idempotencyKey }, extendDeadlineUpdate, (actor) => ({ actor, kind: deadline.kind, ...body }));
      return flashFor(req, appealHref(appeal.id), `${DEADLINE_NAMES[deadline.kind]} deadline extended to ${ukDateTime(body.until)}`);
    },
  });

  const withdraw = answerFlow({
    path: '/appeals/:id/withdraw',
    views: { form: 'case-actions/withdraw', check: 'case-actions/withdraw-confirm' },
    load: (req) => appealFor(req, 'withdraw'),
    schema: WithdrawalSchema,
    fromForm: ({ reason }) => ({ reason }),
    words,
    async submit(req, { caller, appeal }, body, idempotencyKey) {
      await appeals.act(caller, appeal.id, { step: 'withdraw', idempotencyKey }, withdrawUpdate, (actor) => ({ actor, ...body }));
      return flashFor(req, appealHref(appeal.id), `Appeal ${appeal.reference} withdrawn`);
    },
  });

  return Router()
    .get(
      '/appeals/:id/deadlines',
      route(async (req, res) => {
        const { appeal } = await appealFor(req, 'extendDeadline');
        const running = runningDeadline(appeal);
        if (running) return res.redirect(302, `${actionHref(appeal.id, 'extendDeadline')}/${running.kind}/extend`);
        res.render('case-actions/extend', { appeal });
      }),
    )
    .use(assignArbiter, scheduleHearing, extendDeadline, withdraw);
}

/** The register as the form's choices: each arbiter's caseload and home department, one with a conflict of interest not selectable. */
function registerFor(appeal: AppealView, register: Awaited<ReturnType<typeof arbiterRegister>>) {
  return register.map((arbiter) => {
    const conflict = conflictOfInterest(arbiter, appeal.department);
    const caseload = `${arbiter.openAppeals} open ${arbiter.openAppeals === 1 ? 'appeal' : 'appeals'}`;
    const home = arbiter.department ? `home department ${arbiter.department}` : 'no home department';
    const assigned = arbiter.id === appeal.arbiterId ? 'Assigned to this appeal now. ' : '';
    return {
      value: arbiter.id,
      text: `${arbiter.name} (${arbiter.id})`,
      hint: { text: conflict ? `Not selectable: this arbiter ${conflict}. ${caseload}.` : `${assigned}${caseload}, ${home}.` },
      disabled: Boolean(conflict),
    };
  });
}
