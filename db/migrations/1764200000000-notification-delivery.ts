import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery of notices: the webhook is tracked apart from the email, so a retry after a webhook
 * failure does not send the email again.
 */
export class NotificationDelivery1764200000000 implements MigrationInterface {
  name = 'NotificationDelivery1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notifications ADD COLUMN webhook_delivered_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notifications DROP COLUMN webhook_delivered_at`);
  }
}
