import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import type { DataSource } from 'typeorm';
import { AppealSubmissionSchema } from '../../api/appeals/schemas';
import { APPEAL_OPENERS, type AppealService } from '../../api/appeals/service';
import type { Caller } from '../../api/context';
import { notFound, toAppError } from '../../api/errors';
import { route } from '../../api/route';
import { parse } from '../../api/validation';
import { listDepartments } from '../../db/departments';
import { GROUNDS_OF_APPEAL, type AppealSubmission } from '../../domain/appeal';
import { appealHref } from '../appeals/actions';
import { datePartsOf, isBlankDate, isoDateOf } from '../dates';
import { fieldErrors, type FieldWords } from '../field-errors';
import { refusalAsFormErrors, typedValues, type FormErrors } from '../forms';
import { redirectWithSession } from '../flash';
import { GROUNDS_NAMES } from '../labels';

/**
 * The open-an-appeal journey while it is under way, in the session: what was typed (to show the
 * form again), the submission it makes, the Idempotency-Key of the one attempt to open it (given
 * when the answers are first checked, so a double submit opens one appeal), and once opened, which.
 */
export interface OpenAppealDraft {
  typed: Record<string, unknown>;
  submission?: AppealSubmission;
  idempotencyKey?: string;
  opened?: { id: string; reference: string };
}

declare module 'express-session' {
  interface SessionData {
    openAppeal?: OpenAppealDraft;
  }
}

const FORM = '/appeals/new';
const CHECK = '/appeals/new/check';
const CONFIRMATION = '/appeals/new/confirmation';

/** The form's fields (the API body's paths, but the turnover typed in pounds) in the service's words. */
const WORDS: Record<string, FieldWords> = {
  department: { name: 'The department', missing: 'Select the department the appeal is against' },
  'parentBody.name': { name: 'The name of the parent body', missing: 'Enter the name of the parent body' },
  'parentBody.managerName': { name: 'The manager’s name', missing: 'Enter the name of the parent body’s manager' },
  'parentBody.managerEmail': {
    name: 'The manager’s email address',
    missing: 'Enter the manager’s email address',
    invalid: 'Enter the manager’s email address in the correct format, like name@example.gov.uk',
  },
  'appellant.name': { name: 'The appellant’s name', missing: 'Enter the appellant’s name' },
  'appellant.email': {
    name: 'The appellant’s email address',
    missing: 'Enter the appellant’s email address',
    invalid: 'Enter the appellant’s email address in the correct format, like name@example.org',
  },
  'proposedMutual.name': { name: 'The name of the proposed mutual', missing: 'Enter the name of the proposed mutual' },
  'proposedMutual.service': { name: 'The service', missing: 'Enter the service the mutual would run' },
  'proposedMutual.staffCount': { name: 'The number of staff', missing: 'Enter the number of staff', invalid: 'Enter the number of staff as a whole number, like 120' },
  'proposedMutual.annualTurnover': {
    name: 'The annual turnover',
    missing: 'Enter the annual turnover in pounds',
    invalid: 'Enter the annual turnover in pounds, like 2500000 or 2,500,000.50',
    outOfRange: 'The annual turnover is too large',
  },
  groundsOfAppeal: { name: 'The grounds of appeal', missing: 'Select the grounds of appeal' },
  requestSubmittedOn: {
    name: 'The date the request was submitted',
    missing: 'Enter the date the request was submitted to the parent body',
    invalid: 'The date the request was submitted must be a real date, like 1 10 2026',
    date: true,
  },
  businessCaseSummary: { name: 'The business case summary', missing: 'Enter a summary of the business case' },
};

/** The API body's paths that the form names otherwise. */
const PATHS = { 'proposedMutual.annualTurnoverPence': 'proposedMutual.annualTurnover' };

/**
 * Open an appeal (/appeals/new): one form with every field of POST /v1/appeals, checked by the
 * API's own schema (each problem on its field), then "Check your answers" (/appeals/new/check,
 * each answer with a Change link back to its field), then the confirmation with the reference
 * (/appeals/new/confirmation). The appeal is opened through AppealService.open, as the API does.
 */
