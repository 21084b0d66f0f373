import { expect } from 'chai';
import { readSnapshot } from '../../db/calendars';
import { BankHolidayCalendar } from '../../domain/bank-holidays';
import {
  addPeriod,
  computeDeadline,
  isWorkingDay,
  COUNTING,
  recalculateDeadline,
  rescheduleReminders,
  subtractPeriod,
  type WorkingCalendar,
} from '../../domain/calendar';
import { DEFAULT_POLICY, type CalendarName, type Period, type Policy } from '../../domain/policy';

/** The snapshot shipped with the engine, as version 1 of the calendar. */
const holidays = new BankHolidayCalendar(1, readSnapshot());
const on = (division: CalendarName): WorkingCalendar => ({ division, holidays });
const bankHolidays = (division: CalendarName, year: number) => holidays.holidaysIn(division, year).map(({ date, title }) => ({ date, name: title }));

const at = (iso: string): Date => new Date(iso);
const iso = (date: Date): string => date.toISOString();
const workingDays = (amount: number): Period => ({ amount, unit: 'working_days' });
const calendarDays = (amount: number): Period => ({ amount, unit: 'calendar_days' });
const dates = (days: { date: string }[]): string[] => days.map((day) => day.date);
const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
const policyWith = (changes: Partial<Policy>): Policy => ({ ...DEFAULT_POLICY, ...changes });

