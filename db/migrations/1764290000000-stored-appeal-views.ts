import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case record as last recorded, kept on the appeal row: the recording writes it in the
 * transaction that changes the appeal, so a read returns it as stored instead of building it.
 * A row without one (recorded before this, or bulk-seeded) is built on read, as before.
 * `json`, not `jsonb`: the keys keep the order the API documents.
 */
export class StoredAppealViews1764290000000 implements MigrationInterface {
  name = 'StoredAppealViews1764290000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE appeals ADD COLUMN view json`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE appeals DROP COLUMN view`);
  }
}
