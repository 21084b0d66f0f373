import { Column, Entity, PrimaryColumn } from 'typeorm';

export type NotificationStatus = 'pending' | 'sent' | 'failed';

/** The outbox: one row per notice to one recipient, written exactly once thanks to `dedupeKey`. */
@Entity({ name: 'notifications' })
export class NotificationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ name: 'dedupe_key', type: 'text', unique: true })
  dedupeKey: string;

  @Column({ type: 'varchar', length: 48 })
  kind: string;

  @Column({ name: 'deadline_kind', type: 'varchar', length: 32, nullable: true })
  deadlineKind: string | null;

  @Column({ type: 'text' })
  recipient: string;

  @Column({ name: 'recipient_role', type: 'varchar', length: 16 })
  recipientRole: string;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: NotificationStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId: string | null;

  /** When the SMTP server (or the outbox) accepted the email: set together with status `sent`. */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** When the webhook receiver acknowledged the notice; null while none is configured or it has not yet. */
  @Column({ name: 'webhook_delivered_at', type: 'timestamptz', nullable: true })
  webhookDeliveredAt: Date | null;

  /** When the notice went by every channel the delivering worker had (email, and the webhook if configured). */
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
