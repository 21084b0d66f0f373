/**
 * Delivery of the notifications outbox: each notice by email and, when configured, by webhook.
 *
 * At least once, never silently lost: a notice is marked sent only after the server accepted it,
 * and a failure is thrown for Temporal to retry. A worker that dies after the server accepted
 * the email but before the notice was marked sent leaves it unsent, so the retry sends it again:
 * one extra copy per such crash, with the same Message-ID, by which the receiving side drops it.
 */
import type { DataSource } from 'typeorm';
import {
  countDeliveryAttempt,
  findNoticeToDeliver,
  markMailed,
  markWebhookDelivered,
  recordDeliveryFailure,
  type DeliveryChannel,
  type NoticeToDeliver,
} from '../db/notifications';
import { NoticeNotFoundError } from './errors';
import type { Mailer } from './mailers';
import { renderNotice } from './notice-content';
import { postNotice, type WebhookTarget } from './webhook';

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
