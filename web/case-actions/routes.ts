import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import { conflictOfInterest } from '../../domain/arbiters';
import { ACTIONS, runningDeadline, type Action } from '../../domain/actions';
import { DEADLINE_KINDS, type DeadlineKind } from '../../domain/policy';
import { ArbiterAssignmentSchema, ExtensionSchema, HearingScheduleSchema, WithdrawalSchema } from '../../api/appeals/schemas';
import type { AppealService } from '../../api/appeals/service';
import type { Caller } from '../../api/context';
import { notFound } from '../../api/errors';
import { route } from '../../api/route';
import { IDEMPOTENCY_KEY_PATTERN } from '../../api/schemas';
import { parse } from '../../api/validation';
import { arbiterRegister } from '../../db/arbiters';
import { extendDeadlineUpdate, scheduleHearingUpdate, withdrawUpdate } from '../../workflows/shared';
import type { AppealView } from '../../domain/appeal';
import { actionHref, appealHref } from '../appeals/actions';
import { appealIdOf } from '../appeals/routes';
import { datePartsFor, datePartsOf, endOfLondonDayOf, isBlankDate, londonInstantOf, ukDateTime } from '../dates';
import { fieldErrors, type FieldWords } from '../field-errors';
import { redirectWithFlash, redirectWithSession } from '../flash';
import { typedValues, type FormErrors } from '../forms';
import { DEADLINE_NAMES } from '../labels';

/** A withdrawal between its reason and "Are you sure": kept in the session for the confirmation step. */
interface PendingWithdrawal {
  appealId: string;
  reason: string;
  idempotencyKey: string;
}

declare module 'express-session' {
  interface SessionData {
    withdrawal?: PendingWithdrawal;
  }
}

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

/**
 * The caseworker's actions on one appeal, each a form of its own at the address the case page
 * links (web/appeals/actions.ts): assign an arbiter, schedule the hearing (also the assigned
 * arbiter), extend a deadline, withdraw (with a confirmation step). Each builds the API's body,
 * checks it with the API's schema, and acts through AppealService with a fresh Idempotency-Key
 * per form shown (a double submit acts once); a refusal shows in the error summary, what was
 * typed kept; success goes back to the case page with a success banner.
 */
