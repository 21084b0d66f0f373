import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Documents on an appeal. The bytes are stored apart from what they are (`document_blobs` and
 * its 256 KiB `document_chunks`, written by the document store in one transaction); a document
 * (`documents`) is recorded with its `document_added` timeline event by the workflow's recording
 * activity, and is never changed or deleted: a new version is a new document that supersedes it.
 */
export class Documents1764260000000 implements MigrationInterface {
  name = 'Documents1764260000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE document_blobs (
        id uuid PRIMARY KEY,
        size bigint NOT NULL CHECK (size >= 0),
        sha256 char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE document_chunks (
        blob_id uuid NOT NULL REFERENCES document_blobs(id) ON DELETE CASCADE,
        n integer NOT NULL CHECK (n >= 0),
        bytes bytea NOT NULL,
        PRIMARY KEY (blob_id, n)
      )`);
    await db.query(`
      CREATE TABLE documents (
        id uuid PRIMARY KEY REFERENCES document_blobs(id),
        appeal_id uuid NOT NULL REFERENCES appeals(id),
        category varchar(32) NOT NULL,
        title text NOT NULL,
        file_name text NOT NULL,
        media_type varchar(128) NOT NULL,
        size bigint NOT NULL,
        sha256 char(64) NOT NULL,
        scan varchar(16) NOT NULL,
        supersedes uuid REFERENCES documents(id),
        uploaded_by text NOT NULL,
        uploaded_by_role varchar(16) NOT NULL,
        uploaded_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX documents_appeal_idx ON documents (appeal_id, uploaded_at)`);
    await db.query(`
      CREATE FUNCTION refuse_document_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'document % is never changed or deleted: % refused', OLD.id, TG_OP
          USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER documents_are_never_replaced BEFORE UPDATE OR DELETE ON documents
      FOR EACH ROW EXECUTE FUNCTION refuse_document_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS documents`);
    await db.query(`DROP TABLE IF EXISTS document_chunks`);
    await db.query(`DROP TABLE IF EXISTS document_blobs`);
    await db.query(`DROP FUNCTION IF EXISTS refuse_document_change()`);
  }
}
