import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  BankHolidayCalendar,
  diffBankHolidays,
  parseBankHolidays,
  standardBankHolidays,
  type BankHolidayEvent,
  type BankHolidaysDocument,
} from '../../domain/bank-holidays';
import { CALENDARS, type CalendarName } from '../../domain/policy';

// The project runs as CommonJS under tsx, so the snapshot is found from __dirname, not import.meta.url.
const SNAPSHOT_PATH = path.join(__dirname, '..', '..', 'data', 'bank-holidays.json');
const readSnapshot = (): any => JSON.parse(fs.readFileSync(SNAPSHOT_PATH, 'utf8'));

function snapshotDocument(): BankHolidaysDocument {
  const parsed = parseBankHolidays(readSnapshot());
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.document;
}

const NEW_YEAR = 'New Year’s Day';
const SECOND_JANUARY = '2nd January';
const GOOD_FRIDAY = 'Good Friday';
const EASTER_MONDAY = 'Easter Monday';
const EARLY_MAY = 'Early May bank holiday';
const SPRING = 'Spring bank holiday';
const SUMMER = 'Summer bank holiday';
const ST_ANDREW = 'St Andrew’s Day';
const ST_PATRICK = 'St Patrick’s Day';
const BOYNE = 'Battle of the Boyne (Orangemen’s Day)';
const CHRISTMAS = 'Christmas Day';
const BOXING_DAY = 'Boxing Day';
const WORLD_CUP = 'World Cup bank holiday';

