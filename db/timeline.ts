import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Actor, EventType, TimelineEvent } from '../domain/appeal';
import { TimelineEventEntity } from './entities';

export type { TimelineEvent };

/** JSON with object keys sorted at every depth, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 over the previous event's hash and this event's canonical content. */
export function eventHash(appealId: string, previousHash: string | null, event: Omit<TimelineEvent, 'hash'>): string {
  const content = canonicalJson({ appealId, seq: event.seq, type: event.type, actor: event.actor, at: event.at, data: event.data });
  return createHash('sha256').update(previousHash ?? '').update('\n').update(content).digest('hex');
}

export interface TimelineVerification {
  verified: boolean;
  /** The first event whose hash does not match its content and predecessor. */
  brokenAtSeq: number | null;
}

export function verifyTimeline(appealId: string, events: TimelineEvent[]): TimelineVerification {
  let previousHash: string | null = null;
  for (const [index, event] of events.entries()) {
    const intact = event.seq === index + 1 && eventHash(appealId, previousHash, event) === event.hash;
    if (!intact) return { verified: false, brokenAtSeq: event.seq };
    previousHash = event.hash;
  }
  return { verified: true, brokenAtSeq: null };
}

export function toTimelineEvent(row: TimelineEventEntity): TimelineEvent {
  return {
    seq: row.seq,
    type: row.type as EventType,
    actor: { sub: row.actorSub, role: row.actorRole as Actor['role'] },
    at: row.at.toISOString(),
    data: row.data,
    hash: row.hash.trim(),
  };
}

export async function readTimeline(manager: EntityManager, appealId: string): Promise<TimelineEvent[]> {
  const rows = await manager.find(TimelineEventEntity, { where: { appealId }, order: { seq: 'ASC' } });
  return rows.map(toTimelineEvent);
}

/** Whether the step with this key was recorded: each step is written once. */
export async function stepRecorded(manager: EntityManager, appealId: string, stepKey: string): Promise<boolean> {
  return manager.exists(TimelineEventEntity, { where: { appealId, stepKey } });
}

export interface NewTimelineEvent {
  stepKey: string;
  type: EventType;
  actor: Actor;
  data: Record<string, unknown>;
}

/**
 * Append an event after the chain head. The caller holds the appeal row lock and stores the
 * returned head (seq, hash) on the appeal in the same transaction.
 */
export async function appendEvent(
  manager: EntityManager,
  appealId: string,
  head: { lastSeq: number; lastHash: string | null },
  event: NewTimelineEvent,
  at: Date,
): Promise<TimelineEvent> {
  // Round-trip through JSON so the hashed data is exactly what jsonb gives back.
  const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
  const unsigned = { seq: head.lastSeq + 1, type: event.type, actor: event.actor, at: at.toISOString(), data };
  const hash = eventHash(appealId, head.lastHash, unsigned);
  await manager.query(
    `INSERT INTO timeline_events (appeal_id, seq, step_key, type, actor_sub, actor_role, at, data, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [appealId, unsigned.seq, event.stepKey, event.type, event.actor.sub, event.actor.role, at, JSON.stringify(data), hash],
  );
  return { ...unsigned, hash };
}
