import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { runningDeadline } from '../../domain/actions';
import { APPEAL_STATUSES } from '../../domain/lifecycle';
import { appealPage } from '../../api/appeals/list';
import { AppealListQuerySchema, type AppealListQuery } from '../../api/appeals/schemas';
import type { AppealService } from '../../api/appeals/service';
import { ARBITER_ROLES } from '../../api/arbiters/service';
import type { Caller } from '../../api/context';
import { route } from '../../api/route';
import { parse } from '../../api/validation';
import { arbiterRegister } from '../../db/arbiters';
import { listDepartments } from '../../db/departments';
import type { AppealView } from '../../domain/appeal';
import { appealHref } from '../appeals/actions';
import { filledIn, queryErrors } from '../field-errors';
import { STATUS_NAMES } from '../labels';

/** The filters of the list, as GET /v1/appeals names them; the page's own links keep `limit` too. */
const FILTERS = ['status', 'department', 'arbiterId', 'overdue', 'q'] as const;
type Filter = (typeof FILTERS)[number];
const KEPT = [...FILTERS, 'limit'] as const;

const FILTER_WORDS = {
  status: { name: 'The status', missing: 'Select a status' },
  department: { name: 'The department', missing: 'Select a department' },
  arbiterId: { name: 'The arbiter', missing: 'Select an arbiter' },
  overdue: { name: 'Overdue', missing: 'Select whether to show only overdue appeals' },
  q: { name: 'The search', missing: 'Enter part of a reference or of a proposed mutual’s name' },
  limit: { name: 'The number of appeals a page', missing: 'Enter how many appeals a page shows', invalid: 'Enter how many appeals a page shows as a whole number' },
  cursor: { name: 'The page', missing: 'Go back to the first page', invalid: 'This page of the list is not one the service gave out: go back to the first page' },
  before: { name: 'The page', missing: 'Go back to the first page', invalid: 'This page of the list is not one the service gave out: go back to the first page' },
};

/**
 * All appeals (/appeals): the list of GET /v1/appeals as a page, with the MOJ filter (status,
 * department, arbiter, overdue, text search) and cursor pages back and forth. The query is read
 * by the API's own schema and the page by the API's own function (appealPage), so a manager sees
 * their department and an arbiter their appeals, exactly as through the API.
 */
export function appealListRoutes(appeals: AppealService, dataSource: DataSource): Router {
  return Router().get(
    '/appeals',
    route(async (req, res) => {
      const caller = req.caller as Caller;
      const asked = filledIn(req.query);
      const readsRegister = (ARBITER_ROLES.list as readonly string[]).includes(caller.role);
      const [departments, arbiters] = await Promise.all([listDepartments(dataSource), readsRegister ? arbiterRegister(dataSource) : []]);
      const view = {
        asked,
        statuses: choices('Any status', APPEAL_STATUSES.map((code) => [code, STATUS_NAMES[code]]), asked.status),
        departments: caller.role === 'manager' ? undefined : choices('Any department', departments.map((d) => [d.code, `${d.name} (${d.code})`]), asked.department),
        arbiters: readsRegister ? choices('Any arbiter', arbiters.map((a) => [a.id, `${a.name} (${a.id})`]), asked.arbiterId) : undefined,
        selected: selectedFilters(asked, { departments, arbiters }),
        clearHref: hrefWith(asked, {}, FILTERS),
      };
      let query: AppealListQuery;
      try {
        query = parse(AppealListQuerySchema, asked, 'query');
      } catch (error) {
        res.status(400).render('appeal-list/index', { ...view, errors: queryErrors(error, FILTER_WORDS, asked) });
        return;
      }
      const page = await appealPage(appeals, caller, query);
      res.render('appeal-list/index', {
        ...view,
        rows: page.items.map((json) => row(JSON.parse(json) as AppealView)),
        previousHref: page.previousCursor ? hrefWith(asked, { before: page.previousCursor }) : undefined,
        nextHref: page.nextCursor ? hrefWith(asked, { cursor: page.nextCursor }) : undefined,
      });
    }),
  );
}

/** The options of a filter's select: any, then each value, the one asked for selected. */
function choices(any: string, values: [string, string][], asked: unknown): { value: string; text: string; selected?: boolean }[] {
  return [{ value: '', text: any }, ...values.map(([value, text]) => ({ value, text, selected: value === asked }))];
}

/** The address of the list with these filters (and `limit`), a page's cursor, less `without`. */
function hrefWith(asked: Record<string, unknown>, page: { cursor?: string; before?: string }, without: readonly string[] = []): string {
  const params = new URLSearchParams();
  for (const name of KEPT) {
    const value = asked[name];
    if (typeof value === 'string' && !without.includes(name)) params.set(name, value);
  }
  for (const [name, value] of Object.entries(page)) if (value) params.set(name, value);
  const query = params.toString();
  return query ? `/appeals?${query}` : '/appeals';
}

/** The MOJ filter's "Selected filters": each filter in force, with a link that takes it away. */
function selectedFilters(
  asked: Record<string, unknown>,
  known: { departments: { code: string; name: string }[]; arbiters: { id: string; name: string }[] },
): { heading: { text: string }; items: { href: string; text: string }[] }[] {
  const words: Record<Filter, [string, (value: string) => string]> = {
    status: ['Status', (v) => STATUS_NAMES[v as keyof typeof STATUS_NAMES] ?? v],
    department: ['Department', (v) => known.departments.find((d) => d.code === v)?.name ?? v],
    arbiterId: ['Arbiter', (v) => known.arbiters.find((a) => a.id === v)?.name ?? v],
    overdue: ['Overdue', (v) => (v === 'true' ? 'Only overdue appeals' : 'Only appeals not overdue')],
    q: ['Search', (v) => `“${v}”`],
  };
  return FILTERS.filter((name) => typeof asked[name] === 'string').map((name) => ({
    heading: { text: words[name][0] },
    items: [{ href: hrefWith(asked, {}, [name]), text: words[name][1](asked[name] as string) }],
  }));
}

/** One line of the table: the appeal, and the deadline of its current stage. */
function row(appeal: AppealView) {
  const due = runningDeadline(appeal);
  return { appeal, href: appealHref(appeal.id), dueAt: due?.dueAt, dueSort: due ? Date.parse(due.dueAt) : Number.MAX_SAFE_INTEGER };
}
