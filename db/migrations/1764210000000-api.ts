import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the API keeps of its own: Idempotency-Keys of POST /v1/appeals, and the indexes that keep
 * a page of appeals filtered by `q` (part of the reference or of the mutual's name) fast.
 *
 * The `q` indexes are trigram indexes (pg_trgm, shipped with PostgreSQL and trusted since 13).
 * The extension is created in `public` so that every schema of the database (tests use one per
 * run) shares it and dropping a schema never drops it. Where the database user may not create
 * it and nobody has, the indexes are skipped and `q` still works, by scanning.
 */
export class Api1764210000000 implements MigrationInterface {
  name = 'Api1764210000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE idempotency_keys (
        caller_sub text NOT NULL,
        key text NOT NULL,
        request_hash char(64) NOT NULL,
        resource_id uuid NOT NULL,
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        answered_at timestamptz,
        PRIMARY KEY (caller_sub, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);

    await db.query(`
      DO $$ BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
      EXCEPTION WHEN insufficient_privilege OR unique_violation OR duplicate_object OR invalid_schema_name THEN
        RAISE NOTICE 'pg_trgm not created (%): q filters will scan', SQLERRM;
      END $$`);
    const [trgm] = (await db.query(
      `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`,
    )) as { schema: string }[];
    if (trgm) {
      const ops = `"${trgm.schema}".gin_trgm_ops`;
      await db.query(`CREATE INDEX appeals_reference_trgm_idx ON appeals USING gin (reference ${ops})`);
      await db.query(`CREATE INDEX appeals_mutual_name_trgm_idx ON appeals USING gin ((proposed_mutual->>'name') ${ops})`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS appeals_mutual_name_trgm_idx`);
    await db.query(`DROP INDEX IF EXISTS appeals_reference_trgm_idx`);
    await db.query(`DROP TABLE IF EXISTS idempotency_keys`);
  }
}
