import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { AppealSubmissionSchema } from '../../api/appeals/schemas';
import { APPEAL_OPENERS, type AppealService } from '../../api/appeals/service';
import type { Caller } from '../../api/context';
import { notFound } from '../../api/errors';
import { listDepartments } from '../../db/departments';
import { GROUNDS_OF_APPEAL, type AppealSubmission } from '../../domain/appeal';
import { answerFlow, formValues, wholeNumber } from '../answer-flow';
import { appealHref } from '../appeals/actions';
import { dateAnswer, dateFields, datePartsOf, londonDate } from '../dates';
import type { FieldWords } from '../field-errors';
import { GROUNDS_NAMES } from '../labels';

declare module 'express-session' {
  interface SessionData {
    /** The appeal the person last opened, for the confirmation page. */
    openedAppeal?: { id: string; reference: string };
  }
}

const FORM = '/appeals/new';
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
 * Open an appeal (/appeals/new), an AnswerFlow: one form with every field of POST /v1/appeals,
 * checked by the API's own schema (each problem on its field), then "Check your answers"
 * (/appeals/new/check, each answer with a Change link back to its field), then the confirmation
 * with the reference (/appeals/new/confirmation). The appeal is opened through AppealService.open,
 * as the API does, with the key of the check page shown: its button pressed twice opens one appeal.
 */
export function openAppealRoutes(appeals: AppealService, dataSource: DataSource): Router {
  const mayOpen = (caller: Caller) => (APPEAL_OPENERS as readonly string[]).includes(caller.role);
  const open = answerFlow({
    path: FORM,
    views: { form: 'open-appeal/form', check: 'open-appeal/check' },
    async load(req) {
      if (!mayOpen(req.caller as Caller)) throw notFound(`No page ${req.path}`);
      return { departments: await listDepartments(dataSource), grounds: GROUNDS_OF_APPEAL.map((code) => ({ value: code, text: GROUNDS_NAMES[code] })) };
    },
    schema: AppealSubmissionSchema,
    fromForm: submissionOf,
    words: { fields: WORDS, paths: PATHS },
    toForm: formOf,
    describe: (_req, { departments }, answers) => ({ departmentName: departments.find((d) => d.code === answers.department)?.name }),
    async submit(req, _context, submission, idempotencyKey) {
      const { appeal } = await appeals.open(req.caller as Caller, submission, idempotencyKey);
      req.session.openedAppeal = { id: appeal.id, reference: appeal.reference };
      return CONFIRMATION;
    },
  });

  return Router()
    .use(open)
    .get(CONFIRMATION, (req, res) => {
      const opened = req.session.openedAppeal;
      if (!mayOpen(req.caller as Caller)) throw notFound(`No page ${req.path}`);
      if (!opened) return res.redirect(303, FORM);
      res.render('open-appeal/confirmation', { opened, href: appealHref(opened.id) });
    });
}

/** The API body the form's fields make (the turnover typed in pounds), for the API's schema to judge. */
function submissionOf(fields: Record<string, unknown>): unknown {
  const part = (name: string) => (typeof fields[name] === 'object' && fields[name] !== null ? (fields[name] as Record<string, unknown>) : {});
  const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);
  const [parentBody, appellant, mutual] = [part('parentBody'), part('appellant'), part('proposedMutual')];
  return {
    department: fields.department,
    parentBody: { name: parentBody.name, managerName: parentBody.managerName, managerEmail: trimmed(parentBody.managerEmail) },
    appellant: { name: appellant.name, email: trimmed(appellant.email) },
    proposedMutual: { name: mutual.name, service: mutual.service, staffCount: wholeNumber(mutual.staffCount), annualTurnoverPence: pence(mutual.annualTurnover) },
    groundsOfAppeal: fields.groundsOfAppeal,
    requestSubmittedOn: dateAnswer(datePartsOf(fields, 'requestSubmittedOn'), londonDate),
    businessCaseSummary: fields.businessCaseSummary,
  };
}

/** The form's fields for a submission (the inverse of submissionOf): numbers as a person types them, the date in its parts. */
function formOf({ proposedMutual: { staffCount, annualTurnoverPence, ...mutual }, requestSubmittedOn, ...rest }: AppealSubmission): Record<string, unknown> {
  const { time: _time, ...date } = dateFields('requestSubmittedOn', requestSubmittedOn);
  return {
    ...formValues({ ...rest, proposedMutual: mutual }),
    'proposedMutual.staffCount': staffCount.toLocaleString('en-GB'),
    'proposedMutual.annualTurnover': (annualTurnoverPence / 100).toLocaleString('en-GB', { minimumFractionDigits: annualTurnoverPence % 100 ? 2 : 0, maximumFractionDigits: 2 }),
    ...date,
  };
}

/** Pounds as typed ("£2,500,000.50") → pence (250000050); anything else as typed, for the schema to refuse. */
function pence(typed: unknown): unknown {
  if (typeof typed !== 'string') return typed;
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(typed.replace(/[£,\s]/g, ''));
  if (!match) return typed;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}