const SNAPSHOT: Record<CalendarName, [date: string, title: string][]> = {
  'england-and-wales': [
    ['2025-01-01', NEW_YEAR], ['2025-04-18', GOOD_FRIDAY], ['2025-04-21', EASTER_MONDAY], ['2025-05-05', EARLY_MAY],
    ['2025-05-26', SPRING], ['2025-08-25', SUMMER], ['2025-12-25', CHRISTMAS], ['2025-12-26', BOXING_DAY],
    ['2026-01-01', NEW_YEAR], ['2026-04-03', GOOD_FRIDAY], ['2026-04-06', EASTER_MONDAY], ['2026-05-04', EARLY_MAY],
    ['2026-05-25', SPRING], ['2026-08-31', SUMMER], ['2026-12-25', CHRISTMAS], ['2026-12-28', BOXING_DAY],
    ['2027-01-01', NEW_YEAR], ['2027-03-26', GOOD_FRIDAY], ['2027-03-29', EASTER_MONDAY], ['2027-05-03', EARLY_MAY],
    ['2027-05-31', SPRING], ['2027-08-30', SUMMER], ['2027-12-27', CHRISTMAS], ['2027-12-28', BOXING_DAY],
    ['2028-01-03', NEW_YEAR], ['2028-04-14', GOOD_FRIDAY], ['2028-04-17', EASTER_MONDAY], ['2028-05-01', EARLY_MAY],
    ['2028-05-29', SPRING], ['2028-08-28', SUMMER], ['2028-12-25', CHRISTMAS], ['2028-12-26', BOXING_DAY],
  ],
  scotland: [
    ['2025-01-01', NEW_YEAR], ['2025-01-02', SECOND_JANUARY], ['2025-04-18', GOOD_FRIDAY], ['2025-05-05', EARLY_MAY],
    ['2025-05-26', SPRING], ['2025-08-04', SUMMER], ['2025-12-01', ST_ANDREW], ['2025-12-25', CHRISTMAS],
    ['2025-12-26', BOXING_DAY],
    ['2026-01-01', NEW_YEAR], ['2026-01-02', SECOND_JANUARY], ['2026-04-03', GOOD_FRIDAY], ['2026-05-04', EARLY_MAY],
    ['2026-05-25', SPRING], ['2026-06-15', WORLD_CUP], ['2026-08-03', SUMMER], ['2026-11-30', ST_ANDREW],
    ['2026-12-25', CHRISTMAS], ['2026-12-28', BOXING_DAY],
    ['2027-01-01', NEW_YEAR], ['2027-01-04', SECOND_JANUARY], ['2027-03-26', GOOD_FRIDAY], ['2027-05-03', EARLY_MAY],
    ['2027-05-31', SPRING], ['2027-08-02', SUMMER], ['2027-11-30', ST_ANDREW], ['2027-12-27', CHRISTMAS],
    ['2027-12-28', BOXING_DAY],
    ['2028-01-03', NEW_YEAR], ['2028-01-04', SECOND_JANUARY], ['2028-04-14', GOOD_FRIDAY], ['2028-05-01', EARLY_MAY],
    ['2028-05-29', SPRING], ['2028-08-07', SUMMER], ['2028-11-30', ST_ANDREW], ['2028-12-25', CHRISTMAS],
    ['2028-12-26', BOXING_DAY],
  ],
  'northern-ireland': [
    ['2025-01-01', NEW_YEAR], ['2025-03-17', ST_PATRICK], ['2025-04-18', GOOD_FRIDAY], ['2025-04-21', EASTER_MONDAY],
    ['2025-05-05', EARLY_MAY], ['2025-05-26', SPRING], ['2025-07-14', BOYNE], ['2025-08-25', SUMMER],
    ['2025-12-25', CHRISTMAS], ['2025-12-26', BOXING_DAY],
    ['2026-01-01', NEW_YEAR], ['2026-03-17', ST_PATRICK], ['2026-04-03', GOOD_FRIDAY], ['2026-04-06', EASTER_MONDAY],
    ['2026-05-04', EARLY_MAY], ['2026-05-25', SPRING], ['2026-07-13', BOYNE], ['2026-08-31', SUMMER],
    ['2026-12-25', CHRISTMAS], ['2026-12-28', BOXING_DAY],
    ['2027-01-01', NEW_YEAR], ['2027-03-17', ST_PATRICK], ['2027-03-26', GOOD_FRIDAY], ['2027-03-29', EASTER_MONDAY],
    ['2027-05-03', EARLY_MAY], ['2027-05-31', SPRING], ['2027-07-12', BOYNE], ['2027-08-30', SUMMER],
    ['2027-12-27', CHRISTMAS], ['2027-12-28', BOXING_DAY],
    ['2028-01-03', NEW_YEAR], ['2028-03-17', ST_PATRICK], ['2028-04-14', GOOD_FRIDAY], ['2028-04-17', EASTER_MONDAY],
    ['2028-05-01', EARLY_MAY], ['2028-05-29', SPRING], ['2028-07-12', BOYNE], ['2028-08-28', SUMMER],
    ['2028-12-25', CHRISTMAS], ['2028-12-26', BOXING_DAY],
  ],
};

const SUBSTITUTE_DAYS: Record<CalendarName, string[]> = {
  'england-and-wales': ['2026-12-28', '2027-12-27', '2027-12-28', '2028-01-03'],
  scotland: ['2025-12-01', '2026-12-28', '2027-01-04', '2027-12-27', '2027-12-28', '2028-01-03', '2028-01-04'],
  'northern-ireland': ['2025-07-14', '2026-07-13', '2026-12-28', '2027-12-27', '2027-12-28', '2028-01-03'],
};

const WORLD_CUP_DAY = '2026-06-15';
const datesAndTitles = (events: { date: string; title: string }[]): [string, string][] =>
  events.map(({ date, title }) => [date, title]);
const ofYear = (events: BankHolidayEvent[], year: number): BankHolidayEvent[] =>
  events.filter((event) => event.date.startsWith(`${year}-`));
const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function withoutWorldCup(document: BankHolidaysDocument): BankHolidaysDocument {
  const events = document.scotland.events.filter((event) => event.date !== WORLD_CUP_DAY);
  return { ...document, scotland: { division: 'scotland', events } };
}

