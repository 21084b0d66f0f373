import type { DataSource } from 'typeorm';

/** An Idempotency-Key as a caller used it: what they sent and, once answered, what they got. */
export interface IdempotencyRecord {
  requestHash: string;
  resourceId: string;
  response: { status: number; body: unknown } | null;
}

interface Row {
  request_hash: string;
  resource_id: string;
  response_status: number | null;
  response_body: unknown;
}

const toRecord = (row: Row): IdempotencyRecord => ({
  requestHash: row.request_hash.trim(),
  resourceId: row.resource_id,
  response: row.response_status === null ? null : { status: row.response_status, body: row.response_body },
});

/**
 * Claim `key` for `callerSub`: the first claim inserts it and answers null; a later one (or a
 * concurrent one) answers the record the first left, whose hash says whether the bodies match.
 */
export async function claimIdempotencyKey(
  dataSource: DataSource,
  claim: { callerSub: string; key: string; requestHash: string; resourceId: string },
): Promise<IdempotencyRecord | null> {
  const inserted = await dataSource.query<unknown[]>(
    `INSERT INTO idempotency_keys (caller_sub, key, request_hash, resource_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (caller_sub, key) DO NOTHING RETURNING key`,
    [claim.callerSub, claim.key, claim.requestHash, claim.resourceId],
  );
  if (inserted.length > 0) return null;
  return findIdempotencyKey(dataSource, claim.callerSub, claim.key);
}

/** The key as `callerSub` used it, if they did. */
export async function findIdempotencyKey(dataSource: DataSource, callerSub: string, key: string): Promise<IdempotencyRecord | null> {
  const [row] = await dataSource.query<Row[]>(
    `SELECT request_hash, resource_id, response_status, response_body FROM idempotency_keys WHERE caller_sub = $1 AND key = $2`,
    [callerSub, key],
  );
  return row ? toRecord(row) : null;
}

/** Free a key claimed for `resourceId` and never answered, so that a repeat starts afresh (its resource was refused and deleted). */
export async function releaseIdempotencyKey(dataSource: DataSource, callerSub: string, key: string, resourceId: string): Promise<void> {
  await dataSource.query(`DELETE FROM idempotency_keys WHERE caller_sub = $1 AND key = $2 AND resource_id = $3 AND response_status IS NULL`, [callerSub, key, resourceId]);
}

/** Keep the first answer given under a key; a later answer never replaces it. */
export async function saveIdempotentResponse(
  dataSource: DataSource,
  callerSub: string,
  key: string,
  response: { status: number; body: unknown },
): Promise<void> {
  await dataSource.query(
    `UPDATE idempotency_keys SET response_status = $3, response_body = $4, answered_at = now()
     WHERE caller_sub = $1 AND key = $2 AND response_status IS NULL`,
    [callerSub, key, response.status, JSON.stringify(response.body)],
  );
}
