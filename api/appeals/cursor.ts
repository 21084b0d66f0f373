import { badRequest } from '../errors';

/** Opaque list cursors: the (created_at, id) of the last appeal on a page. */
export function encodeCursor(last: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ c: last.createdAt.toISOString(), i: last.id })).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The position a cursor names; anything this API did not give out is a 400. */
export function decodeCursor(cursor: string, parameter: 'cursor' | 'before' = 'cursor'): { createdAt: string; id: string } {
  try {
    const { c, i } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c: unknown; i: unknown };
    // Only what encodeCursor writes: a canonical ISO instant (so PostgreSQL always accepts it).
    if (typeof c === 'string' && typeof i === 'string' && UUID.test(i) && isCanonicalInstant(c)) return { createdAt: c, id: i };
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('The cursor is not one this API gave out', [{ path: `query.${parameter}`, message: 'invalid cursor' }]);
}

function isCanonicalInstant(text: string): boolean {
  const time = Date.parse(text);
  return Number.isFinite(time) && time >= 0 && time < Date.UTC(10_000, 0, 1) && new Date(time).toISOString() === text;
}