export function openAppealRoutes(appeals: AppealService, dataSource: DataSource): Router {
  const showForm = async (res: Response, typed: Record<string, unknown>, errors?: FormErrors) => {
    const departments = await listDepartments(dataSource);
    res.status(errors ? 400 : 200).render('open-appeal/form', {
      values: typed,
      errors,
      departments: [{ value: '', text: 'Select a department' }, ...departments.map((d) => ({ value: d.code, text: `${d.name} (${d.code})`, selected: d.code === typed.department }))],
      grounds: GROUNDS_OF_APPEAL.map((code) => ({ value: code, text: GROUNDS_NAMES[code], checked: code === typed.groundsOfAppeal })),
    });
  };
  const showCheck = async (res: Response, draft: OpenAppealDraft, errors?: FormErrors) => {
    const departments = await listDepartments(dataSource);
    const department = departments.find((d) => d.code === draft.submission?.department);
    res.status(errors ? 400 : 200).render('open-appeal/check', { submission: draft.submission, departmentName: department?.name, errors });
  };

  return Router()
    .use('/appeals/new', (req, _res, next) => {
      if (!(APPEAL_OPENERS as readonly string[]).includes((req.caller as Caller).role)) throw notFound(`No page ${req.path}`);
      next();
    })
    .get(
      FORM,
      route(async (req, res) => {
        const draft = req.session.openAppeal;
        await showForm(res, draft && !draft.opened ? draft.typed : {});
      }),
    )
    .post(
      FORM,
      route(async (req, res) => {
        const typed = typedValues(req.body);
        let submission: AppealSubmission;
        try {
          submission = parse(AppealSubmissionSchema, submissionOf(typed));
        } catch (error) {
          await showForm(res, typed, errorsOnTheForm(error, typed));
          return;
        }
        req.session.openAppeal = { typed, submission };
        await redirectWithSession(req, res, CHECK);
      }),
    )
    .get(
      CHECK,
      route(async (req, res) => {
        const draft = req.session.openAppeal;
        if (!draft?.submission) return res.redirect(303, FORM);
        if (draft.opened) return res.redirect(303, CONFIRMATION);
        draft.idempotencyKey ??= randomUUID();
        await showCheck(res, draft);
      }),
    )
    .post(
      CHECK,
      route(async (req, res) => {
        const draft = req.session.openAppeal;
        if (!draft?.submission) return res.redirect(303, FORM);
        if (draft.opened) return res.redirect(303, CONFIRMATION);
        draft.idempotencyKey ??= randomUUID();
        try {
          const { appeal } = await appeals.open(req.caller as Caller, draft.submission, draft.idempotencyKey);
          draft.opened = { id: appeal.id, reference: appeal.reference };
        } catch (error) {
          await showRefusal(res, error, draft);
          return;
        }
        await redirectWithSession(req, res, CONFIRMATION);
      }),
    )
    .get(CONFIRMATION, (req, res) => {
      const opened = req.session.openAppeal?.opened;
      if (!opened) return res.redirect(303, FORM);
      res.render('open-appeal/confirmation', { opened, href: appealHref(opened.id) });
    });

  /** A refusal of the answers: on their fields in the form, or (without fields) on the check page. */
  async function showRefusal(res: Response, error: unknown, draft: OpenAppealDraft): Promise<void> {
    const refusal = toAppError(error);
    if (refusal.errors?.some((problem) => problem.path.startsWith('body.'))) {
      await showForm(res, draft.typed, errorsOnTheForm(error, draft.typed));
      return;
    }
    await showCheck(res, draft, refusalAsFormErrors(error));
  }
}

function errorsOnTheForm(error: unknown, typed: Record<string, unknown>): FormErrors {
  return fieldErrors(error, WORDS, (name) => isBlank(typed, name), PATHS);
}

function isBlank(typed: Record<string, unknown>, name: string): boolean {
  if (name === 'requestSubmittedOn') return isBlankDate(datePartsOf(typed, name));
  const value = typed[name];
  return typeof value !== 'string' || value.trim() === '';
}

/** The API body the form's fields make, for the API's schema to judge. */
function submissionOf(typed: Record<string, unknown>): unknown {
  // Line breaks as \n, not the \r\n a form sends.
  const text = (name: string) => (typeof typed[name] === 'string' ? typed[name].replace(/\r\n?/g, '\n') : undefined);
  return {
    department: text('department'),
    parentBody: { name: text('parentBody.name'), managerName: text('parentBody.managerName'), managerEmail: text('parentBody.managerEmail')?.trim() },
    appellant: { name: text('appellant.name'), email: text('appellant.email')?.trim() },
    proposedMutual: {
      name: text('proposedMutual.name'),
      service: text('proposedMutual.service'),
      staffCount: wholeNumber(text('proposedMutual.staffCount')),
      annualTurnoverPence: pence(text('proposedMutual.annualTurnover')),
    },
    groundsOfAppeal: text('groundsOfAppeal'),
    requestSubmittedOn: isoDateOf(datePartsOf(typed, 'requestSubmittedOn')),
    businessCaseSummary: text('businessCaseSummary'),
  };
}

/** "1,200" → 1200; blank → undefined; anything else as typed (for the schema to refuse). */
function wholeNumber(typed: string | undefined): number | string | undefined {
  const plain = typed?.replace(/[,\s]/g, '');
  if (!plain) return undefined;
  return /^\d+$/.test(plain) ? Number(plain) : typed;
}

/** Pounds as typed ("£2,500,000.50") → pence (250000050); blank → undefined; anything else as typed. */
function pence(typed: string | undefined): number | string | undefined {
  const plain = typed?.replace(/[£,\s]/g, '');
  if (!plain) return undefined;
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(plain);
  if (!match) return typed;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}
