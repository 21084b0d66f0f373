import path from 'node:path';
import { expect } from 'chai';
import { calendarInForce, readSnapshot } from '../db/calendars';
import { isWorkingDay, workingDaysBetween } from '../domain/calendar';
import type { AppealView } from '../domain/appeal';
import type { BankHolidaysDocument } from '../domain/bank-holidays';
import { CALENDARS, type CalendarName, type Period } from '../domain/policy';
import { appealStateQuery, appealWorkflowId } from '../workflows/shared';
import { harness } from './harness';
import { expectProblem } from './support/api';
import { castFor, createDepartment, expectCall, openAppeal, timelineTypes, type Cast } from './support/appeals';
import { waitFor } from './support/mail';
import type { Spawned } from './support/processes';
import { newTaskQueue, openAppealOn, runWorker, spawnEntry } from './support/workers';

const workingDays = (amount: number): Period => ({ amount, unit: 'working_days' });
const LONDON_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });
const plusDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The `n`th working day after today in London, on the calendar in force. */
async function nthWorkingDay(division: CalendarName, n: number): Promise<string> {
  const holidays = await calendarInForce(harness().dataSource);
  let date = LONDON_DATE.format(new Date());
  for (let found = 0; found < n; ) {
    date = plusDays(date, 1);
    if (isWorkingDay(date, { division, holidays })) found++;
  }
  return date;
}

async function admin(): Promise<string> {
  return harness().tokenFor('admin', 'admin-1');
}

async function recalculations(appealId: string): Promise<{ data: Record<string, any> }[]> {
  return harness().dataSource.query(`SELECT data FROM timeline_events WHERE appeal_id = $1 AND type = 'deadline_recalculated' ORDER BY seq`, [appealId]);
}

async function movedNotices(appealId: string): Promise<string[]> {
  const rows = await harness().dataSource.query<{ recipient_role: string }[]>(
    `SELECT recipient_role FROM notifications WHERE appeal_id = $1 AND kind = 'deadline_moved' ORDER BY recipient_role`,
    [appealId],
  );
  return rows.map((r) => r.recipient_role);
}

async function dueOf(cast: Cast, appealId: string): Promise<AppealView> {
  return expectCall(200, 'GET', `/v1/appeals/${appealId}`, cast.caseworker);
}

async function movedTo(cast: Cast, appealId: string, dueAt: (appeal: AppealView) => boolean): Promise<AppealView> {
  return waitFor(`appeal ${appealId}'s deadline to move`, async () => {
    const appeal = await dueOf(cast, appealId);
    return dueAt(appeal) ? appeal : undefined;
  });
}

/** What the workflow's own timer waits for. */
async function timerOf(appealId: string) {
  return (await harness().client.workflow.getHandle(appealWorkflowId(appealId)).query(appealStateQuery)).deadlines.managerResponse;
}

