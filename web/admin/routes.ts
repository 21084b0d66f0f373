import { Router } from 'express';
import { ArbiterRegistrationSchema } from '../../api/arbiters/schemas';
import type { ArbiterService } from '../../api/arbiters/service';
import type { Caller } from '../../api/context';
import { DepartmentParamsSchema, GuidanceSchema, NewDepartmentSchema, PolicySchema } from '../../api/departments/schemas';
import { DEPARTMENT_ROLES, type DepartmentService } from '../../api/departments/service';
import { notFound, toAppError } from '../../api/errors';
import { route } from '../../api/route';
import { CALENDARS, PERIOD_UNITS, type Period, type Policy } from '../../domain/policy';
import { onlyFor } from '../action-pages';
import { answerFlow, formValues, wholeNumber } from '../answer-flow';
import { flashFor } from '../flash';
import type { FormErrors } from '../forms';
import { CALENDAR_NAMES, POLICY_PERIODS, UNIT_NAMES } from '../labels';

/** The most reminder rows the policy form offers (the API takes at most 10 reminders). */
const MAX_REMINDERS = 10;

/**
 * An administrator's pages: the departments and the policy in force in each, a form that makes
 * version n+1 of a policy (its check page previews what it would make of an appeal submitted
 * now, by the engine's own deadline code), adding a department, and the arbiter register. All
 * through DepartmentService and ArbiterService, the services of the API's calls.
 */
export function adminRoutes(departments: DepartmentService, arbiters: ArbiterService): Router {
  const router = Router();
  router.use('/admin', onlyFor(DEPARTMENT_ROLES.replacePolicy, 'It is for administrators only.'));

  router.get(
    '/admin/departments',
    route(async (req, res) => {
      res.render('admin/departments', { departments: await departments.list(req.caller as Caller), periods: POLICY_PERIODS });
    }),
  );

  router.use(
    answerFlow({
      path: '/admin/departments/new',
      views: { form: 'admin/department-new' },
      load: () => Promise.resolve({}),
      schema: NewDepartmentSchema,
      fromForm: ({ code, name }) => ({ code: typeof code === 'string' ? code.trim().toUpperCase() : code, name }),
      messages: {
        code: 'Enter a code of 2 to 16 capital letters and digits, starting with a letter, such as HO',
        name: 'Enter the department’s name, in at most 200 characters',
      },
      refusal: (_req, _context, error, answers) => (toAppError(error).status === 409 ? fieldError('code', `There is already a department with the code ${answers.code}`) : undefined),
      async submit(req, _context, answers) {
        const department = await departments.create(req.caller as Caller, answers);
        return flashFor(req, '/admin/departments', `${department.name} (${department.code}) added`, 'Its policy is the standard one, version 1. Change it below if it needs to differ.');
      },
    }),
  );

  router.use(
    answerFlow({
      path: '/admin/departments/:code/policy',
      views: { form: 'admin/policy', check: 'admin/policy-check' },
      async load(req) {
        const params = DepartmentParamsSchema.safeParse(req.params);
        if (!params.success) throw notFound('No such department');
        const department = await departments.find(req.caller as Caller, params.data.code);
        return { department, periods: POLICY_PERIODS, unitItems, calendarItems, maxReminders: MAX_REMINDERS };
      },
      schema: PolicySchema,
      fromForm: policyFromForm,
      messages: policyMessages(),
      initial: ({ department }) => formValues(department.policy),
      describe: async (req, { department }, answers) => ({
        preview: await departments.previewPolicy(req.caller as Caller, department.code, answers),
        changed: changedParts(department.policy, answers),
      }),
      async submit(req, { department }, answers) {
        const replaced = await departments.replacePolicy(req.caller as Caller, department.code, answers);
        return flashFor(req, '/admin/departments', `The policy of ${replaced.name} is now version ${replaced.policyVersion}`, 'It applies to appeals opened from now on. Open appeals keep the policy they were opened under.');
      },
    }),
  );

  router.use(
    answerFlow({
      path: '/admin/departments/:code/guidance',
      views: { form: 'admin/guidance' },
      async load(req) {
        const params = DepartmentParamsSchema.safeParse(req.params);
        if (!params.success) throw notFound('No such department');
        return { department: await departments.find(req.caller as Caller, params.data.code) };
      },
      schema: GuidanceSchema,
      fromForm: ({ guidance }) => ({ guidance }),
      messages: { guidance: 'Enter the guidance, in at most 20,000 characters' },
      initial: ({ department }) => ({ guidance: department.guidance }),
      async submit(req, { department }, answers) {
        const replaced = await departments.replaceGuidance(req.caller as Caller, department.code, answers.guidance);
        return flashFor(req, '/admin/departments', `The guidance of ${replaced.name} is published with policy version ${replaced.policyVersion}`, 'The public register shows it, and every earlier version.');
      },
    }),
  );

  router.get(
    '/admin/arbiters',
    route(async (req, res) => {
      const caller = req.caller as Caller;
      const [register, known] = await Promise.all([arbiters.list(caller), departments.list(caller)]);
      const names = new Map(known.map((d) => [d.code, d.name]));
      res.render('admin/arbiters', { arbiters: register.map((a) => ({ ...a, departmentName: a.department ? names.get(a.department) : undefined })) });
    }),
  );

  router.use(
    answerFlow({
      path: '/admin/arbiters/new',
      views: { form: 'admin/arbiter-new' },
      load: async (req) => ({ departmentItems: departmentItems(await departments.list(req.caller as Caller)) }),
      schema: ArbiterRegistrationSchema,
      fromForm: (fields) => fields,
      messages: {
        id: 'Enter the arbiter’s user id as their sign-in gives it, in at most 255 characters, without spaces at either end',
        name: 'Enter the arbiter’s name, in at most 200 characters',
        email: 'Enter an email address in the correct format, like name@example.com',
        department: 'Select a department from the list, or none',
      },
      refusal: (_req, _context, error, answers) =>
        toAppError(error).status === 409 ? fieldError('id', `An arbiter with the id ${answers.id} is already in the register`) : undefined,
      async submit(req, _context, answers) {
        const arbiter = await arbiters.register(req.caller as Caller, answers);
        return flashFor(req, '/admin/arbiters', `${arbiter.name} added to the register`, `They can now be assigned appeals${arbiter.department ? `, except those of ${arbiter.department}, their home department` : ''}.`);
      },
    }),
  );
  return router;
}

