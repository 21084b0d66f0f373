/**
 * Delivery of the notifications outbox: each notice by email and, when configured, by webhook.
 *
 * At least once, never silently lost: a notice is marked sent only after the server accepted it,
 * and a failure is thrown for Temporal to retry. A worker that dies after the server accepted
 * the email but before the notice was marked sent leaves it unsent, so the retry sends it again:
 * one extra copy per such crash, with the same Message-ID, by which the receiving side drops it.
 */
import type { DataSource } from 'typeorm';
import { decisionsOf, findAppealRows } from '../db/appeals';
import { readWhole } from '../db/content-digest';
import { decisionLetterOf } from '../db/documents';
import { PostgresDocumentStore, type DocumentStore } from '../db/document-store';
import {
  countDeliveryAttempts,
  findNotices,
  markMailed,
  markWebhookDelivered,
  recordDeliveryFailure,
  type DeliveryChannel,
} from '../db/notifications';
import type { NoticeKind, RecipientRole } from '../domain/notices';
import type { DeadlineKind } from '../domain/policy';
import { NoticeNotFoundError } from './errors';
import type { MailAttachment, Mailer } from './mailers';
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

/** The notices with these ids, each with the facts its message needs; read with one query per table. */
async function findNoticesToDeliver(dataSource: DataSource, ids: string[], registerUrl?: string): Promise<NoticeToDeliver[]> {
  const db = dataSource.manager;
  const rows = await findNotices(db, ids);
  const missing = ids.filter((id) => !rows.some((row) => row.id === id));
  if (missing.length > 0) throw new NoticeNotFoundError(`No notice ${missing.join(', ')}`);
  const appealIds = [...new Set(rows.map((row) => row.appealId))];
  const appeals = await findAppealRows(db, appealIds);
  const decisions = rows.some((row) => row.kind === 'decision') ? await decisionsOf(db, appealIds) : [];
  const notices: NoticeToDeliver[] = [];
  for (const row of rows) {
    const appeal = appeals.find((a) => a.id === row.appealId);
    if (!appeal) throw new Error(`Notice ${row.id} is of an appeal that does not exist`);
    const recipientRole = row.recipientRole as RecipientRole;
    notices.push({
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
      decision: row.kind === 'decision' ? (decisions.find((d) => d.appealId === appeal.id)?.outcome ?? null) : null,
      guidanceUrl: registerUrl ? guidanceUrl(registerUrl, appeal.departmentCode, appeal.policyVersion) : null,
      mailed: row.status === 'sent',
      webhookDelivered: row.webhookDeliveredAt !== null,
    });
  }
  return notices;
}

/** The register's page of a department's policy version, with its guidance for parent bodies. */
export function guidanceUrl(registerUrl: string, department: string, policyVersion: number): string {
  return `${registerUrl}/register/departments/${department}/versions/${policyVersion}`;
}

export interface DeliveryDependencies {
  dataSource: DataSource;
  /** Where the public register is reached (PUBLIC_URL): a manager's notice links to the guidance there. */
  registerUrl?: string;
  mailer: Mailer;
  webhook?: WebhookTarget;
  /** Where the decision letter a decision notice carries is read from. */
  documentStore?: DocumentStore;
  clock?: () => Date;
}

/** The same on every attempt: receivers drop a second copy by it. */
export const messageIdOf = (noticeId: string): string => `<${noticeId}@mutuals-appeals>`;

export function createDeliveryActivities({ dataSource, mailer, webhook, registerUrl, documentStore = new PostgresDocumentStore(dataSource), clock = () => new Date() }: DeliveryDependencies) {
  const attempt = async (notice: NoticeToDeliver, channel: DeliveryChannel, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      // If the database is down too, the attempt still fails with the delivery's own error.
      await recordDeliveryFailure(dataSource, notice.id, channel, messageOf(error)).catch(() => undefined);
      throw error;
    }
  };

  /** A decision notice carries the decision letter (none for an appeal decided before letters were made), checked against its recorded hash. */
  const attachmentsOf = async (notice: NoticeToDeliver): Promise<MailAttachment[]> => {
    const letter = notice.kind === 'decision' ? await decisionLetterOf(dataSource.manager, notice.appealId) : null;
    if (!letter) return [];
    const { bytes, sha256 } = await readWhole(documentStore.get(letter.id));
    if (sha256 !== letter.sha256) throw new Error(`The stored decision letter ${letter.id} does not match its recorded SHA-256`);
    return [{ filename: letter.fileName, content: bytes, contentType: letter.mediaType }];
  };

  const mail = async (notice: NoticeToDeliver): Promise<void> => {
    const attachments = await attachmentsOf(notice);
    const content = renderNotice({ ...notice, letterAttached: attachments.length > 0 });
    const { providerMessageId } = await mailer.send({ messageId: messageIdOf(notice.id), to: notice.recipient, ...content, attachments });
    await markMailed(dataSource, notice.id, providerMessageId, clock());
  };

  const post = async (notice: NoticeToDeliver, target: WebhookTarget): Promise<void> => {
    const { id, kind, appealId, recipient, recipientRole, deadline } = notice;
    const payload = { id, kind, appealId, reference: notice.appeal.reference, recipient, recipientRole, deadline, dueAt: notice.dueAt?.toISOString() ?? null };
    await postNotice(target, payload, clock());
    await markWebhookDelivered(dataSource, notice.id, clock());
  };

  const webhookDue = (notice: NoticeToDeliver): boolean => webhook !== undefined && !notice.webhookDelivered;

  /** Email first, then the webhook; whatever already went out is not sent again. */
  const deliver = async (notice: NoticeToDeliver): Promise<void> => {
    if (!notice.mailed) await attempt(notice, 'mail', () => mail(notice));
    if (webhook && webhookDue(notice)) await attempt(notice, 'webhook', () => post(notice, webhook));
  };

  return {
    /**
     * Deliver the notices a step wrote, each on its own: one that fails does not hold the others
     * back, and the activity fails (to be retried) if any did. Workflows scheduled before a step's
     * notices went together pass a single id.
     */
    async deliverNotice(noticeIds: string | string[]): Promise<void> {
      const found = await findNoticesToDeliver(dataSource, typeof noticeIds === 'string' ? [noticeIds] : noticeIds, registerUrl);
      const notices = found.filter((notice) => !notice.mailed || webhookDue(notice));
      if (notices.length === 0) return;
      await countDeliveryAttempts(dataSource, notices.map((notice) => notice.id));
      const failures: Error[] = [];
      for (const notice of notices) {
        await deliver(notice).catch((error: unknown) => failures.push(error instanceof Error ? error : new Error(String(error))));
      }
      if (failures.length > 0) throw failures[0];
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
