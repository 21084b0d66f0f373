import type { Request, RequestHandler } from 'express';
import { ACTIONS, mayTake, type Action } from '../domain/actions';
import type { AppealService } from '../api/appeals/service';
import type { Caller } from '../api/context';
import { toAppError } from '../api/errors';
import type { AppealView, Role } from '../domain/appeal';
import { ActionNotOpen, orNotOpen } from './answer-flow';
import { appealHref } from './appeals/actions';
import { appealIdOf } from './appeals/routes';
import type { FormErrors } from './forms';
import { ACTION_AWAITED, ACTION_NAMES, ROLE_NAMES, STATUS_NAMES } from './labels';

export interface AppealAction {
  caller: Caller;
  appeal: AppealView;
}

/**
 * The appeal of an action's page, read through the service (404 alike for a missing appeal and
 * one out of the person's scope), if the action is open to this person now (domain/actions.ts
 * mayTake, the rule the case page lists actions by); otherwise ActionNotOpen: 403 for a role that
 * never takes it, 409 when the appeal is not waiting for it. A form sent (POST) is checked for the
 * role only: whether the appeal still waits for it is the engine's to say, and its refusal is
 * shown as an error summary ("This appeal is no longer awaiting …").
 */
export async function appealForAction(appeals: AppealService, req: Request, action: Action): Promise<AppealAction> {
  const caller = req.caller as Caller;
  const appeal = await appeals.findVisible(caller, appealIdOf(req.params as Record<string, string>));
  const roles: readonly string[] = ACTIONS[action].roles;
  const sent = req.method === 'POST' && roles.includes(caller.role);
  if (sent || mayTake(caller, appeal, action)) return { caller, appeal };
  const back = { href: appealHref(appeal.id), text: `Go to appeal ${appeal.reference}` };
  if (!roles.includes(caller.role)) {
    const who = roles.map((role) => `${ROLE_NAMES[role as Caller['role']].toLowerCase()}s`).join(' and ');
    throw new ActionNotOpen(403, `You cannot ${lowerFirst(ACTION_NAMES[action])}`, `This is for ${who} only.`, back);
  }
  throw new ActionNotOpen(409, `You cannot ${lowerFirst(ACTION_NAMES[action])} now`, notAwaiting(action, appeal, 'not'), back);
}

/**
 * A 409 from the engine in words: "This appeal is no longer awaiting a decision: it is now
 * awaiting compliance", read again from the service; other refusals as refusalAsFormErrors says.
 */
export async function noLongerAwaiting(appeals: AppealService, { caller, appeal }: AppealAction, action: Action, error: unknown): Promise<FormErrors | undefined> {
  if (toAppError(error).status !== 409) return undefined;
  const now = await appeals.findVisible(caller, appeal.id);
  return { summary: [{ text: notAwaiting(action, now, 'no longer') }], fields: {} };
}

function notAwaiting(action: Action, appeal: AppealView, how: 'not' | 'no longer'): string {
  const status = `its status is ${how === 'not' ? '' : 'now '}‘${STATUS_NAMES[appeal.status]}’`;
  const awaited = ACTION_AWAITED[action];
  return awaited ? `This appeal is ${how} awaiting ${awaited}: ${status}.` : `You can ${how === 'not' ? 'not' : 'no longer'} do this: ${status}.`;
}

const lowerFirst = (text: string) => text[0].toLowerCase() + text.slice(1);

/** Pages for these roles only (the service's own list of who may call it): the others get a page that says so (403). */
export function onlyFor(roles: readonly Role[], reason: string): RequestHandler {
  return (req, res, next) => {
    if (roles.includes((req.caller as Caller).role)) {
      next();
      return;
    }
    orNotOpen(res, () => Promise.reject(new ActionNotOpen(403, 'You cannot use this page', reason, { href: '/', text: 'Go to your work' }))).catch(next);
  };
}
