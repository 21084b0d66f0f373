import { JsonText } from '../calls';
import type { Caller } from '../context';
import { decodeCursor, encodeCursor } from './cursor';
import type { AppealListQuery } from './schemas';
import type { AppealService } from './service';

/**
 * A page of GET /v1/appeals for a query the API's schema accepted, cursors in and out, read
 * through AppealService.list (so in the caller's scope), each case record as JSON text. The API
 * answers it as JSON (pageJson); the appeals list page shows it.
 */
export async function appealPage(service: AppealService, caller: Caller, query: AppealListQuery) {
  const { cursor, before, overdue, ...filter } = query;
  const page = await service.list(caller, {
    ...filter,
    overdue: overdue === undefined ? undefined : overdue === 'true',
    after: cursor ? decodeCursor(cursor, 'cursor') : undefined,
    before: before ? decodeCursor(before, 'before') : undefined,
  });
  return {
    items: page.items,
    nextCursor: page.last ? encodeCursor(page.last) : null,
    previousCursor: page.first ? encodeCursor(page.first) : null,
  };
}

/** The page as the API answers it: the case records' JSON as stored, not parsed and written again. */
export function pageJson({ items, nextCursor, previousCursor }: Awaited<ReturnType<typeof appealPage>>): JsonText {
  return new JsonText(`{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)},"previousCursor":${JSON.stringify(previousCursor)}}`);
}
