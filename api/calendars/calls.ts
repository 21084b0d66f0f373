/** The calls on the bank holiday calendar deadlines are counted on. */
import { callsOf } from '../calls';
import { NoQuerySchema } from '../schemas';
import {
  CalendarChangeSchema,
  CalendarReplacementSchema,
  CalendarSchema,
  CancellationQuerySchema,
  DivisionParamsSchema,
  HolidayParamsSchema,
  ProclaimedHolidaySchema,
} from './schemas';
import { CALENDAR_ROLES, type CalendarService } from './service';

const call = callsOf<CalendarService>();
const tag = 'Calendars';
const MOVES =
  'Makes the next calendar version. Every open appeal whose running deadline the change moves is counted again, once, by its own workflow: ' +
  'the due date, the reminders still to come and the timer move, the timeline records deadline_recalculated and the parties get a notice. ' +
  'Deadlines already met, missed or extended by hand do not move.';

export const calendarCalls = [
  call({
    method: 'get',
    path: '/v1/calendars',
    tag,
    operationId: 'getCalendars',
    summary: 'The bank holidays in force, with every version',
    roles: CALENDAR_ROLES.read,
    request: { query: NoQuerySchema },
    success: { status: 200, description: 'The calendar in force', schema: CalendarSchema },
    handle: async ({ caller }, calendars) => ({ body: await calendars.read(caller) }),
  }),
  call({
    method: 'put',
    path: '/v1/calendars',
    tag,
    operationId: 'replaceCalendars',
    summary: 'Import a whole bank-holidays.json document',
    description: `${MOVES} A document equal to the calendar in force changes nothing. An invalid document is refused with 422, naming each problem.`,
    roles: CALENDAR_ROLES.change,
    request: { query: NoQuerySchema, body: CalendarReplacementSchema },
    success: { status: 200, description: 'The new version, what changed and the deadlines it moves', schema: CalendarChangeSchema },
    problems: [422],
    handle: async ({ caller, body }, calendars) => ({ body: await calendars.replace(caller, body.holidays, body.reason) }),
  }),
  call({
    method: 'post',
    path: '/v1/calendars/{division}/holidays',
    tag,
    operationId: 'proclaimHoliday',
    summary: 'Add a bank holiday to one division (a proclamation)',
    description: `${MOVES} A date that is already a bank holiday in the division is refused with 409.`,
    roles: CALENDAR_ROLES.change,
    request: { params: DivisionParamsSchema, query: NoQuerySchema, body: ProclaimedHolidaySchema },
    success: { status: 201, description: 'The new version, what changed and the deadlines it moves', schema: CalendarChangeSchema },
    problems: [409],
    async handle({ caller, params, body }, calendars) {
      const { date, title, notes = '', bunting = true, reason } = body;
      return { body: await calendars.addHoliday(caller, params.division, { date, title, notes, bunting }, reason) };
    },
  }),
  call({
    method: 'delete',
    path: '/v1/calendars/{division}/holidays/{date}',
    tag,
    operationId: 'cancelHoliday',
    summary: 'Remove a bank holiday from one division (a cancellation)',
    description: `${MOVES} The reason is given in the query. A date that is not a bank holiday in the division answers 404.`,
    roles: CALENDAR_ROLES.change,
    request: { params: HolidayParamsSchema, query: CancellationQuerySchema },
    success: { status: 200, description: 'The new version, what changed and the deadlines it moves', schema: CalendarChangeSchema },
    problems: [404],
    handle: async ({ caller, params, query }, calendars) => ({ body: await calendars.removeHoliday(caller, params.division, params.date, query.reason) }),
  }),
];
