import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public register: each policy version carries the department's guidance for parent bodies
 * (Markdown, versioned with the policy), decisions are listed newest first, and an arbiter the
 * administrator chooses to publish appears on them by a register name (`public_name`; null: not published).
 */
export class Register1764240000000 implements MigrationInterface {
  name = 'Register1764240000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE policy_versions ADD COLUMN guidance text NOT NULL DEFAULT ''`);
    await db.query(`CREATE INDEX decisions_register_idx ON decisions (decided_at DESC, appeal_id)`);
    await db.query(`ALTER TABLE arbiters ADD COLUMN public_name text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE arbiters DROP COLUMN IF EXISTS public_name`);
    await db.query(`DROP INDEX IF EXISTS decisions_register_idx`);
    await db.query(`ALTER TABLE policy_versions DROP COLUMN IF EXISTS guidance`);
  }
}
