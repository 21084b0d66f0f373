/**
 * The notifications outbox: notice rows, written once each thanks to their dedupe key, and their
 * delivery status. Email and webhook are tracked apart, so a retry redoes only what is left.
 */
import { randomUUID } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
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

/** Counted before the attempt, so an attempt cut short by a crash still shows. */
export async function countDeliveryAttempts(dataSource: DataSource, ids: string[]): Promise<void> {
  await dataSource.query(`UPDATE notifications SET attempts = attempts + 1 WHERE id = ANY($1::uuid[])`, [ids]);
}

export async function markMailed(dataSource: DataSource, id: string, providerMessageId: string, at: Date): Promise<void> {
  await dataSource.query(
    `UPDATE notifications SET status = 'sent', provider_message_id = $2, sent_at = $3 WHERE id = $1 AND status <> 'sent'`,
    [id, providerMessageId, at],
  );
}

export async function markWebhookDelivered(dataSource: DataSource, id: string, at: Date): Promise<void> {
  await dataSource.query(`UPDATE notifications SET webhook_delivered_at = $2 WHERE id = $1 AND webhook_delivered_at IS NULL`, [id, at]);
}

/** A failed email makes the notice `failed`; a failed webhook leaves a sent email `sent`. Either keeps the error. */
export async function recordDeliveryFailure(dataSource: DataSource, id: string, channel: DeliveryChannel, error: string): Promise<void> {
  await dataSource.query(
    `UPDATE notifications SET last_error = $2, status = CASE WHEN status = 'sent' THEN status ELSE 'failed' END WHERE id = $1`,
    [id, `${channel}: ${error}`],
  );
}
