import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { badRequest, toAppError } from '../api/errors';
import { route } from '../api/route';
import { IDEMPOTENCY_KEY_PATTERN } from '../api/schemas';
import { parse } from '../api/validation';
import { datePartsOf, isBlankDate } from './dates';
import { drafts } from './drafts';
import { redirectWithSession } from './flash';
import { fieldErrors, type FieldWords } from './field-errors';
import { refusalAsFormErrors, typedValues, type FormErrors } from './forms';

/**
 * A form page that sends one call of the service, the GOV.UK way: the form (GET and POST `path`),
 * then, when `views.check` is given, "Check your answers" (GET and POST `path/check`), then the page
 * `submit` answers with (post/redirect/get). The form's fields are named by the API body's paths;
 * `fromForm` turns them into the body, which the API's own zod schema validates; the service has the
 * last word, and each refusal comes back as a GOV.UK error summary, the person's answers kept.
 */
export interface AnswerFlow<Context extends object, Answers> {
  /** Express path of the form, e.g. `/appeals/:id/decision`. */
  path: string;
  views: { form: string; check?: string };
  /** What the pages are about (the appeal, the department), read through the service; throws ActionNotOpen when the form is not for this person now. */
  load(req: Request): Promise<Context>;
  schema: z.ZodType<Answers>;
  /** The API body from the form's fields (names are body paths, blanks already left out). */
  fromForm(fields: Record<string, unknown>): unknown;
  /** A field's error message in the service's words, by field name, in place of the validator's. */
  messages?: Record<string, string>;
  /**
   * In place of `messages`, how the form speaks of each field (web/field-errors.ts): one message
   * when it was left blank, another when it is not of the right kind, the schema's limit in words;
   * `paths` names the fields where the API body's paths differ (a turnover typed in pounds).
   */
  words?: { fields: Record<string, FieldWords>; paths?: Record<string, string> };
  /** The form's values from answers, where they are not simply the body's paths (the inverse of `fromForm`; default `formValues`). */
  toForm?(answers: Answers): Record<string, unknown>;
  /** The form's values when there is no draft yet (e.g. the policy in force). */
  initial?(context: Context): Record<string, unknown>;
  /** More for the check page to show: the overrule test, a preview. */
  describe?(req: Request, context: Context, answers: Answers): Promise<Record<string, unknown>> | Record<string, unknown>;
  /**
   * Send the answers (with `idempotencyKey`: the draft's, when there is a check page, else made
   * when the form was shown, so a second press, or the same check page in a second tab, sends the
   * same request, which the service answers once); answers where to go next.
   */
  submit(req: Request, context: Context, answers: Answers, idempotencyKey: string | undefined): Promise<string>;
  /** The refusal as form errors, where the flow says it better than `refusalAsFormErrors` (e.g. a 409, the overrule test's 422). */
  refusal?(req: Request, context: Context, error: unknown, answers: Answers): Promise<FormErrors | undefined> | FormErrors | undefined;
}

/** A form that is not for this person now: a page that says why, with the status given (403, or 409). */
export class ActionNotOpen extends Error {
  constructor(
    readonly status: 403 | 409,
    readonly heading: string,
    readonly reason: string,
    readonly back: { href: string; text: string },
  ) {
    super(reason);
  }
}

/** Render the "not open" page for ActionNotOpen; anything else goes on to the error pages. */
export async function orNotOpen(res: Response, page: () => Promise<void>): Promise<void> {
  try {
    await page();
  } catch (error) {
    if (!(error instanceof ActionNotOpen)) throw error;
    res.status(error.status).render('actions/not-open', { pageTitle: error.heading, heading: error.heading, reason: error.reason, back: error.back });
  }
}