const fieldError = (name: string, text: string): FormErrors => ({ summary: [{ text, href: `#${name}` }], fields: { [name]: { text } } });

const unitItems = PERIOD_UNITS.map((unit) => ({ value: unit, text: UNIT_NAMES[unit][1] }));
const calendarItems = CALENDARS.map((calendar) => ({ value: calendar, text: CALENDAR_NAMES[calendar] }));
const departmentItems = (known: { code: string; name: string }[]) => [
  { value: '', text: 'None' },
  ...known.map((d) => ({ value: d.code, text: `${d.name} (${d.code})` })),
];

/** The policy from the form: whole numbers as numbers, reminder rows left blank left out. */
function policyFromForm(fields: Record<string, unknown>): unknown {
  const period = (value: unknown) => (typeof value === 'object' && value !== null ? { ...value, amount: wholeNumber((value as Period).amount) } : value);
  const reminders = Array.isArray(fields.reminders) ? fields.reminders.filter((row: { amount?: unknown } | undefined) => row?.amount !== undefined) : [];
  return {
    ...Object.fromEntries(POLICY_PERIODS.map(({ key }) => [key, period(fields[key])])),
    reminders: reminders.map(period),
    calendar: fields.calendar,
    overruleMinimumEach: wholeNumber(fields.overruleMinimumEach),
    overruleMinimumTotal: wholeNumber(fields.overruleMinimumTotal),
  };
}

function policyMessages(): Record<string, string> {
  const amount = 'as a whole number of at least 1 (at most 366 days, 8,784 hours, 527,040 minutes or 31,622,400 seconds)';
  const messages: Record<string, string> = {
    calendar: 'Select the bank holidays working days skip',
    overruleMinimumEach: 'Enter the minimum score on each criterion as a whole number from 0 to 5',
    overruleMinimumTotal: 'Enter the minimum total score as a whole number from 0 to 25',
  };
  for (const { key, name } of POLICY_PERIODS) {
    messages[`${key}.amount`] = `Enter the ${name.toLowerCase()} period ${amount}`;
    messages[`${key}.unit`] = `Select the unit of the ${name.toLowerCase()} period`;
  }
  for (let row = 0; row < MAX_REMINDERS; row++) {
    messages[`reminders.${row}.amount`] = `Enter reminder ${row + 1} ${amount}`;
    messages[`reminders.${row}.unit`] = `Select the unit of reminder ${row + 1}`;
  }
  return messages;
}

/** Which parts of the policy the new one changes, by name, for the check page to point out. */
function changedParts(current: Policy, next: Policy): Record<string, boolean> {
  return Object.fromEntries(Object.keys(next).map((key) => [key, JSON.stringify(current[key as keyof Policy]) !== JSON.stringify(next[key as keyof Policy])]));
}
