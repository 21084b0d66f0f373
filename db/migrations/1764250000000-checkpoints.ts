import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed checkpoints: now and then the engine hashes every appeal's latest timeline event into a
 * Merkle root and signs it with a key kept outside the database (domain/checkpoint.ts says what
 * is hashed and signed). The leaves are kept, in leaf order, so that an inclusion proof can be
 * served for any appeal later. Like the timeline, a checkpoint is never changed or removed.
 */
export class Checkpoints1764250000000 implements MigrationInterface {
  name = 'Checkpoints1764250000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE checkpoints (
        id serial PRIMARY KEY,
        created_at timestamptz NOT NULL,
        appeal_count integer NOT NULL CHECK (appeal_count >= 0),
        root char(64) NOT NULL,
        signature text NOT NULL,
        key_id char(16) NOT NULL,
        public_key text NOT NULL,
        leaves jsonb NOT NULL CHECK (jsonb_typeof(leaves) = 'array' AND jsonb_array_length(leaves) = appeal_count)
      )`);
    // The newest checkpoint holding a reference: GET /v1/public/checkpoints?reference=… and the verify command's default.
    await db.query(`CREATE INDEX checkpoints_leaves_idx ON checkpoints USING gin (leaves jsonb_path_ops)`);
    await db.query(`
      CREATE FUNCTION refuse_checkpoint_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'checkpoints are never changed: % refused', TG_OP
          USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER checkpoints_are_final BEFORE UPDATE OR DELETE ON checkpoints
      FOR EACH ROW EXECUTE FUNCTION refuse_checkpoint_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS checkpoints`);
    await db.query(`DROP FUNCTION IF EXISTS refuse_checkpoint_change()`);
  }
}
