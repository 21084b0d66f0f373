/**
 * Delivery of the notifications outbox: each notice by email and, when configured, by webhook.
 *
 * At least once, never silently lost: a notice is marked sent only after the server accepted it,
 * and a failure is thrown for Temporal to retry. A worker that dies after the server accepted
 * the email but before the notice was marked sent leaves it unsent, so the retry sends it again:
 * one extra copy per such crash, with the same Message-ID, by which the receiving side drops it.
 */
import type { DataSource } from 'typeorm';
import { decisionsOf, findAppealRow } from '../db/appeals';
import {
  countDeliveryAttempt,
  findNotice,
  markMailed,
  markWebhookDelivered,
  recordDeliveryFailure,
  type DeliveryChannel,
} from '../db/notifications';
import type { NoticeKind, RecipientRole } from '../domain/notices';
import type { DeadlineKind } from '../domain/policy';
import { NoticeNotFoundError } from './errors';
import type { Mailer } from './mailers';
import { renderNotice, type NoticeFacts } from './notice-content';
import { partyOf } from './parties';
import { postNotice, type WebhookTarget } from './webhook';

/** A notice with the facts its message needs, and how far its delivery got. */
interface NoticeToDeliver extends NoticeFacts {
  id: string;
  appealId: string;
  recipient: string;
  /** The SMTP server (or outbox) has accepted the email. */
  mailed: boolean;
  webhookDelivered: boolean;
}

async function findNoticeToDeliver(dataSource: DataSource, id: string): Promise<NoticeToDeliver | null> {
  const db = dataSource.manager;
  const row = await findNotice(db, id);
  if (!row) return null;
  const appeal = await findAppealRow(db, row.appealId);
  if (!appeal) throw new Error(`Notice ${id} is of an appeal that does not exist`);
  const [decision] = row.kind === 'decision' ? await decisionsOf(db, [appeal.id]) : [];
  const recipientRole = row.recipientRole as RecipientRole;
  return {
    id: row.id,
    appealId: row.appealId,
    kind: row.kind as NoticeKind,
    deadline: row.deadlineKind as DeadlineKind | null,
    dueAt: row.dueAt,
    recipient: row.recipient,
    recipientRole,
    recipientName: (await partyOf(db, appeal, recipientRole))?.name ?? null,
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

export interface DeliveryDependencies {
  dataSource: DataSource;
  mailer: Mailer;
  webhook?: WebhookTarget;
  clock?: () => Date;
}

/** The same on every attempt: receivers drop a second copy by it. */
export const messageIdOf = (noticeId: string): string => `<${noticeId}@mutuals-appeals>`;

export function createDeliveryActivities({ dataSource, mailer, webhook, clock = () => new Date() }: DeliveryDependencies) {
  const attempt = async (notice: NoticeToDeliver, channel: DeliveryChannel, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      // If the database is down too, the attempt still fails with the delivery's own error.
      await recordDeliveryFailure(dataSource, notice.id, channel, messageOf(error)).catch(() => undefined);
      throw error;
    }
  };

  const mail = async (notice: NoticeToDeliver): Promise<void> => {
    const content = renderNotice(notice);
    const { providerMessageId } = await mailer.send({ messageId: messageIdOf(notice.id), to: notice.recipient, ...content });
    await markMailed(dataSource, notice.id, providerMessageId, clock());
  };

  const post = async (notice: NoticeToDeliver, target: WebhookTarget): Promise<void> => {
    const { id, kind, appealId, recipient, recipientRole, deadline } = notice;
    const payload = { id, kind, appealId, reference: notice.appeal.reference, recipient, recipientRole, deadline, dueAt: notice.dueAt?.toISOString() ?? null };
    await postNotice(target, payload, clock());
    await markWebhookDelivered(dataSource, notice.id, clock());
  };

  return {
    /** Deliver one notice: email first, then the webhook; whatever already went out is not sent again. */
    async deliverNotice(noticeId: string): Promise<void> {
      const notice = await findNoticeToDeliver(dataSource, noticeId);
      if (!notice) throw new NoticeNotFoundError(`No notice ${noticeId}`);
      const webhookDue = webhook !== undefined && !notice.webhookDelivered;
      if (notice.mailed && !webhookDue) return;
      await countDeliveryAttempt(dataSource, notice.id);
      if (!notice.mailed) await attempt(notice, 'mail', () => mail(notice));
      if (webhook && webhookDue) await attempt(notice, 'webhook', () => post(notice, webhook));
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