describe('bank holidays', () => {
  describe('the GOV.UK snapshot', () => {
    for (const division of CALENDARS) {
      it(`lists every ${division} bank holiday of 2025 to 2028`, () => {
        expect(datesAndTitles(readSnapshot()[division].events)).to.deep.equal(SNAPSHOT[division]);
      });

      it(`notes the ${division} substitute days, and hangs no bunting for Good Friday or the Boyne`, () => {
        const events: BankHolidayEvent[] = readSnapshot()[division].events;
        const substitutes = events.filter((event) => event.notes === 'Substitute day').map((event) => event.date);
        expect(substitutes).to.deep.equal(SUBSTITUTE_DAYS[division]);
        expect(events.filter((event) => event.notes !== 'Substitute day').every((event) => event.notes === '')).to.equal(true);
        for (const event of events) expect(event.bunting, event.date).to.equal(![GOOD_FRIDAY, BOYNE].includes(event.title));
      });
    }

    it('falls on weekdays only', () => {
      const days = CALENDARS.flatMap((division) => readSnapshot()[division].events.map((event: any) => event.date));
      expect(days.filter((date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()))).to.deep.equal([]);
    });

    it('passes parseBankHolidays unchanged', () => {
      const parsed = parseBankHolidays(readSnapshot());
      expect(parsed).to.deep.equal({ ok: true, document: readSnapshot() });
    });
  });

  describe('the standard rules', () => {
    for (const division of CALENDARS) {
      it(`give the ${division} snapshot for 2025 to 2028, one-off proclamations aside`, () => {
        const snapshot = withoutWorldCup(snapshotDocument())[division].events;
        for (const year of [2025, 2026, 2027, 2028]) {
          expect(standardBankHolidays(division, year), String(year)).to.deep.equal(ofYear(snapshot, year));
        }
      });
    }

    const known: { division: CalendarName; year: number; date: string; title: string; substitute: boolean; why: string }[] = [
      { division: 'scotland', year: 2022, date: '2022-01-03', title: NEW_YEAR, substitute: true, why: '1 January on a Saturday' },
      { division: 'scotland', year: 2022, date: '2022-01-04', title: SECOND_JANUARY, substitute: true, why: '2 January on a Sunday' },
      { division: 'scotland', year: 2023, date: '2023-01-02', title: NEW_YEAR, substitute: true, why: '1 January on a Sunday' },
      { division: 'scotland', year: 2023, date: '2023-01-03', title: SECOND_JANUARY, substitute: true, why: 'pushed on by New Year’s Day' },
      { division: 'scotland', year: 2021, date: '2021-01-04', title: SECOND_JANUARY, substitute: true, why: '2 January on a Saturday' },
      { division: 'scotland', year: 2024, date: '2024-12-02', title: ST_ANDREW, substitute: true, why: '30 November on a Saturday' },
      { division: 'england-and-wales', year: 2022, date: '2022-12-26', title: BOXING_DAY, substitute: false, why: 'Boxing Day keeps its Monday' },
      { division: 'england-and-wales', year: 2022, date: '2022-12-27', title: CHRISTMAS, substitute: true, why: 'Christmas on a Sunday' },
      { division: 'england-and-wales', year: 2021, date: '2021-12-28', title: BOXING_DAY, substitute: true, why: 'after Christmas’s Monday' },
      { division: 'england-and-wales', year: 2020, date: '2020-05-04', title: EARLY_MAY, substitute: false, why: 'the rule, not 2020’s VE Day move' },
      { division: 'northern-ireland', year: 2024, date: '2024-03-18', title: ST_PATRICK, substitute: true, why: '17 March on a Sunday' },
      { division: 'northern-ireland', year: 2020, date: '2020-07-13', title: BOYNE, substitute: true, why: '12 July on a Sunday' },
    ];
    for (const { division, year, date, title, substitute, why } of known) {
      it(`give ${division} ${title} on ${date} (${why})`, () => {
        const event = standardBankHolidays(division, year).find((each) => each.date === date);
        expect(event).to.include({ title, notes: substitute ? 'Substitute day' : '' });
      });
    }

    it('give the whole of 2024 in England and Wales', () => {
      expect(datesAndTitles(standardBankHolidays('england-and-wales', 2024))).to.deep.equal([
        ['2024-01-01', NEW_YEAR], ['2024-03-29', GOOD_FRIDAY], ['2024-04-01', EASTER_MONDAY], ['2024-05-06', EARLY_MAY],
        ['2024-05-27', SPRING], ['2024-08-26', SUMMER], ['2024-12-25', CHRISTMAS], ['2024-12-26', BOXING_DAY],
      ]);
    });

    const easterSundays = ['1943-04-25', '2008-03-23', '2011-04-24', '2019-04-21', '2024-03-31', '2038-04-25', '2285-03-22'];
    for (const easter of easterSundays) {
      it(`put Good Friday and Easter Monday around Easter Sunday ${easter}`, () => {
        const holidays = standardBankHolidays('england-and-wales', Number(easter.slice(0, 4)));
        expect(holidays.find((event) => event.title === GOOD_FRIDAY)?.date).to.equal(addDays(easter, -2));
        expect(holidays.find((event) => event.title === EASTER_MONDAY)?.date).to.equal(addDays(easter, 1));
      });
    }

    it('refuse a year that is not a four-digit whole number', () => {
      for (const year of [2026.5, Number.NaN, -1, 10_000]) {
        expect(() => standardBankHolidays('scotland', year)).to.throw(RangeError);
      }
    });
  });

  describe('the calendar', () => {
    it('counts a year whose list is not published on the rules, with a holiday proclaimed ahead of it', () => {
      const document = snapshotDocument();
      document.scotland.events.push({ title: 'Proclaimed ahead', date: '2029-06-18', notes: '', bunting: true });
      const calendar = new BankHolidayCalendar(2, document);
      expect(calendar.isProvisional('scotland', 2029)).to.equal(true);
      expect(calendar.yearsCovered('scotland')).to.deep.equal({ first: 2025, last: 2028 });
      expect(calendar.holidayOn('scotland', '2029-06-18')).to.deep.equal({ title: 'Proclaimed ahead', notes: '', provisional: true });
      expect(calendar.holidaysIn('scotland', 2029).map((h) => h.date)).to.deep.equal([
        ...standardBankHolidays('scotland', 2029).map((h) => h.date).filter((date) => date < '2029-06-18'),
        '2029-06-18',
        ...standardBankHolidays('scotland', 2029).map((h) => h.date).filter((date) => date > '2029-06-18'),
      ]);
    });

    it('keeps a published year published when one of its holidays is cancelled', () => {
      const document = snapshotDocument();
      document['england-and-wales'].events = document['england-and-wales'].events.filter((e) => e.date !== '2027-05-31');
      const calendar = new BankHolidayCalendar(2, document);
      expect(calendar.isProvisional('england-and-wales', 2027)).to.equal(false);
      expect(calendar.holidayOn('england-and-wales', '2027-05-31')).to.equal(undefined);
    });

    it('has Scotland’s World Cup holiday in 2026 when the document has it, and not otherwise', () => {
      const withIt = new BankHolidayCalendar(1, snapshotDocument());
      const withoutIt = new BankHolidayCalendar(2, withoutWorldCup(snapshotDocument()));
      expect(withIt.holidayOn('scotland', WORLD_CUP_DAY)).to.deep.equal({ title: WORLD_CUP, notes: '', provisional: false });
      expect(withIt.holidayOn('england-and-wales', WORLD_CUP_DAY)).to.equal(undefined);
      expect(withoutIt.holidayOn('scotland', WORLD_CUP_DAY)).to.equal(undefined);
      expect(withIt.holidaysIn('scotland', 2026)).to.have.length(10);
      expect(withoutIt.holidaysIn('scotland', 2026)).to.deep.equal(
        standardBankHolidays('scotland', 2026).map(({ date, title, notes }) => ({ date, title, notes, provisional: false })),
      );
    });

    it('covers 2025 to 2028 from the data and leaves the years either side to the rules', () => {
      const calendar = new BankHolidayCalendar(1, snapshotDocument());
      for (const division of CALENDARS) {
        expect(calendar.yearsCovered(division)).to.deep.equal({ first: 2025, last: 2028 });
        expect(calendar.isProvisional(division, 2024)).to.equal(true);
        expect(calendar.isProvisional(division, 2025)).to.equal(false);
        expect(calendar.isProvisional(division, 2028)).to.equal(false);
        expect(calendar.isProvisional(division, 2029)).to.equal(true);
      }
    });

    it('answers for 2029 from the rules, marked provisional', () => {
      const calendar = new BankHolidayCalendar(1, snapshotDocument());
      expect(calendar.holidayOn('england-and-wales', '2029-01-01')).to.deep.equal({ title: NEW_YEAR, notes: '', provisional: true });
      expect(calendar.holidayOn('scotland', '2029-01-02')).to.deep.equal({ title: SECOND_JANUARY, notes: '', provisional: true });
      expect(calendar.holidayOn('england-and-wales', '2029-01-02')).to.equal(undefined);
      expect(calendar.holidaysIn('northern-ireland', 2029).every((holiday) => holiday.provisional)).to.equal(true);
      expect(calendar.holidaysIn('northern-ireland', 2029).map((holiday) => holiday.date)).to.deep.equal(
        standardBankHolidays('northern-ireland', 2029).map((event) => event.date),
      );
    });

    it('answers for a covered year from the data alone', () => {
      const calendar = new BankHolidayCalendar(1, snapshotDocument());
      expect(calendar.holidayOn('northern-ireland', '2025-07-14')).to.deep.equal({ title: BOYNE, notes: 'Substitute day', provisional: false });
      expect(calendar.holidayOn('northern-ireland', '2025-07-12')).to.equal(undefined);
    });

    it('treats every year as provisional in a division with no events', () => {
      const document = { ...snapshotDocument(), scotland: { division: 'scotland' as const, events: [] } };
      const calendar = new BankHolidayCalendar(1, document);
      expect(calendar.isProvisional('scotland', 2026)).to.equal(true);
      expect(calendar.holidayOn('scotland', WORLD_CUP_DAY)).to.equal(undefined);
      expect(calendar.holidayOn('scotland', '2026-11-30')).to.deep.equal({ title: ST_ANDREW, notes: '', provisional: true });
    });

    it('refuses a date that is not YYYY-MM-DD', () => {
      const calendar = new BankHolidayCalendar(1, snapshotDocument());
      expect(() => calendar.holidayOn('scotland', '15/06/2026')).to.throw(RangeError);
    });
  });

  describe('the difference between two documents', () => {
    it('lists holidays added, removed and renamed, by date then division', () => {
      const before = withoutWorldCup(snapshotDocument());
      const after = snapshotDocument();
      after['england-and-wales'].events = after['england-and-wales'].events.map((event) =>
        event.date === '2026-05-04' ? { ...event, title: 'Early May bank holiday (VE day)' } : event,
      );
      after['northern-ireland'].events = after['northern-ireland'].events.filter((event) => event.date !== '2026-03-17');
      expect(diffBankHolidays(before, after)).to.deep.equal([
        { division: 'northern-ireland', date: '2026-03-17', change: 'removed', title: ST_PATRICK },
        { division: 'england-and-wales', date: '2026-05-04', change: 'renamed', title: 'Early May bank holiday (VE day)', previousTitle: EARLY_MAY },
        { division: 'scotland', date: WORLD_CUP_DAY, change: 'added', title: WORLD_CUP },
      ]);
    });

    it('is empty between a document and itself', () => {
      expect(diffBankHolidays(snapshotDocument(), snapshotDocument())).to.deep.equal([]);
    });
  });

  describe('reading a document', () => {
    const problemsOf = (input: unknown): string[] => {
      const parsed = parseBankHolidays(input);
      return parsed.ok ? [] : parsed.problems;
    };
    const edited = (edit: (document: any) => void): unknown => {
      const document = readSnapshot();
      edit(document);
      return document;
    };

    const refusals: { what: string; input: () => unknown; problem: string }[] = [
      { what: 'null', input: () => null, problem: 'document: expected an object of divisions' },
      { what: 'an array', input: () => [readSnapshot()], problem: 'document: expected an object of divisions' },
      { what: 'a string', input: () => 'bank holidays', problem: 'document: expected an object of divisions' },
      { what: 'a missing division', input: () => edited((d) => delete d['northern-ireland']), problem: 'northern-ireland: missing' },
      { what: 'a mislabelled division', input: () => edited((d) => (d.scotland.division = 'england-and-wales')), problem: 'scotland.division: expected "scotland"' },
      { what: 'events that are not a list', input: () => edited((d) => (d.scotland.events = {})), problem: 'scotland.events: expected an array' },
      { what: 'a date that is not in the calendar', input: () => edited((d) => (d.scotland.events[3].date = '2026-02-30')), problem: 'scotland.events[3].date: not a calendar date' },
      { what: 'a date in another format', input: () => edited((d) => (d.scotland.events[3].date = '15/06/2026')), problem: 'scotland.events[3].date: not a calendar date' },
      { what: 'a date twice', input: () => edited((d) => (d['england-and-wales'].events[1].date = '2025-01-01')), problem: 'england-and-wales.events[1].date: 2025-01-01 is already events[0]' },
      { what: 'bunting as a string', input: () => edited((d) => (d['northern-ireland'].events[2].bunting = 'false')), problem: 'northern-ireland.events[2].bunting: expected true or false' },
      { what: 'an empty title', input: () => edited((d) => (d.scotland.events[0].title = ' ')), problem: 'scotland.events[0].title: expected a non-empty string' },
      { what: 'over-long notes', input: () => edited((d) => (d.scotland.events[0].notes = 'x'.repeat(201))), problem: 'scotland.events[0].notes: expected a string of at most 200' },
      { what: 'an event that is not an object', input: () => edited((d) => (d.scotland.events[5] = null)), problem: 'scotland.events[5]: expected an object' },
      { what: 'an unknown division', input: () => edited((d) => (d.wales = { division: 'wales', events: [] })), problem: '"wales": unknown division' },
    ];
    for (const { what, input, problem } of refusals) {
      it(`refuses ${what}, naming the place`, () => {
        expect(problemsOf(input()).some((each) => each.startsWith(problem)), problemsOf(input()).join('; ')).to.equal(true);
      });
    }

    it('keeps the list of problems short for a huge document', () => {
      const huge = Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [`division-${index}`, index]));
      expect(problemsOf(huge)).to.have.length.of.at.most(51);
      expect(problemsOf(edited((d) => (d.scotland.events = Array(100_000).fill(0))))).to.have.length.of.at.most(51);
    });

    it('sorts the events it returns by date', () => {
      const parsed = parseBankHolidays(edited((d) => d.scotland.events.reverse()));
      expect(parsed.ok && parsed.document.scotland.events).to.deep.equal(readSnapshot().scotland.events);
    });

    it('never throws, whatever it is given', () => {
      fc.assert(
        fc.property(fc.anything(), (input) => {
          const parsed = parseBankHolidays(input);
          return parsed.ok || (parsed.problems.length > 0 && parsed.problems.every((problem) => typeof problem === 'string'));
        }),
      );
    });

    it('blames the event when one event of the snapshot is replaced by any JSON', () => {
      fc.assert(
        fc.property(fc.constantFrom(...CALENDARS), fc.nat(), fc.jsonValue(), (division, index, replacement) => {
          const document = readSnapshot();
          const events = document[division].events;
          events[index % events.length] = replacement;
          const parsed = parseBankHolidays(document);
          return parsed.ok || parsed.problems.every((problem) => problem.startsWith(`${division}.events[`));
        }),
      );
    });
  });
});