export function caseActionRoutes(appeals: AppealService, dataSource: DataSource): Router {
  /** The appeal, for someone whose role may take `action`: 404 otherwise, as for an appeal out of scope. */
  async function appealFor(req: Request, action: Action): Promise<{ caller: Caller; appeal: AppealView }> {
    const caller = req.caller as Caller;
    const id = appealIdOf(req.params as Record<string, string>);
    if (!(ACTIONS[action].roles as readonly string[]).includes(caller.role)) throw notFound(`No page ${req.path}`);
    return { caller, appeal: await appeals.findVisible(caller, id) };
  }

  const done = (req: Request, res: Response, appeal: AppealView, heading: string) => redirectWithFlash(req, res, appealHref(appeal.id), heading);

  // ---- assign an arbiter ----

  const showArbiterForm = async (res: Response, appeal: AppealView, typed: Record<string, unknown>, errors?: FormErrors) => {
    const register = await arbiterRegister(dataSource);
    const chosen = typed.arbiterId ?? appeal.arbiterId;
    const arbiters = register.map((arbiter) => {
      const conflict = conflictOfInterest(arbiter, appeal.department);
      const caseload = `${arbiter.openAppeals} open ${arbiter.openAppeals === 1 ? 'appeal' : 'appeals'}`;
      const home = arbiter.department ? `home department ${arbiter.department}` : 'no home department';
      const assigned = arbiter.id === appeal.arbiterId ? 'Assigned to this appeal now. ' : '';
      return {
        value: arbiter.id,
        text: `${arbiter.name} (${arbiter.id})`,
        hint: { text: conflict ? `Not selectable: this arbiter ${conflict}. ${caseload}.` : `${assigned}${caseload}, ${home}.` },
        disabled: Boolean(conflict),
        checked: !conflict && arbiter.id === chosen,
      };
    });
    res.status(errors ? 400 : 200).render('case-actions/arbiter', { appeal, arbiters, errors, idempotencyKey: randomUUID() });
  };

  // ---- schedule the hearing ----

  const showHearingForm = (res: Response, appeal: AppealView, typed: Record<string, unknown>, errors?: FormErrors) => {
    const current = appeal.hearing;
    const values = errors || !current ? typed : { location: current.location, ...prefixed('scheduledFor', datePartsFor(current.scheduledFor)) };
    res.status(errors ? 400 : 200).render('case-actions/hearing', { appeal, values, errors, idempotencyKey: randomUUID() });
  };

  // ---- extend a deadline ----

  const deadlineOf = (req: Request, appeal: AppealView) => {
    const kind = (req.params as Record<string, string>).kind as DeadlineKind;
    const deadline = DEADLINE_KINDS.includes(kind) ? appeal.deadlineDetails.find((d) => d.kind === kind) : undefined;
    if (!deadline) throw notFound(`No page ${req.path}`);
    return deadline;
  };
  const showExtensionForm = (res: Response, appeal: AppealView, deadline: AppealView['deadlineDetails'][number], typed: Record<string, unknown>, errors?: FormErrors) => {
    res.status(errors ? 400 : 200).render('case-actions/extend', { appeal, deadline, values: typed, errors, idempotencyKey: randomUUID() });
  };

  // ---- withdraw ----

  const showWithdrawForm = (res: Response, appeal: AppealView, typed: Record<string, unknown>, errors?: FormErrors) => {
    res.status(errors ? 400 : 200).render('case-actions/withdraw', { appeal, values: typed, errors });
  };

  return Router()
    .get(
      '/appeals/:id/arbiter',
      route(async (req, res) => {
        const { appeal } = await appealFor(req, 'assignArbiter');
        await showArbiterForm(res, appeal, {});
      }),
    )
    .post(
      '/appeals/:id/arbiter',
      route(async (req, res) => {
        const { caller, appeal } = await appealFor(req, 'assignArbiter');
        const typed = typedValues(req.body);
        try {
          const { arbiterId } = parse(ArbiterAssignmentSchema, { arbiterId: text(typed.arbiterId) });
          const { appeal: now } = await appeals.assignArbiter(caller, appeal.id, arbiterId, keyOf(typed));
          await done(req, res, now, `Arbiter ${arbiterId} assigned`);
        } catch (error) {
          await showArbiterForm(res, appeal, typed, errorsOf(error, typed));
        }
      }),
    )
    .get(
      '/appeals/:id/hearing',
      route(async (req, res) => {
        const { appeal } = await appealFor(req, 'scheduleHearing');
        showHearingForm(res, appeal, {});
      }),
    )
    .post(
      '/appeals/:id/hearing',
      route(async (req, res) => {
        const { caller, appeal } = await appealFor(req, 'scheduleHearing');
        const typed = typedValues(req.body);
        try {
          const body = parse(HearingScheduleSchema, { scheduledFor: londonInstantOf(datePartsOf(typed, 'scheduledFor')), location: text(typed.location) });
          const { appeal: now } = await appeals.act(caller, appeal.id, { step: 'scheduleHearing', idempotencyKey: keyOf(typed) }, scheduleHearingUpdate, (actor) => ({ actor, ...body }));
          await done(req, res, now, `Hearing scheduled for ${ukDateTime(body.scheduledFor)}`);
        } catch (error) {
          showHearingForm(res, appeal, typed, errorsOf(error, typed));
        }
      }),
    )
    .get(
      '/appeals/:id/deadlines',
      route(async (req, res) => {
        const { appeal } = await appealFor(req, 'extendDeadline');
        const running = runningDeadline(appeal);
        if (running) return res.redirect(302, `${actionHref(appeal.id, 'extendDeadline')}/${running.kind}/extend`);
        res.render('case-actions/extend', { appeal });
      }),
    )
    .get(
      '/appeals/:id/deadlines/:kind/extend',
      route(async (req, res) => {
        const { appeal } = await appealFor(req, 'extendDeadline');
        showExtensionForm(res, appeal, deadlineOf(req, appeal), {});
      }),
    )
    .post(
      '/appeals/:id/deadlines/:kind/extend',
      route(async (req, res) => {
        const { caller, appeal } = await appealFor(req, 'extendDeadline');
        const deadline = deadlineOf(req, appeal);
        const typed = typedValues(req.body);
        try {
          const body = parse(ExtensionSchema, { until: endOfLondonDayOf(datePartsOf(typed, 'until')), reason: text(typed.reason) });
          const { appeal: now } = await appeals.act(caller, appeal.id, { deadline: deadline.kind, idempotencyKey: keyOf(typed) }, extendDeadlineUpdate, (actor) => ({
            actor,
            kind: deadline.kind,
            ...body,
          }));
          await done(req, res, now, `${DEADLINE_NAMES[deadline.kind]} deadline extended to ${ukDateTime(body.until)}`);
        } catch (error) {
          showExtensionForm(res, appeal, deadline, typed, errorsOf(error, typed));
        }
      }),
    )
    .get(
      '/appeals/:id/withdraw',
      route(async (req, res) => {
        const { appeal } = await appealFor(req, 'withdraw');
        const pending = req.session.withdrawal;
        showWithdrawForm(res, appeal, pending?.appealId === appeal.id ? { reason: pending.reason } : {});
      }),
    )
    .post(
      '/appeals/:id/withdraw',
      route(async (req, res) => {
        const { appeal } = await appealFor(req, 'withdraw');
        const typed = typedValues(req.body);
        try {
          const { reason } = parse(WithdrawalSchema, { reason: text(typed.reason) });
          req.session.withdrawal = { appealId: appeal.id, reason, idempotencyKey: randomUUID() };
          await redirectWithSession(req, res, `${actionHref(appeal.id, 'withdraw')}/confirm`);
        } catch (error) {
          showWithdrawForm(res, appeal, typed, errorsOf(error, typed));
        }
      }),
    )
    .get(
      '/appeals/:id/withdraw/confirm',
      route(async (req, res) => {
        const { appeal } = await appealFor(req, 'withdraw');
        const pending = req.session.withdrawal;
        if (pending?.appealId !== appeal.id) return res.redirect(303, actionHref(appeal.id, 'withdraw'));
        res.render('case-actions/withdraw-confirm', { appeal, reason: pending.reason });
      }),
    )
    .post(
      '/appeals/:id/withdraw/confirm',
      route(async (req, res) => {
        const { caller, appeal } = await appealFor(req, 'withdraw');
        const pending = req.session.withdrawal;
        if (pending?.appealId !== appeal.id) return res.redirect(303, actionHref(appeal.id, 'withdraw'));
        try {
          const { appeal: now } = await appeals.act(caller, appeal.id, { step: 'withdraw', idempotencyKey: pending.idempotencyKey }, withdrawUpdate, (actor) => ({
            actor,
            reason: pending.reason,
          }));
          delete req.session.withdrawal;
          await done(req, res, now, `Appeal ${now.reference} withdrawn`);
        } catch (error) {
          showWithdrawForm(res, appeal, { reason: pending.reason }, errorsOf(error, { reason: pending.reason }));
        }
      }),
    );
}

/** A refusal as form errors; each field problem in this form's words. */
function errorsOf(error: unknown, typed: Record<string, unknown>): FormErrors {
  return fieldErrors(error, WORDS, (name) => {
    const parts = datePartsOf(typed, name);
    if (!isBlankDate(parts) || parts.time) return false;
    return text(typed[name]) === undefined || (text(typed[name]) as string).trim() === '';
  });
}

/** A field as typed: a string (line breaks as \n, not a form's \r\n), or undefined for anything else (a repeated field is not one answer). */
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : undefined);

/** The form's Idempotency-Key, given when it was shown; one that is not a key is ignored. */
const keyOf = (typed: Record<string, unknown>): string | undefined => {
  const key = text(typed.idempotencyKey);
  return key && IDEMPOTENCY_KEY_PATTERN.test(key) ? key : undefined;
};

/** A date input's fields under a name, to show a date in the form. */
function prefixed(name: string, parts: { day: string; month: string; year: string; time: string }): Record<string, string> {
  return Object.fromEntries(Object.entries(parts).map(([part, value]) => [`${name}-${part}`, value]));
}