export function answerFlow<Context extends object, Answers>(flow: AnswerFlow<Context, Answers>): Router {
  const formPath = (req: Request) => req.path.replace(/\/check$/, '');
  const toForm = (answers: Answers) => (flow.toForm ? flow.toForm(answers) : formValues(answers));
  /** A refusal as form errors, in the flow's words; `typed`, the form's values, tells a blank field from a wrong one. */
  const errorsOf = (error: unknown, typed: Record<string, unknown>): FormErrors =>
    flow.words ? fieldErrors(error, flow.words.fields, (name) => isBlankField(typed, name), flow.words.paths) : refusalAsFormErrors(error, flow.messages ?? {});

  const showForm = (res: Response, context: Context, locals: { values: Record<string, unknown>; errors?: FormErrors }, status = 200) =>
    res.status(status).render(flow.views.form, { ...context, ...locals, formHref: formPath(res.req), requestKey: randomUUID() });

  const showCheck = async (req: Request, res: Response, context: Context, answers: Answers, errors?: FormErrors, status = 200) => {
    const draft = drafts.get(req, formPath(req));
    const described = (await flow.describe?.(req, context, answers)) ?? {};
    res.status(status).render(flow.views.check as string, {
      ...context,
      ...described,
      answers,
      answersJson: JSON.stringify(answers),
      requestKey: draft?.requestKey ?? randomUUID(),
      errors,
      /** Refused as no longer fitting the appeal: nothing to send again. */
      closed: status === 409,
      formHref: formPath(req),
      checkHref: `${formPath(req)}/check`,
    });
  };

  /**
   * A refusal of the service: on the form when it names fields (filled in as the person typed it,
   * or from the answers checked), else on the check page (or the form when there is none).
   */
  const refused = async (req: Request, res: Response, context: Context, answers: Answers, error: unknown) => {
    const values = flow.views.check ? toForm(answers) : typedValues(req.body);
    const errors = (await flow.refusal?.(req, context, error, answers)) ?? errorsOf(error, values);
    const status = statusOf(error);
    if (!flow.views.check || Object.keys(errors.fields).length > 0) showForm(res, context, { values, errors }, status);
    else await showCheck(req, res, context, answers, errors, status);
  };

  const send = async (req: Request, res: Response, context: Context, answers: Answers) => {
    let next: string;
    try {
      next = await flow.submit(req, context, answers, requestKeyOf(req.body));
    } catch (error) {
      await refused(req, res, context, answers, error);
      return;
    }
    drafts.forget(req, formPath(req));
    await redirectWithSession(req, res, next);
  };

  const router = Router();
  router.get(
    flow.path,
    route(async (req, res) =>
      orNotOpen(res, async () => {
        const context = await flow.load(req);
        const draft = drafts.get(req, formPath(req));
        showForm(res, context, { values: draft ? toForm(parse(flow.schema, draft.answers)) : (flow.initial?.(context) ?? {}) });
      }),
    ),
  );
  router.post(
    flow.path,
    route(async (req, res) =>
      orNotOpen(res, async () => {
        const context = await flow.load(req);
        let answers: Answers;
        try {
          answers = parse(flow.schema, flow.fromForm(formFields(req.body)));
        } catch (error) {
          const typed = typedValues(req.body);
          showForm(res, context, { values: typed, errors: errorsOf(error, typed) }, 400);
          return;
        }
        if (flow.views.check) {
          drafts.keep(req, formPath(req), answers);
          await redirectWithSession(req, res, `${formPath(req)}/check`);
          return;
        }
        await send(req, res, context, answers);
      }),
    ),
  );

  if (flow.views.check) {
    router.get(
      `${flow.path}/check`,
      route(async (req, res) =>
        orNotOpen(res, async () => {
          const context = await flow.load(req);
          const draft = drafts.get(req, formPath(req));
          if (!draft) {
            res.redirect(303, formPath(req));
            return;
          }
          await showCheck(req, res, context, parse(flow.schema, draft.answers));
        }),
      ),
    );
    router.post(
      `${flow.path}/check`,
      route(async (req, res) =>
        orNotOpen(res, async () => {
          const context = await flow.load(req);
          await send(req, res, context, parse(flow.schema, answersSent(req.body)));
        }),
      ),
    );
  }
  return router;
}

/** The status the API answers a refusal with (a workflow's 422 as 422, not a plain 400). */
const statusOf = (error: unknown): number => toAppError(error).status;

/** The key of the request the page with the button stands for (see `submit`). */
function requestKeyOf(body: unknown): string | undefined {
  const key = (body as { requestKey?: unknown } | undefined)?.requestKey;
  return typeof key === 'string' && IDEMPOTENCY_KEY_PATTERN.test(key) ? key : undefined;
}

/** The answers the check page sent back with its button (the JSON of what it showed). */
function answersSent(body: unknown): unknown {
  const sent = (body as { answers?: unknown } | undefined)?.answers;
  if (typeof sent !== 'string') throw badRequest('The answers were not sent');
  try {
    return JSON.parse(sent);
  } catch {
    throw badRequest('The answers sent could not be read');
  }
}

/**
 * The form's fields as the nested body they name (`assessment.financialViability` →
 * `{assessment: {financialViability}}`; `reminders.0.amount` → `{reminders: [{amount}]}`), with
 * blank fields left out, so a required one is "missing" and an optional one absent, and line
 * breaks as \n.
 */
export function formFields(body: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(typedValues(body))) {
    if (typeof value !== 'string' || value.trim() === '' || name === 'requestKey') continue;
    const path = name.split('.');
    if (path.some((key) => !/^[\w-]+$/.test(key) || key === '__proto__' || key === 'constructor' || key === 'prototype')) continue;
    let node: Record<string, unknown> = fields;
    for (const [index, key] of path.slice(0, -1).entries()) {
      const child = node[key];
      node = (typeof child === 'object' && child !== null ? child : (node[key] = /^\d+$/.test(path[index + 1]) ? [] : {})) as Record<string, unknown>;
    }
    // Line breaks as \n, not the \r\n a form sends.
    node[path[path.length - 1]] = value.replace(/\r\n?/g, '\n');
  }
  return fields;
}

/** Nothing typed in the field `name`: not as text, nor in the parts of a date input of that name. */
function isBlankField(typed: Record<string, unknown>, name: string): boolean {
  const parts = datePartsOf(typed, name);
  if (!isBlankDate(parts) || parts.time) return false;
  const value = typed[name];
  return typeof value !== 'string' || value.trim() === '';
}

/** Answers as the form's values, by field name (the inverse of formFields), each as text. */
export function formValues(answers: unknown, prefix = ''): Record<string, unknown> {
  if (typeof answers !== 'object' || answers === null) return prefix ? { [prefix]: String(answers) } : {};
  return Object.entries(answers).reduce<Record<string, unknown>>(
    (values, [key, value]) => ({ ...values, ...formValues(value, prefix ? `${prefix}.${key}` : key) }),
    {},
  );
}

/** A whole number typed in a form ("12", "1,200") as a number, for the schema to check; anything else as typed, for it to refuse. */
export const wholeNumber = (value: unknown): unknown => {
  const plain = typeof value === 'string' ? value.replace(/[,\s]/g, '') : undefined;
  return plain !== undefined && /^\d{1,9}$/.test(plain) ? Number(plain) : value;
};
