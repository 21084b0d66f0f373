import { expect } from 'chai';
import {
  addPeriod,
  bankHolidays,
  computeDeadline,
  isWorkingDay,
  rescheduleReminders,
  subtractPeriod,
} from '../../domain/calendar';
import { DEFAULT_POLICY, type CalendarName, type Period, type Policy } from '../../domain/policy';

const at = (iso: string): Date => new Date(iso);
const iso = (date: Date): string => date.toISOString();
const workingDays = (amount: number): Period => ({ amount, unit: 'working_days' });
const calendarDays = (amount: number): Period => ({ amount, unit: 'calendar_days' });
const dates = (days: { date: string }[]): string[] => days.map((day) => day.date);
const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
const policyWith = (changes: Partial<Policy>): Policy => ({ ...DEFAULT_POLICY, ...changes });

describe('calendar', () => {
  describe('bank holidays', () => {
    it('lists the public and bank holidays of England and Wales, not observances', () => {
      expect(bankHolidays('england-and-wales', 2026)).to.deep.equal([
        { date: '2026-01-01', name: "New Year's Day" },
        { date: '2026-04-03', name: 'Good Friday' },
        { date: '2026-04-06', name: 'Easter Monday' },
        { date: '2026-05-04', name: 'Early May bank holiday' },
        { date: '2026-05-25', name: 'Spring bank holiday' },
        { date: '2026-08-31', name: 'Summer bank holiday' },
        { date: '2026-12-25', name: 'Christmas Day' },
        { date: '2026-12-26', name: 'Boxing Day' },
        { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
      ]);
    });

    const expectations: { calendar: CalendarName; year: number; includes: string[]; excludes: string[] }[] = [
      { calendar: 'scotland', year: 2027, includes: ['2027-01-02', '2027-01-04', '2027-08-02', '2027-11-30'], excludes: ['2027-03-29', '2027-08-30'] },
      { calendar: 'northern-ireland', year: 2027, includes: ['2027-03-17', '2027-03-29', '2027-07-12'], excludes: ['2027-01-04'] },
      { calendar: 'northern-ireland', year: 2026, includes: ['2026-07-12', '2026-07-13'], excludes: [] },
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
        expect(isWorkingDay(date, calendar)).to.equal(working);
      });
    }

    it('refuses a string that is not a calendar date', () => {
      expect(() => isWorkingDay('2026-02-30', 'england-and-wales')).to.throw(RangeError);
    });
  });

  describe('adding a period of working days', () => {
    it('counts 20 working days from Thursday 10 December 2026 over Christmas in England and Wales', () => {
      const result = addPeriod(at('2026-12-10T14:30:00Z'), workingDays(20), 'england-and-wales');
      expect(iso(result.endsAt)).to.equal('2027-01-12T23:59:59.000Z');
      expect(result.skippedBankHolidays).to.deep.equal([
        { date: '2026-12-25', name: 'Christmas Day' },
        { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
        { date: '2027-01-01', name: "New Year's Day" },
      ]);
      expect(result.skippedWeekendDays).to.deep.equal([
        '2026-12-12', '2026-12-13', '2026-12-19', '2026-12-20', '2026-12-26', '2026-12-27',
        '2027-01-02', '2027-01-03', '2027-01-09', '2027-01-10',
      ]);
    });

    it('counts the same 20 working days one day later in Scotland, which also skips the 2 January substitute', () => {
      const result = addPeriod(at('2026-12-10T14:30:00Z'), workingDays(20), 'scotland');
      expect(iso(result.endsAt)).to.equal('2027-01-13T23:59:59.000Z');
      expect(dates(result.skippedBankHolidays)).to.deep.equal(['2026-12-25', '2026-12-28', '2027-01-01', '2027-01-04']);
      expect(result.skippedBankHolidays[3].name).to.equal('January 2nd (substitute day)');
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
        const result = addPeriod(at(start), workingDays(days), calendar);
        expect(iso(result.endsAt)).to.equal(endsAt);
        expect(dates(result.skippedBankHolidays)).to.deep.equal(skipped);
      });
    }

    it('records a bank holiday on a weekend as a skipped weekend day', () => {
      const result = addPeriod(at('2026-07-10T10:00:00Z'), workingDays(1), 'northern-ireland');
      expect(result.skippedWeekendDays).to.deep.equal(['2026-07-11', '2026-07-12']);
    });

    it('refuses negative or fractional day counts', () => {
      expect(() => addPeriod(at('2026-12-10T10:00:00Z'), workingDays(-1), 'england-and-wales')).to.throw(RangeError);
      expect(() => addPeriod(at('2026-12-10T10:00:00Z'), workingDays(1.5), 'england-and-wales')).to.throw(RangeError);
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
        const result = addPeriod(at(start), calendarDays(days), 'england-and-wales');
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
        const result = addPeriod(at('2026-03-28T12:00:00Z'), period, 'england-and-wales');
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
        expect(iso(subtractPeriod(at(due), period, 'england-and-wales'))).to.equal(expected);
      });
    }

    it('goes back working days of the deadline calendar', () => {
      expect(iso(subtractPeriod(at('2027-01-05T23:59:59Z'), workingDays(1), 'england-and-wales'))).to.equal('2027-01-04T09:00:00.000Z');
      expect(iso(subtractPeriod(at('2027-01-05T23:59:59Z'), workingDays(1), 'scotland'))).to.equal('2026-12-31T09:00:00.000Z');
    });
  });

  describe('computing a deadline', () => {
    const start = at('2026-12-10T14:30:00Z');

    it('reminds 5 and 1 working days before the deadline at 09:00 London', () => {
      const deadline = computeDeadline({ policy: DEFAULT_POLICY, policyVersion: 1, kind: 'managerResponse', start });
      expect(iso(deadline.dueAt)).to.equal('2027-01-12T23:59:59.000Z');
      expect(deadline.reminderAts.map(iso)).to.deep.equal(['2027-01-05T09:00:00.000Z', '2027-01-11T09:00:00.000Z']);
    });

    it('explains the deadline: policy version, start, period, calendar and the days skipped', () => {
      const deadline = computeDeadline({ policy: policyWith({ calendar: 'scotland' }), policyVersion: 3, kind: 'managerResponse', start });
      expect(deadline.explanation).to.deep.equal({
        policyVersion: 3,
        start: '2026-12-10T14:30:00.000Z',
        period: { amount: 20, unit: 'working_days' },
        calendar: 'scotland',
        skippedWeekendDays: [
          '2026-12-12', '2026-12-13', '2026-12-19', '2026-12-20', '2026-12-26', '2026-12-27',
          '2027-01-02', '2027-01-03', '2027-01-09', '2027-01-10',
        ],
        skippedBankHolidays: [
          { date: '2026-12-25', name: 'Christmas Day' },
          { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
          { date: '2027-01-01', name: "New Year's Day" },
          { date: '2027-01-04', name: 'January 2nd (substitute day)' },
        ],
        endsAt: '2027-01-13T23:59:59.000Z',
      });
      expect(iso(deadline.dueAt)).to.equal(deadline.explanation.endsAt);
    });

    it('uses the period of the deadline kind', () => {
      const policy = policyWith({ decisionWithin: { amount: 48, unit: 'hours' }, reminders: [] });
      const deadline = computeDeadline({ policy, policyVersion: 1, kind: 'decision', start });
      expect(iso(deadline.dueAt)).to.equal('2026-12-12T14:30:00.000Z');
      expect(deadline.explanation.period).to.deep.equal({ amount: 48, unit: 'hours' });
    });

    it('drops reminders that would fall before the start', () => {
      const policy = policyWith({ managerResponse: workingDays(2) });
      const deadline = computeDeadline({ policy, policyVersion: 1, kind: 'managerResponse', start: at('2027-01-08T10:00:00Z') });
      expect(iso(deadline.dueAt)).to.equal('2027-01-12T23:59:59.000Z');
      expect(deadline.reminderAts.map(iso)).to.deep.equal(['2027-01-11T09:00:00.000Z']);
    });

    it('drops a reminder earlier on the start day than the start itself', () => {
      const policy = policyWith({ managerResponse: workingDays(1) });
      const deadline = computeDeadline({ policy, policyVersion: 1, kind: 'managerResponse', start: at('2027-01-11T10:00:00Z') });
      expect(deadline.reminderAts).to.deep.equal([]);
    });

    it('drops reminders that would not come before the deadline', () => {
      const policy = policyWith({ reminders: [{ amount: 0, unit: 'seconds' }, workingDays(1)] });
      const deadline = computeDeadline({ policy, policyVersion: 1, kind: 'managerResponse', start });
      expect(deadline.reminderAts.map(iso)).to.deep.equal(['2027-01-11T09:00:00.000Z']);
    });

    it('sends reminders in time order, once per instant', () => {
      const policy = policyWith({ reminders: [workingDays(1), workingDays(5), calendarDays(1), { amount: 1, unit: 'hours' }] });
      const deadline = computeDeadline({ policy, policyVersion: 1, kind: 'managerResponse', start });
      expect(deadline.reminderAts.map(iso)).to.deep.equal([
        '2027-01-05T09:00:00.000Z',
        '2027-01-11T09:00:00.000Z',
        '2027-01-12T22:59:59.000Z',
      ]);
    });
  });

  describe('rescheduling reminders for an extended deadline', () => {
    it('keeps only the reminders still to come', () => {
      const reminders = rescheduleReminders({ policy: DEFAULT_POLICY, dueAt: at('2027-01-19T23:59:59Z'), now: at('2027-01-13T12:00:00Z') });
      expect(reminders.map(iso)).to.deep.equal(['2027-01-18T09:00:00.000Z']);
    });

    it('moves every reminder when the extension leaves time for all of them', () => {
      const reminders = rescheduleReminders({ policy: DEFAULT_POLICY, dueAt: at('2027-01-19T23:59:59Z'), now: at('2027-01-11T12:00:00Z') });
      expect(reminders.map(iso)).to.deep.equal(['2027-01-12T09:00:00.000Z', '2027-01-18T09:00:00.000Z']);
    });
  });
});
