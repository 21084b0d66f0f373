/**
 * Delivery of the notifications outbox: each notice by email and, when configured, by webhook.
 *
 * The worker that recorded a step sends its notices straight after (worker/notice-dispatcher.ts);
 * the `deliverNotice` activity, at the end of an appeal, makes sure every one of them went.
 * Either claims the notices first (row locks, held while they are sent), so two never send one at once.
 *
 * At least once, never silently lost: a notice is marked sent only after the server accepted it.
 * A worker that dies after the server accepted the email but before the notice was marked sent
 * leaves it unsent, so it is sent again: one extra copy per such crash, with the same Message-ID,
 * by which the receiving side drops it.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { decisionsOf, findAppealRows } from '../db/appeals';
import { readWhole } from '../db/content-digest';
import { decisionLetterOf } from '../db/documents';
import { PostgresDocumentStore, type DocumentStore } from '../db/document-store';
import { claimNotices, findNotices, markMailed, markWebhookDelivered, recordDeliveryFailure, undelivered, type DeliveryChannel, type DeliveryProgress } from '../db/notifications';
import type { NoticeKind, RecipientRole } from '../domain/notices';
import type { DeadlineKind } from '../domain/policy';
import { NoticeNotFoundError } from './errors';
import type { MailAttachment, Mailer } from './mailers';
import { renderNotice, type NoticeFacts } from './notice-content';
import { partyOf } from './parties';
import { postNotice, type WebhookTarget } from './webhook';

/** A notice with the facts its message needs. */
interface NoticeToDeliver extends NoticeFacts {
  id: string;
  appealId: string;
  recipient: string;
}

/** A notice with what its email carries, read before it is claimed (or why that could not be read). */
interface ReadyNotice {
  notice: NoticeToDeliver;
  attachments: MailAttachment[] | Error;
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

export type NoticeDelivery = ReturnType<typeof createNoticeDelivery>;

export function createNoticeDelivery({ dataSource, mailer, webhook, registerUrl, documentStore = new PostgresDocumentStore(dataSource), clock = () => new Date() }: DeliveryDependencies) {
  /** The appeal's decision letter (none for an appeal decided before letters were made), checked against its recorded hash. */
  const decisionLetterAttachments = async (appealId: string): Promise<MailAttachment[]> => {
    const letter = await decisionLetterOf(dataSource.manager, appealId);
    if (!letter) return [];
    const { bytes, sha256 } = await readWhole(documentStore.get(letter.id));
    if (sha256 !== letter.sha256) throw new Error(`The stored decision letter ${letter.id} does not match its recorded SHA-256`);
    return [{ filename: letter.fileName, content: bytes, contentType: letter.mediaType }];
  };

  /** Each notice with what its email carries: a decision notice its appeal's letter, read once for all the appeal's notices (the appellant's and the manager's). */
  const withAttachments = async (notices: NoticeToDeliver[]): Promise<ReadyNotice[]> => {
    const letters = new Map<string, MailAttachment[] | Error>();
    const ready: ReadyNotice[] = [];
    for (const notice of notices) {
      const { kind, appealId } = notice;
      if (kind === 'decision' && !letters.has(appealId)) letters.set(appealId, await outcomeOf(() => decisionLetterAttachments(appealId)));
      ready.push({ notice, attachments: kind === 'decision' ? (letters.get(appealId) as MailAttachment[] | Error) : [] });
    }
    return ready;
  };

  const mail = async (notice: NoticeToDeliver, attachments: MailAttachment[] | Error): Promise<string> => {
    if (attachments instanceof Error) throw attachments;
    const content = renderNotice({ ...notice, letterAttached: attachments.length > 0 });
    const { providerMessageId } = await mailer.send({ messageId: messageIdOf(notice.id), to: notice.recipient, ...content, attachments });
    return providerMessageId;
  };

  const post = async (notice: NoticeToDeliver, target: WebhookTarget): Promise<void> => {
    const { id, kind, appealId, recipient, recipientRole, deadline } = notice;
    const payload = { id, kind, appealId, reference: notice.appeal.reference, recipient, recipientRole, deadline, dueAt: notice.dueAt?.toISOString() ?? null };
    await postNotice(target, payload, clock());
  };

  /** Email first, then the webhook; whatever already went out is not sent again. A channel's failure is recorded on the notice and returned. */
  const send = async (db: EntityManager, { notice, attachments }: ReadyNotice, claimed: DeliveryProgress): Promise<Error | undefined> => {
    const failed = async (channel: DeliveryChannel, failure: Error): Promise<Error> => {
      await recordDeliveryFailure(db, notice.id, channel, failure.message);
      return failure;
    };
    if (!claimed.mailed) {
      const mailed = await outcomeOf(() => mail(notice, attachments));
      if (mailed instanceof Error) return failed('mail', mailed);
      await markMailed(db, notice.id, mailed, clock(), webhook !== undefined);
    }
    if (webhook && !claimed.webhookDelivered) {
      const posted = await outcomeOf(() => post(notice, webhook));
      if (posted instanceof Error) return failed('webhook', posted);
      await markWebhookDelivered(db, notice.id, clock());
    }
    return undefined;
  };

  return {
    /**
     * Deliver those of these notices still to go, in one transaction that claims them (those
     * another worker is sending are skipped) and needs no other connection (whatever the messages
     * need is read before), each on its own: one that fails does not hold the others back.
     * Returns the failures, each recorded on its notice, or the database's, and the notices it
     * did not claim.
     */
    async deliver(noticeIds: string[]): Promise<{ failures: Error[]; unclaimed: string[] }> {
      const due = await undelivered(dataSource.manager, noticeIds);
      if (due.length === 0) return { failures: [], unclaimed: [] };
      const ready = await withAttachments(await findNoticesToDeliver(dataSource, due, registerUrl));
      const outcome = await outcomeOf(() =>
        dataSource.transaction(async (db) => {
          const claimed = await claimNotices(db, due);
          const failures: Error[] = [];
          for (const notice of ready) {
            const progress = claimed.get(notice.notice.id);
            const failure = progress && (await send(db, notice, progress));
            if (failure) failures.push(failure);
          }
          return { failures, unclaimed: due.filter((id) => !claimed.has(id)) };
        }),
      );
      return outcome instanceof Error ? { failures: [outcome], unclaimed: [] } : outcome;
    },
  };
}

export function createDeliveryActivities(deps: DeliveryDependencies) {
  const notices = createNoticeDelivery(deps);
  return {
    /**
     * Make sure these notices went, sending any still to go; fails, to be retried, while one
     * fails or another worker is still sending it (never waiting on its lock: a wait would hold a
     * connection the sender may need). Workflows scheduled before a step's notices went together
     * pass a single id.
     */
    async deliverNotice(noticeIds: string | string[]): Promise<void> {
      const ids = typeof noticeIds === 'string' ? [noticeIds] : noticeIds;
      const { failures, unclaimed } = await notices.deliver(ids);
      if (failures.length > 0) throw failures[0];
      // Not claimed: delivered meanwhile, or still being sent by another worker.
      const beingSent = unclaimed.length > 0 ? await undelivered(deps.dataSource.manager, unclaimed) : [];
      if (beingSent.length > 0) throw new Error(`Notices ${beingSent.join(', ')} are being sent by another worker: try again`);
    },
  };
}

/** What `work` resolved to, or the error it failed with. */
async function outcomeOf<T>(work: () => Promise<T>): Promise<T | Error> {
  try {
    return await work();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
