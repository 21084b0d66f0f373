/**
 * The activities of a calendar change: finding the open appeals whose deadlines it moves, page by
 * page, and marking the change applied once every one of them has been told.
 */
import type { DataSource } from 'typeorm';
import { calendarInForce, changesOf, deadlineMoves, markRecalculated } from '../db/calendars';

export interface CalendarDependencies {
  dataSource: DataSource;
  clock?: () => Date;
}

/** Appeals per page: one signal each, so a page is a few hundred events of the change's history. */
const PAGE = 200;

export function createCalendarActivities({ dataSource, clock = () => new Date() }: CalendarDependencies) {
  return {
    /** The appeals, after `afterAppealId`, whose running deadline the change moves; `next` when there are more to look at. */
    async appealsMovedByCalendar(input: { calendarVersion: number; afterAppealId?: string }): Promise<{ appealIds: string[]; next?: string }> {
      const holidays = await calendarInForce(dataSource);
      const changes = await changesOf(dataSource, input.calendarVersion);
      const page = await deadlineMoves(dataSource, { changes, holidays, now: clock(), afterAppealId: input.afterAppealId, limit: PAGE });
      return { appealIds: page.moves.map((move) => move.appealId), next: page.next };
    },
    /** Every appeal the change moves has been told. */
    async calendarRecalculated(calendarVersion: number): Promise<void> {
      await markRecalculated(dataSource, calendarVersion);
    },
  };
}
