/**
 * The notifications outbox as delivery sees it: a notice with the facts its message needs, and
 * its delivery status. Email and webhook are tracked apart, so a retry redoes only what is left.
 */
import type { DataSource } from 'typeorm';
import type { DecisionOutcome } from '../domain/decision';
import type { NoticeKind, RecipientRole } from '../domain/notices';
import type { DeadlineKind } from '../domain/policy';
import { partyOf } from './appeals';
import { AppealEntity, DecisionEntity, NotificationEntity } from './entities';

export interface NoticeToDeliver {
  id: string;
  appealId: string;
  kind: NoticeKind;
  deadline: DeadlineKind | null;
  dueAt: Date | null;
  recipient: string;
  recipientRole: RecipientRole;
  recipientName: string | null;
  appeal: { reference: string; proposedMutual: string; parentBody: string; department: string };
  decision: DecisionOutcome | null;
  /** The SMTP server (or outbox) has accepted the email. */
  mailed: boolean;
  webhookDelivered: boolean;
}

export type DeliveryChannel = 'mail' | 'webhook';

export async function findNoticeToDeliver(dataSource: DataSource, id: string): Promise<NoticeToDeliver | null> {
  const db = dataSource.manager;
  const row = await db.findOne(NotificationEntity, { where: { id } });
  if (!row) return null;
  const appeal = await db.findOneOrFail(AppealEntity, { where: { id: row.appealId } });
  const decision = row.kind === 'decision' ? await db.findOne(DecisionEntity, { where: { appealId: appeal.id } }) : null;
  return {
    id: row.id,
    appealId: row.appealId,
    kind: row.kind as NoticeKind,
    deadline: row.deadlineKind as DeadlineKind | null,
    dueAt: row.dueAt,
    recipient: row.recipient,
    recipientRole: row.recipientRole as RecipientRole,
    recipientName: (await partyOf(db, appeal, row.recipientRole as RecipientRole))?.name ?? null,
    appeal: {
      reference: appeal.reference,
      proposedMutual: appeal.proposedMutual.name,
      parentBody: appeal.parentBody.name,
      department: appeal.departmentCode,
    },
    decision: decision?.outcome ?? null,
    mailed: row.status === 'sent',
    webhookDelivered: row.webhookDeliveredAt !== null,
  };
}

/** Counted before the attempt, so an attempt cut short by a crash still shows. */
export async function countDeliveryAttempt(dataSource: DataSource, id: string): Promise<void> {
  await dataSource.query(`UPDATE notifications SET attempts = attempts + 1 WHERE id = $1`, [id]);
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
