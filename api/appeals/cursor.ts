import { badRequest } from '../errors';

/** Opaque list cursors: the (created_at, id) of the last appeal on a page. */
export function encodeCursor(last: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ c: last.createdAt.toISOString(), i: last.id })).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const { c, i } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c: unknown; i: unknown };
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (typeof c === 'string' && !Number.isNaN(Date.parse(c)) && typeof i === 'string' && uuid.test(i)) {
      return { createdAt: c, id: i };
    }
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('The cursor is not one this API gave out', [{ path: 'query.cursor', message: 'invalid cursor' }]);
}
