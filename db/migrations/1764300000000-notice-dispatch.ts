import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices are sent by the worker that recorded them, and swept up by any worker when that one
 * died first: `delivered_at` says a notice went by every channel its worker had, and a partial
 * index keeps the sweep's search for the few that did not as small as they are.
 */
export class NoticeDispatch1764300000000 implements MigrationInterface {
  name = 'NoticeDispatch1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notifications ADD COLUMN delivered_at timestamptz`);
    await db.query(`UPDATE notifications SET delivered_at = coalesce(webhook_delivered_at, sent_at) WHERE status = 'sent'`);
    await db.query(`CREATE INDEX notifications_undelivered_idx ON notifications (created_at) WHERE delivered_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX notifications_undelivered_idx`);
    await db.query(`ALTER TABLE notifications DROP COLUMN delivered_at`);
  }
}
