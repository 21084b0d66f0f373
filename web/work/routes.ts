import { Router } from 'express';
import { byDueDate, statusesAwaiting, workFor, type WorkItem } from '../../domain/actions';
import type { AppealService } from '../../api/appeals/service';
import type { Caller } from '../../api/context';
import { route } from '../../api/route';
import type { AppealView } from '../../domain/appeal';
import { appealHref } from '../appeals/actions';

/** How many appeals "Your work" reads at most; past that it says so. */
export const WORK_LIMIT = 500;
const PAGE = 100;

export interface WorkLine extends WorkItem {
  appeal: AppealView;
  href: string;
}

/** Soonest due first; of two due alike, the older appeal first. */
const inOrderOfWork = (a: WorkLine, b: WorkLine): number => byDueDate(a, b) || a.appeal.createdAt.localeCompare(b.appeal.createdAt);

/**
 * "Your work" (/): the appeals waiting for this person's action next (domain/actions.ts), read
 * through AppealService.list, so in the person's scope exactly as the API's list; soonest due first.
 */
export function workRoutes(appeals: AppealService): Router {
  return Router().get(
    '/',
    route(async (req, res) => {
      const { lines, complete } = await yourWork(appeals, req.caller as Caller, new Date());
      res.render('work', { lines, complete, limit: WORK_LIMIT, currentNav: 'work' });
    }),
  );
}

export async function yourWork(appeals: AppealService, caller: Caller, now: Date): Promise<{ lines: WorkLine[]; complete: boolean }> {
  const lines: WorkLine[] = [];
  let read = 0;
  for (const status of statusesAwaiting(caller.role)) {
    let after: { createdAt: string; id: string } | undefined;
    do {
      const page = await appeals.list(caller, { status, limit: PAGE, after });
      read += page.items.length;
      for (const appeal of page.items.map((json) => JSON.parse(json) as AppealView)) {
        const work = workFor(caller, appeal, now);
        if (work) lines.push({ ...work, appeal, href: appealHref(appeal.id) });
      }
      after = page.last ? { createdAt: page.last.createdAt.toISOString(), id: page.last.id } : undefined;
      if (read >= WORK_LIMIT) return { lines: lines.sort(inOrderOfWork), complete: false };
    } while (after);
  }
  return { lines: lines.sort(inOrderOfWork), complete: true };
}