describe('calendar', () => {
  describe('bank holidays', () => {
    it('lists the bank holidays of England and Wales, a substitute day in place of the weekend day it replaces', () => {
      expect(bankHolidays('england-and-wales', 2026)).to.deep.equal([
        { date: '2026-01-01', name: 'New Year’s Day' },
        { date: '2026-04-03', name: 'Good Friday' },
        { date: '2026-04-06', name: 'Easter Monday' },
        { date: '2026-05-04', name: 'Early May bank holiday' },
        { date: '2026-05-25', name: 'Spring bank holiday' },
        { date: '2026-08-31', name: 'Summer bank holiday' },
        { date: '2026-12-25', name: 'Christmas Day' },
        { date: '2026-12-28', name: 'Boxing Day' },
      ]);
    });

    const expectations: { calendar: CalendarName; year: number; includes: string[]; excludes: string[] }[] = [
      { calendar: 'scotland', year: 2027, includes: ['2027-01-04', '2027-08-02', '2027-11-30'], excludes: ['2027-01-02', '2027-03-29', '2027-08-30'] },
      { calendar: 'northern-ireland', year: 2027, includes: ['2027-03-17', '2027-03-29', '2027-07-12'], excludes: ['2027-01-04'] },
      { calendar: 'northern-ireland', year: 2026, includes: ['2026-07-13'], excludes: ['2026-07-12'] },
      { calendar: 'england-and-wales', year: 2027, includes: ['2027-12-27', '2027-12-28'], excludes: ['2027-03-07', '2027-03-17', '2027-07-12'] },
    ];
    for (const { calendar, year, includes, excludes } of expectations) {
      it(`knows ${calendar}'s own holidays in ${year}`, () => {
        const holidays = dates(bankHolidays(calendar, year));
        expect(holidays).to.include.members(includes);
        for (const date of excludes) expect(holidays).not.to.include(date);
      });
    }

    const days: [string, CalendarName, boolean][] = [
      ['2026-12-10', 'england-and-wales', true],
      ['2026-12-12', 'england-and-wales', false],
      ['2026-12-13', 'england-and-wales', false],
      ['2026-12-25', 'england-and-wales', false],
      ['2027-01-04', 'england-and-wales', true],
      ['2027-01-04', 'scotland', false],
      ['2026-04-06', 'scotland', true],
      ['2027-03-17', 'northern-ireland', false],
      ['2027-03-17', 'england-and-wales', true],
    ];
    for (const [date, calendar, working] of days) {
      it(`${date} is ${working ? 'a working day' : 'not a working day'} in ${calendar}`, () => {
        expect(isWorkingDay(date, on(calendar))).to.equal(working);
      });
    }

    it('refuses a string that is not a calendar date', () => {
      expect(() => isWorkingDay('2026-02-30', on('england-and-wales'))).to.throw(RangeError);
    });
  });

  describe('adding a period of working days', () => {
    it('counts 20 working days from Thursday 10 December 2026 over Christmas in England and Wales', () => {
      const result = addPeriod(at('2026-12-10T14:30:00Z'), workingDays(20), on('england-and-wales'));
      expect(iso(result.endsAt)).to.equal('2027-01-12T23:59:59.000Z');
      expect(result.skippedBankHolidays).to.deep.equal([
        { date: '2026-12-25', name: 'Christmas Day' },
        { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
        { date: '2027-01-01', name: 'New Year’s Day' },
      ]);
      expect(result.skippedWeekendDays).to.deep.equal([
        '2026-12-12', '2026-12-13', '2026-12-19', '2026-12-20', '2026-12-26', '2026-12-27',
        '2027-01-02', '2027-01-03', '2027-01-09', '2027-01-10',
      ]);
    });

    it('counts the same 20 working days one day later in Scotland, which also skips the 2 January substitute', () => {
      const result = addPeriod(at('2026-12-10T14:30:00Z'), workingDays(20), on('scotland'));
      expect(iso(result.endsAt)).to.equal('2027-01-13T23:59:59.000Z');
      expect(dates(result.skippedBankHolidays)).to.deep.equal(['2026-12-25', '2026-12-28', '2027-01-01', '2027-01-04']);
      expect(result.skippedBankHolidays[3].name).to.equal('2nd January (substitute day)');
    });

    // In British Summer Time 23:59:59 London is 22:59:59Z.
    const cases: { title: string; calendar: CalendarName; start: string; days: number; endsAt: string; bankHolidays: string[] }[] = [
      { title: 'over the spring bank holiday', calendar: 'england-and-wales', start: '2026-05-22T10:00:00Z', days: 3, endsAt: '2026-05-28T22:59:59.000Z', bankHolidays: ['2026-05-25'] },
      { title: 'over the early May bank holiday', calendar: 'scotland', start: '2026-05-01T10:00:00Z', days: 1, endsAt: '2026-05-05T22:59:59.000Z', bankHolidays: ['2026-05-04'] },
      { title: 'over the late August summer bank holiday', calendar: 'england-and-wales', start: '2026-08-28T10:00:00Z', days: 1, endsAt: '2026-09-01T22:59:59.000Z', bankHolidays: ['2026-08-31'] },
      { title: 'through late August in Scotland, which has no holiday then', calendar: 'scotland', start: '2026-08-28T10:00:00Z', days: 1, endsAt: '2026-08-31T22:59:59.000Z', bankHolidays: [] },
      { title: "over Scotland's early August summer bank holiday", calendar: 'scotland', start: '2026-07-31T10:00:00Z', days: 1, endsAt: '2026-08-04T22:59:59.000Z', bankHolidays: ['2026-08-03'] },
      { title: 'over Good Friday and Easter Monday', calendar: 'england-and-wales', start: '2026-04-02T10:00:00Z', days: 1, endsAt: '2026-04-07T22:59:59.000Z', bankHolidays: ['2026-04-03', '2026-04-06'] },
      { title: 'over Good Friday only in Scotland', calendar: 'scotland', start: '2026-04-02T10:00:00Z', days: 1, endsAt: '2026-04-06T22:59:59.000Z', bankHolidays: ['2026-04-03'] },
      { title: "over St Patrick's Day in Northern Ireland", calendar: 'northern-ireland', start: '2027-03-16T10:00:00Z', days: 1, endsAt: '2027-03-18T23:59:59.000Z', bankHolidays: ['2027-03-17'] },
      { title: "through St Patrick's Day in England", calendar: 'england-and-wales', start: '2027-03-16T10:00:00Z', days: 1, endsAt: '2027-03-17T23:59:59.000Z', bankHolidays: [] },
      { title: 'over 12 July in Northern Ireland', calendar: 'northern-ireland', start: '2027-07-09T10:00:00Z', days: 1, endsAt: '2027-07-13T22:59:59.000Z', bankHolidays: ['2027-07-12'] },
      { title: 'over the Monday substitute for a Sunday 12 July', calendar: 'northern-ireland', start: '2026-07-10T10:00:00Z', days: 1, endsAt: '2026-07-14T22:59:59.000Z', bankHolidays: ['2026-07-13'] },
      { title: 'from GMT into BST', calendar: 'england-and-wales', start: '2026-03-23T10:00:00Z', days: 5, endsAt: '2026-03-30T22:59:59.000Z', bankHolidays: [] },
      { title: 'from BST into GMT', calendar: 'england-and-wales', start: '2026-10-22T10:00:00Z', days: 2, endsAt: '2026-10-26T23:59:59.000Z', bankHolidays: [] },
      { title: 'from a start just after midnight BST, on the London date', calendar: 'england-and-wales', start: '2026-06-01T23:30:00Z', days: 1, endsAt: '2026-06-03T22:59:59.000Z', bankHolidays: [] },
      { title: 'to the end of the start day', calendar: 'england-and-wales', start: '2026-12-10T14:30:00Z', days: 0, endsAt: '2026-12-10T23:59:59.000Z', bankHolidays: [] },
    ];
    for (const { title, calendar, start, days, endsAt, bankHolidays: skipped } of cases) {
      it(`counts ${plural(days, 'working day')} ${title}`, () => {
        const result = addPeriod(at(start), workingDays(days), on(calendar));
        expect(iso(result.endsAt)).to.equal(endsAt);
        expect(dates(result.skippedBankHolidays)).to.deep.equal(skipped);
      });
    }

    it('records a bank holiday on a weekend as a skipped weekend day', () => {
      const result = addPeriod(at('2026-07-10T10:00:00Z'), workingDays(1), on('northern-ireland'));
      expect(result.skippedWeekendDays).to.deep.equal(['2026-07-11', '2026-07-12']);
    });

    it('refuses negative or fractional day counts', () => {
      expect(() => addPeriod(at('2026-12-10T10:00:00Z'), workingDays(-1), on('england-and-wales'))).to.throw(RangeError);
      expect(() => addPeriod(at('2026-12-10T10:00:00Z'), workingDays(1.5), on('england-and-wales'))).to.throw(RangeError);
    });
  });

  describe('adding a period of calendar days', () => {
    const cases: { start: string; days: number; endsAt: string }[] = [
      { start: '2026-12-10T14:30:00Z', days: 20, endsAt: '2026-12-30T23:59:59.000Z' },
      { start: '2026-03-20T12:00:00Z', days: 10, endsAt: '2026-03-30T22:59:59.000Z' },
      { start: '2026-12-24T23:30:00Z', days: 1, endsAt: '2026-12-25T23:59:59.000Z' },
      { start: '2026-12-10T14:30:00Z', days: 0, endsAt: '2026-12-10T23:59:59.000Z' },
    ];
    for (const { start, days, endsAt } of cases) {
      it(`${plural(days, 'calendar day')} from ${start} end at ${endsAt}, weekends and holidays included`, () => {
        const result = addPeriod(at(start), calendarDays(days), on('england-and-wales'));
        expect(iso(result.endsAt)).to.equal(endsAt);
        expect(result.skippedWeekendDays).to.deep.equal([]);
        expect(result.skippedBankHolidays).to.deep.equal([]);
      });
    }
  });

  describe('adding a period shorter than a day', () => {
    // 28 March 2026 12:00 GMT: the clocks go forward overnight, and the duration stays exact.
    const cases: { period: Period; endsAt: string }[] = [
      { period: { amount: 24, unit: 'hours' }, endsAt: '2026-03-29T12:00:00.000Z' },
      { period: { amount: 90, unit: 'minutes' }, endsAt: '2026-03-28T13:30:00.000Z' },
      { period: { amount: 45, unit: 'seconds' }, endsAt: '2026-03-28T12:00:45.000Z' },
      { period: { amount: 0, unit: 'seconds' }, endsAt: '2026-03-28T12:00:00.000Z' },
    ];
    for (const { period, endsAt } of cases) {
      it(`adds exactly ${period.amount} ${period.unit}, skipping nothing`, () => {
        const result = addPeriod(at('2026-03-28T12:00:00Z'), period, on('england-and-wales'));
        expect(iso(result.endsAt)).to.equal(endsAt);
        expect(result.skippedWeekendDays).to.deep.equal([]);
        expect(result.skippedBankHolidays).to.deep.equal([]);
      });
    }
  });

  describe('going back from a due instant', () => {
    const cases: { title: string; due: string; period: Period; expected: string }[] = [
      { title: '5 working days, at 09:00 GMT', due: '2027-01-12T23:59:59Z', period: workingDays(5), expected: '2027-01-05T09:00:00.000Z' },
      { title: '1 working day, over a weekend', due: '2027-01-11T23:59:59Z', period: workingDays(1), expected: '2027-01-08T09:00:00.000Z' },
      { title: '1 working day, over a weekend and a bank holiday, at 09:00 BST', due: '2026-05-26T22:59:59Z', period: workingDays(1), expected: '2026-05-22T08:00:00.000Z' },
      { title: '5 working days over a bank holiday', due: '2026-05-26T22:59:59Z', period: workingDays(5), expected: '2026-05-18T08:00:00.000Z' },
      { title: '3 calendar days, landing on a Saturday', due: '2027-01-12T23:59:59Z', period: calendarDays(3), expected: '2027-01-09T09:00:00.000Z' },
      { title: '2 hours, exactly', due: '2027-01-12T23:59:59Z', period: { amount: 2, unit: 'hours' }, expected: '2027-01-12T21:59:59.000Z' },
      { title: '30 minutes, exactly', due: '2027-01-12T23:59:59Z', period: { amount: 30, unit: 'minutes' }, expected: '2027-01-12T23:29:59.000Z' },
      { title: '10 seconds, exactly', due: '2027-01-12T23:59:59Z', period: { amount: 10, unit: 'seconds' }, expected: '2027-01-12T23:59:49.000Z' },
    ];
    for (const { title, due, period, expected } of cases) {
      it(`goes back ${title}`, () => {
        expect(iso(subtractPeriod(at(due), period, on('england-and-wales')))).to.equal(expected);
      });
    }

    it('goes back working days of the deadline calendar', () => {
      expect(iso(subtractPeriod(at('2027-01-05T23:59:59Z'), workingDays(1), on('england-and-wales')))).to.equal('2027-01-04T09:00:00.000Z');
      expect(iso(subtractPeriod(at('2027-01-05T23:59:59Z'), workingDays(1), on('scotland')))).to.equal('2026-12-31T09:00:00.000Z');
    });
  });

  describe('computing a deadline', () => {
    const start = at('2026-12-10T14:30:00Z');

    it('reminds 5 and 1 working days before the deadline at 09:00 London', () => {
      const deadline = computeDeadline({ policy: DEFAULT_POLICY, policyVersion: 1, kind: 'managerResponse', start, holidays });
      expect(iso(deadline.dueAt)).to.equal('2027-01-12T23:59:59.000Z');
      expect(deadline.reminderAts.map(iso)).to.deep.equal(['2027-01-05T09:00:00.000Z', '2027-01-11T09:00:00.000Z']);
    });

    it('explains the deadline: policy version, start, period, calendar and the days skipped', () => {
      const deadline = computeDeadline({ policy: policyWith({ calendar: 'scotland' }), policyVersion: 3, kind: 'managerResponse', start, holidays });
      expect(deadline.explanation).to.deep.equal({
        policyVersion: 3,
        start: '2026-12-10T14:30:00.000Z',
        period: { amount: 20, unit: 'working_days' },
        calendar: 'scotland',
        calendarVersion: 1,
        provisional: false,
        counting: COUNTING.working_days,
        skippedWeekendDays: [
          '2026-12-12', '2026-12-13', '2026-12-19', '2026-12-20', '2026-12-26', '2026-12-27',
          '2027-01-02', '2027-01-03', '2027-01-09', '2027-01-10',
        ],
        skippedBankHolidays: [
          { date: '2026-12-25', name: 'Christmas Day' },
          { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
          { date: '2027-01-01', name: 'New Year’s Day' },
          { date: '2027-01-04', name: '2nd January (substitute day)' },
        ],
        endsAt: '2027-01-13T23:59:59.000Z',
      });
      expect(iso(deadline.dueAt)).to.equal(deadline.explanation.endsAt);
    });

    it('uses the period of the deadline kind', () => {
      const policy = policyWith({ decisionWithin: { amount: 48, unit: 'hours' }, reminders: [] });
      const deadline = computeDeadline({ policy, policyVersion: 1, kind: 'decision', start, holidays });
      expect(iso(deadline.dueAt)).to.equal('2026-12-12T14:30:00.000Z');
      expect(deadline.explanation.period).to.deep.equal({ amount: 48, unit: 'hours' });
    });

    it('drops reminders that would fall before the start', () => {
      const policy = policyWith({ managerResponse: workingDays(2) });
      const deadline = computeDeadline({ policy, policyVersion: 1, kind: 'managerResponse', start: at('2027-01-08T10:00:00Z'), holidays });
      expect(iso(deadline.dueAt)).to.equal('2027-01-12T23:59:59.000Z');
      expect(deadline.reminderAts.map(iso)).to.deep.equal(['2027-01-11T09:00:00.000Z']);
    });

    it('drops a reminder earlier on the start day than the start itself', () => {
      const policy = policyWith({ managerResponse: workingDays(1) });
      const deadline = computeDeadline({ policy, policyVersion: 1, kind: 'managerResponse', start: at('2027-01-11T10:00:00Z'), holidays });
      expect(deadline.reminderAts).to.deep.equal([]);
    });

    it('drops reminders that would not come before the deadline', () => {
      const policy = policyWith({ reminders: [{ amount: 0, unit: 'seconds' }, workingDays(1)] });
      const deadline = computeDeadline({ policy, policyVersion: 1, kind: 'managerResponse', start, holidays });
      expect(deadline.reminderAts.map(iso)).to.deep.equal(['2027-01-11T09:00:00.000Z']);
    });

    it('sends reminders in time order, once per instant', () => {
      const policy = policyWith({ reminders: [workingDays(1), workingDays(5), calendarDays(1), { amount: 1, unit: 'hours' }] });
      const deadline = computeDeadline({ policy, policyVersion: 1, kind: 'managerResponse', start, holidays });
      expect(deadline.reminderAts.map(iso)).to.deep.equal([
        '2027-01-05T09:00:00.000Z',
        '2027-01-11T09:00:00.000Z',
        '2027-01-12T22:59:59.000Z',
      ]);
    });
  });

  describe('rescheduling reminders for an extended deadline', () => {
    it('keeps only the reminders still to come', () => {
      const reminders = rescheduleReminders({ policy: DEFAULT_POLICY, dueAt: at('2027-01-19T23:59:59Z'), now: at('2027-01-13T12:00:00Z'), holidays });
      expect(reminders.map(iso)).to.deep.equal(['2027-01-18T09:00:00.000Z']);
    });

    it('moves every reminder when the extension leaves time for all of them', () => {
      const reminders = rescheduleReminders({ policy: DEFAULT_POLICY, dueAt: at('2027-01-19T23:59:59Z'), now: at('2027-01-11T12:00:00Z'), holidays });
      expect(reminders.map(iso)).to.deep.equal(['2027-01-12T09:00:00.000Z', '2027-01-18T09:00:00.000Z']);
    });
  });

  describe('a proclaimed bank holiday: Scotland, Monday 15 June 2026', () => {
    const snapshot = readSnapshot();
    const withoutIt = new BankHolidayCalendar(1, { ...snapshot, scotland: { division: 'scotland', events: snapshot.scotland.events.filter((e) => e.date !== '2026-06-15') } });
    const withIt = new BankHolidayCalendar(2, snapshot);
    const scottish = policyWith({ calendar: 'scotland' });
    const start = at('2026-06-01T10:00:00Z');
    const before = computeDeadline({ policy: scottish, policyVersion: 1, kind: 'managerResponse', start, holidays: withoutIt });
    const running = (deadline = before) => ({
      kind: 'managerResponse' as const,
      dueAt: iso(deadline.dueAt),
      state: 'running' as const,
      reminderAts: deadline.reminderAts.map(iso),
      explanation: deadline.explanation,
      extensions: [],
    });

    it('counts 20 working days to Monday 29 June without it, and to Tuesday 30 June with it', () => {
      expect(iso(before.dueAt)).to.equal('2026-06-29T22:59:59.000Z');
      const after = computeDeadline({ policy: scottish, policyVersion: 1, kind: 'managerResponse', start, holidays: withIt });
      expect(iso(after.dueAt)).to.equal('2026-06-30T22:59:59.000Z');
      expect(after.explanation.skippedBankHolidays).to.deep.equal([{ date: '2026-06-15', name: 'World Cup bank holiday' }]);
      expect(after.explanation.calendarVersion).to.equal(2);
    });

    it('leaves an English deadline over the same days where it was', () => {
      const english = computeDeadline({ policy: DEFAULT_POLICY, policyVersion: 1, kind: 'managerResponse', start, holidays: withIt });
      expect(iso(english.dueAt)).to.equal('2026-06-29T22:59:59.000Z');
    });

    it('moves a running deadline by one working day, with the reminders still to come, and names the holiday', () => {
      const now = at('2026-06-10T12:00:00Z');
      const moved = recalculateDeadline({ deadline: running(), policy: scottish, holidays: withIt, now });
      expect(moved && iso(moved.previousDueAt)).to.equal('2026-06-29T22:59:59.000Z');
      expect(moved && iso(moved.dueAt)).to.equal('2026-06-30T22:59:59.000Z');
      expect(moved?.reminderAts.map(iso)).to.deep.equal(['2026-06-23T08:00:00.000Z', '2026-06-29T08:00:00.000Z']);
      expect(moved?.holidaysAdded).to.deep.equal([{ date: '2026-06-15', name: 'World Cup bank holiday' }]);
      expect(moved?.holidaysRemoved).to.deep.equal([]);
    });

    it('moves it back when the holiday is removed again', () => {
      const now = at('2026-06-10T12:00:00Z');
      const moved = recalculateDeadline({ deadline: running(), policy: scottish, holidays: withIt, now });
      if (!moved) throw new Error('expected the deadline to move');
      const back = recalculateDeadline({ deadline: running(moved), policy: scottish, holidays: withoutIt, now });
      expect(back && iso(back.dueAt)).to.equal('2026-06-29T22:59:59.000Z');
      expect(back?.holidaysRemoved.map((h) => h.date)).to.deep.equal(['2026-06-15']);
    });

    it('does not move a deadline that does not span the date, nor one ended, extended or already due', () => {
      const now = at('2026-06-10T12:00:00Z');
      const later = computeDeadline({ policy: scottish, policyVersion: 1, kind: 'managerResponse', start: at('2026-06-16T10:00:00Z'), holidays: withoutIt });
      expect(recalculateDeadline({ deadline: running(later), policy: scottish, holidays: withIt, now })).to.equal(undefined);
      expect(recalculateDeadline({ deadline: { ...running(), state: 'met' }, policy: scottish, holidays: withIt, now })).to.equal(undefined);
      const extension = { from: iso(before.dueAt), until: '2026-07-03T22:59:59.000Z', reason: 'asked', by: 'cw-1', at: '2026-06-05T10:00:00.000Z' };
      expect(recalculateDeadline({ deadline: { ...running(), extensions: [extension] }, policy: scottish, holidays: withIt, now })).to.equal(undefined);
      expect(recalculateDeadline({ deadline: running(), policy: scottish, holidays: withIt, now: at('2026-06-30T00:00:00Z') })).to.equal(undefined);
    });
  });

  describe('beyond the years the data covers', () => {
    it('counts on the standard rules and marks the deadline provisional', () => {
      const deadline = computeDeadline({ policy: DEFAULT_POLICY, policyVersion: 1, kind: 'managerResponse', start: at('2028-12-15T10:00:00Z'), holidays });
      expect(deadline.explanation.provisional).to.equal(true);
      expect(deadline.explanation.skippedBankHolidays.map((h) => h.date)).to.deep.equal(['2028-12-25', '2028-12-26', '2029-01-01']);
      expect(iso(deadline.dueAt)).to.equal('2029-01-17T23:59:59.000Z');
    });

    it('is not provisional while every day counted is covered', () => {
      const deadline = computeDeadline({ policy: DEFAULT_POLICY, policyVersion: 1, kind: 'managerResponse', start: at('2028-11-01T10:00:00Z'), holidays });
      expect(deadline.explanation.provisional).to.equal(false);
    });
  });

  it('says how the days are counted in every explanation', () => {
    const deadline = computeDeadline({ policy: DEFAULT_POLICY, policyVersion: 1, kind: 'managerResponse', start: at('2026-12-10T14:30:00Z'), holidays });
    expect(deadline.explanation.counting).to.match(/day after the period starts/).and.match(/23:59:59 UK time/).and.match(/Freedom of Information Act 2000/);
  });
});
