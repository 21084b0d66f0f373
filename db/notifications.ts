/**
 * The notifications outbox: notice rows, written once each thanks to their dedupe key, and their
 * delivery status. Email and webhook are tracked apart, so a retry redoes only what is left.
 */
import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import type { NoticeKind, RecipientRole } from '../domain/notices';
import type { DeadlineKind } from '../domain/policy';
import { NotificationEntity } from './entities';

export type DeliveryChannel = 'mail' | 'webhook';

export interface NewNotice {
  appealId: string;
  dedupeKey: string;
  kind: NoticeKind;
  deadlineKind: DeadlineKind | null;
  recipient: string;
  recipientRole: RecipientRole;
  dueAt: Date | null;
  createdAt: Date;
}

/** Write a notice unless one with its dedupe key was written already. */
export async function insertNotice(db: EntityManager, notice: NewNotice): Promise<void> {
  await db
    .createQueryBuilder()
    .insert()
    .into(NotificationEntity)
    .values({ id: randomUUID(), ...notice, status: 'pending', attempts: 0 })
    .orIgnore()
    .execute();
}

/** The ids of the notices with these dedupe keys, in the order of the keys. */
export async function noticeIdsOf(db: EntityManager, dedupeKeys: string[]): Promise<string[]> {
  const rows = await db.find(NotificationEntity, { select: { id: true, dedupeKey: true }, where: { dedupeKey: In(dedupeKeys) } });
  return dedupeKeys.flatMap((key) => rows.filter((row) => row.dedupeKey === key).map((row) => row.id));
}

/** The notices with these ids, in the order of the ids. */
export async function findNotices(db: EntityManager, ids: string[]): Promise<NotificationEntity[]> {
  const rows = await db.find(NotificationEntity, { where: { id: In(ids) } });
  return ids.flatMap((id) => rows.filter((row) => row.id === id));
}

/** How far a claimed notice's delivery got. */
export interface DeliveryProgress {
  mailed: boolean;
  webhookDelivered: boolean;
}

/**
 * Those of the notices `ids` still to be delivered and held by no one else, locked for this
 * transaction and their attempt counted: two never send the same notice at once, and a notice
 * sent and committed meanwhile is not claimed again.
 */
export async function claimNotices(db: EntityManager, ids: string[]): Promise<Map<string, DeliveryProgress>> {
  const [rows]: [{ id: string; status: string; webhook_delivered_at: Date | null }[], number] = await db.query(
    `UPDATE notifications SET attempts = attempts + 1
      WHERE id IN (SELECT id FROM notifications WHERE id = ANY($1::uuid[]) AND delivered_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED)
      RETURNING id, status, webhook_delivered_at`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, { mailed: row.status === 'sent', webhookDelivered: row.webhook_delivered_at !== null }]));
}

/** Those of `ids` not yet delivered. */
export async function undelivered(db: EntityManager, ids: string[]): Promise<string[]> {
  const rows: { id: string }[] = await db.query(`SELECT id FROM notifications WHERE id = ANY($1::uuid[]) AND delivered_at IS NULL`, [ids]);
  return ids.filter((id) => rows.some((row) => row.id === id));
}

/** Notices written before `before` and still not delivered, oldest first: those whose own worker died or failed to send them. */
export async function undeliveredSince(db: EntityManager, before: Date, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `SELECT id FROM notifications WHERE delivered_at IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2`,
    [before, limit],
  );
  return rows.map((row) => row.id);
}

/** The email went; with no webhook to follow, so did the notice. */
export async function markMailed(db: EntityManager, id: string, providerMessageId: string, at: Date, webhookToFollow: boolean): Promise<void> {
  await db.query(
    `UPDATE notifications SET status = 'sent', provider_message_id = $2, sent_at = $3, delivered_at = CASE WHEN $4::boolean THEN NULL ELSE $3::timestamptz END WHERE id = $1`,
    [id, providerMessageId, at, webhookToFollow],
  );
}

/** The webhook goes after the email: once it went, the notice is delivered. */
export async function markWebhookDelivered(db: EntityManager, id: string, at: Date): Promise<void> {
  await db.query(`UPDATE notifications SET webhook_delivered_at = $2, delivered_at = $2 WHERE id = $1`, [id, at]);
}

/** A failed email makes the notice `failed`; a failed webhook leaves a sent email `sent`. Either keeps the error. */
export async function recordDeliveryFailure(db: EntityManager, id: string, channel: DeliveryChannel, error: string): Promise<void> {
  await db.query(
    `UPDATE notifications SET last_error = $2, status = CASE WHEN status = 'sent' THEN status ELSE 'failed' END WHERE id = $1`,
    [id, `${channel}: ${error}`],
  );
}
