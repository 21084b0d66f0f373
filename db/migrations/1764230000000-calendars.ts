import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bank holiday calendar as versioned data: each change is a new version holding the whole
 * GOV.UK bank-holidays.json document, what changed from the version before, who changed it,
 * when and why. Deadlines are counted on the latest version. `recalculated_at` is set once every
 * open appeal has been offered the change (the recalculation workflow of that version finished).
 */
export class Calendars1764230000000 implements MigrationInterface {
  name = 'Calendars1764230000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE calendar_versions (
        version integer NOT NULL PRIMARY KEY CHECK (version > 0),
        holidays jsonb NOT NULL,
        changes jsonb NOT NULL,
        reason text NOT NULL,
        changed_by varchar(200) NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        recalculated_at timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS calendar_versions`);
  }
}