describe('bank holidays as versioned data', () => {
  it('answers the calendar in force: every division, the years covered, 15 June 2026 in Scotland', async () => {
    const calendar = await expectCall(200, 'GET', '/v1/calendars', await harness().tokenFor('caseworker', 'caseworker-1'));
    expect(calendar.version).to.be.at.least(1);
    expect(Object.keys(calendar.holidays)).to.have.members([...CALENDARS]);
    expect(calendar.holidays.scotland.events).to.deep.include({ title: 'World Cup bank holiday', date: '2026-06-15', notes: '', bunting: true });
    expect(calendar.yearsCovered['england-and-wales']).to.deep.equal({ first: 2025, last: 2028 });
    expect(calendar.history.at(-1)).to.include({ version: 1, changedBy: 'seed' });
  });

  it('refuses a bad change with a problem, and changes nothing', async () => {
    const token = await admin();
    const { version } = await expectCall(200, 'GET', '/v1/calendars', token);
    const day = { title: 'St Andrew’s Day', date: '2026-11-30', notes: '', bunting: true };
    const twice = { ...readSnapshot(), scotland: { division: 'scotland', events: [day, day] } };
    const refused = await harness().api('PUT', '/v1/calendars', { token, body: { reason: 'test', holidays: twice } });
    expectProblem(refused, 422);
    expect(JSON.stringify(refused.body.errors)).to.match(/scotland\.events\[1\]\.date/);
    const misfiled = { ...readSnapshot(), scotland: { ...readSnapshot()['northern-ireland'] } };
    expectProblem(await harness().api('PUT', '/v1/calendars', { token, body: { reason: 'test', holidays: misfiled } }), 422);
    const nonsense = { ...readSnapshot(), scotland: { division: 'scotland', events: [{ ...day, date: '2026-02-30' }] } };
    expectProblem(await harness().api('PUT', '/v1/calendars', { token, body: { reason: 'test', holidays: nonsense } }), 400);
    expectProblem(await harness().api('PUT', '/v1/calendars', { token, body: { holidays: readSnapshot() } }), 400);
    expectProblem(await harness().api('POST', '/v1/calendars/wales/holidays', { token, body: { date: '2026-12-01', title: 'x', reason: 'test' } }), 400);
    expectProblem(await harness().api('POST', '/v1/calendars/scotland/holidays', { token, body: { date: '2026-11-30', title: 'Again', reason: 'test' } }), 409);
    expectProblem(await harness().api('DELETE', '/v1/calendars/scotland/holidays/2026-12-01?reason=test', { token }), 404);
    const caseworker = await harness().tokenFor('caseworker', 'caseworker-1');
    expectProblem(await harness().api('POST', '/v1/calendars/scotland/holidays', { token: caseworker, body: { date: '2026-12-01', title: 'x', reason: 'test' } }), 403);
    expect((await expectCall(200, 'GET', '/v1/calendars', token)).version).to.equal(version);
  });

  it('makes no version for a document equal to the calendar in force', async () => {
    const token = await admin();
    const { version, holidays } = await expectCall(200, 'GET', '/v1/calendars', token);
    const answer = await expectCall(200, 'PUT', '/v1/calendars', token, { reason: 'the same again', holidays });
    expect(answer).to.deep.include({ changed: false, movedDeadlines: { count: 0, items: [] } });
    expect(answer.version.version).to.equal(version);
  });

  it('moves open deadlines by one working day when a holiday is proclaimed, and back when it is cancelled', async function () {
    this.timeout(120_000);
    const token = await admin();
    const opened: { division: CalendarName; cast: Cast; spanning: AppealView; short: AppealView; holiday: string }[] = [];
    for (const division of CALENDARS) {
      const department = await createDepartment({ calendar: division, managerResponse: workingDays(20), reminders: [workingDays(5), workingDays(1)] });
      const cast = await castFor(department);
      const shortDepartment = await createDepartment({ calendar: division, managerResponse: workingDays(1), reminders: [] });
      opened.push({ division, cast, spanning: await openAppeal(cast), short: await openAppeal(await castFor(shortDepartment)), holiday: await nthWorkingDay(division, 3) });
    }

    for (const { division, spanning, holiday } of opened) {
      const answer = await expectCall(201, 'POST', `/v1/calendars/${division}/holidays`, token, { date: holiday, title: 'Test proclamation', reason: 'A proclamation' });
      expect(answer.changed).to.equal(true);
      expect(answer.version.changes).to.deep.equal([{ division, date: holiday, change: 'added', title: 'Test proclamation' }]);
      expect(answer.movedDeadlines.items.map((m: { appealId: string }) => m.appealId)).to.include(spanning.id);
    }

    const holidays = await calendarInForce(harness().dataSource);
    for (const { division, cast, spanning, short, holiday } of opened) {
      const before = spanning.deadlines.managerResponseDue as string;
      const moved = await movedTo(cast, spanning.id, (a) => a.deadlines.managerResponseDue !== before);
      const after = moved.deadlines.managerResponseDue as string;
      expect(workingDaysBetween(new Date(before), new Date(after), { division, holidays })).to.equal(1);
      const explanation = moved.deadlineDetails[0].explanation;
      expect(explanation.skippedBankHolidays).to.deep.include({ date: holiday, name: 'Test proclamation' });
      expect(explanation.calendarVersion).to.be.at.least(holidays.version - 2);
      expect((await timerOf(spanning.id))?.dueAt).to.equal(after);
      expect((await timerOf(spanning.id))?.pendingReminders).to.deep.equal(moved.deadlineDetails[0].reminderAts);
      const [recalculated, ...more] = await recalculations(spanning.id);
      expect(more).to.deep.equal([]);
      expect(recalculated.data.deadline).to.deep.equal({ kind: 'managerResponse', previousDueAt: before, dueAt: after });
      expect(recalculated.data.holidaysAdded).to.deep.equal([{ date: holiday, name: 'Test proclamation' }]);
      expect(await waitFor('the notices', async () => ((await movedNotices(spanning.id)).length === 2 ? true : undefined))).to.equal(true);
      expect(await movedNotices(spanning.id)).to.deep.equal(['appellant', 'manager']);
      expect((await dueOf(cast, short.id)).deadlines.managerResponseDue).to.equal(short.deadlines.managerResponseDue);
      expect(await timelineTypes(short.id)).not.to.include('deadline_recalculated');
    }

    for (const { division, holiday } of opened) {
      await expectCall(200, 'DELETE', `/v1/calendars/${division}/holidays/${holiday}?reason=${encodeURIComponent('Proclamation revoked')}`, token);
    }
    for (const { cast, spanning } of opened) {
      const back = await movedTo(cast, spanning.id, (a) => a.deadlines.managerResponseDue === spanning.deadlines.managerResponseDue);
      expect((await timerOf(spanning.id))?.dueAt).to.equal(back.deadlines.managerResponseDue);
      const events = await recalculations(spanning.id);
      expect(events).to.have.length(2);
      expect(events[1].data.holidaysRemoved).to.deep.equal(events[0].data.holidaysAdded);
      expect(await waitFor('the notices', async () => ((await movedNotices(spanning.id)).length === 4 ? true : undefined))).to.equal(true);
    }
  });

  it('marks a deadline provisional when its year leaves the data, and counts it again when the year is imported', async function () {
    this.timeout(60_000);
    const token = await admin();
    const department = await createDepartment({ managerResponse: workingDays(300), reminders: [] });
    const cast = await castFor(department);
    const appeal = await openAppeal(cast);
    expect(appeal.deadlineDetails[0].explanation.provisional).to.equal(false);
    const due = appeal.deadlines.managerResponseDue;
    expect(due?.slice(0, 4)).to.equal('2028');

    const full = readSnapshot();
    const without2028 = Object.fromEntries(
      CALENDARS.map((division) => [division, { division, events: full[division].events.filter((e) => !e.date.startsWith('2028')) }]),
    ) as BankHolidaysDocument;
    await expectCall(200, 'PUT', '/v1/calendars', token, { reason: 'Only the years proclaimed so far', holidays: without2028 });
    const provisional = await movedTo(cast, appeal.id, (a) => a.deadlineDetails[0].explanation.provisional === true);
    expect(provisional.deadlines.managerResponseDue).to.equal(due); // the rules agree with the data

    await expectCall(200, 'PUT', '/v1/calendars', token, { reason: '2028 published', holidays: full });
    const settled = await movedTo(cast, appeal.id, (a) => a.deadlineDetails[0].explanation.provisional === false);
    expect(settled.deadlines.managerResponseDue).to.equal(due);
    expect(await recalculations(appeal.id)).to.have.length(2);
    expect(await movedNotices(appeal.id)).to.deep.equal([]); // the date never moved
  });

  describe('a worker killed while 50 appeals are counted again', function () {
    this.timeout(240_000);
    const spawned: Spawned[] = [];
    afterEach(() => {
      for (const one of spawned.splice(0)) if (!one.exited()) one.signal('SIGKILL');
    });

    it('moves each deadline exactly once, with one timeline event and one notice per party', async () => {
      const taskQueue = newTaskQueue();
      const department = await createDepartment({ calendar: 'scotland', managerResponse: workingDays(20), reminders: [] });
      const worker = spawnEntry(path.join('worker', 'main.ts'), { TEMPORAL_TASK_QUEUE: taskQueue });
      spawned.push(worker);
      const appeals = await Promise.all(Array.from({ length: 50 }, () => openAppealOn(taskQueue, department)));
      const holiday = await nthWorkingDay('scotland', 4);

      const answer = await expectCall(201, 'POST', '/v1/calendars/scotland/holidays', await admin(), { date: holiday, title: 'Test proclamation', reason: 'A proclamation' });
      const ids = appeals.map((a) => a.id);
      expect(answer.movedDeadlines.items.map((m: { appealId: string }) => m.appealId)).to.include.members(ids);
      const countMoved = async () => {
        const [{ n }] = await harness().dataSource.query(`SELECT count(*)::int AS n FROM timeline_events WHERE type = 'deadline_recalculated' AND appeal_id = ANY($1)`, [ids]);
        return n as number;
      };
      const killedAt = await waitFor('the first appeals to move', async () => {
        const n = await countMoved();
        return n >= 3 ? n : undefined;
      });
      worker.signal('SIGKILL');
      const restarted = await runWorker(taskQueue);
      try {
        await waitFor('every appeal to move', async () => ((await countMoved()) === 50 ? true : undefined), 120_000);
        for (const appeal of appeals) {
          const [recalculated, ...more] = await recalculations(appeal.id);
          expect(more).to.deep.equal([]);
          expect(recalculated.data.holidaysAdded).to.deep.equal([{ date: holiday, name: 'Test proclamation' }]);
          expect(await movedNotices(appeal.id)).to.deep.equal(['appellant', 'manager']);
          expect((await timerOf(appeal.id))?.dueAt).to.equal(recalculated.data.deadline.dueAt);
        }
        const [{ keys, events }] = await harness().dataSource.query(
          `SELECT count(DISTINCT (appeal_id, step_key))::int AS keys, count(*)::int AS events FROM timeline_events WHERE appeal_id = ANY($1)`,
          [ids],
        );
        expect(events).to.equal(keys);
        expect(killedAt).to.be.below(50);
      } finally {
        await restarted.stop();
        await expectCall(200, 'DELETE', `/v1/calendars/scotland/holidays/${holiday}?reason=test`, await admin());
      }
    });
  });
});
