/**
 * Idempotency-Key, as every POST that takes it honours it: the key, the caller's own, names one
 * request by its fingerprint and keeps the first answer; the key used for another request is 422.
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { claimIdempotencyKey, type IdempotencyRecord } from '../db/idempotency-keys';
import { canonicalJson } from '../db/timeline';
import type { Caller } from './context';
import { unprocessable } from './errors';

/** The answer header a repeat carries, as the calls document it. */
export const REPLAYED = '"true" when this answers a repeated Idempotency-Key';
export const replayed = (again: boolean): Record<string, string> => (again ? { 'Idempotent-Replayed': 'true' } : {});

/** The fingerprint of what a request asks for. */
export const requestHashOf = (request: unknown): string => createHash('sha256').update(canonicalJson(request)).digest('hex');

/** The key's earlier use, when it was for this very request; for any other request, 422. */
export function sameRequest(earlier: IdempotencyRecord | null, request: unknown): IdempotencyRecord | null {
  if (earlier && earlier.requestHash !== requestHashOf(request)) {
    throw unprocessable('This Idempotency-Key was already used for another request (another body, action or appeal); use a new key for a new request');
  }
  return earlier;
}

/**
 * Claim an Idempotency-Key for a request: the first claim answers null, a repeat of the same
 * request answers what the first left; the key used for any other request is refused with 422.
 */
export async function claimKey(dataSource: DataSource, caller: Caller, key: string, request: unknown, resourceId: string): Promise<IdempotencyRecord | null> {
  const earlier = await claimIdempotencyKey(dataSource, { callerSub: caller.sub, key, requestHash: requestHashOf(request), resourceId });
  return sameRequest(earlier, request);
}
