import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A document's bytes may be kept outside PostgreSQL (DOCUMENT_STORE=s3), so a document no longer
 * references a `document_blobs` row. The bytes of a recorded document that are kept here still
 * cannot be deleted: a trigger refuses it where the foreign key did.
 */
export class DocumentStores1764265000000 implements MigrationInterface {
  name = 'DocumentStores1764265000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE documents DROP CONSTRAINT IF EXISTS documents_id_fkey`);
    await db.query(`
      CREATE FUNCTION keep_recorded_document_blob() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM documents WHERE id = OLD.id) THEN
          RAISE EXCEPTION 'the bytes of document % are kept as long as it is recorded: delete refused', OLD.id
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN OLD;
      END $$`);
    await db.query(`
      CREATE TRIGGER recorded_document_blobs_are_kept BEFORE DELETE ON document_blobs
      FOR EACH ROW EXECUTE FUNCTION keep_recorded_document_blob()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER IF EXISTS recorded_document_blobs_are_kept ON document_blobs`);
    await db.query(`DROP FUNCTION IF EXISTS keep_recorded_document_blob()`);
    await db.query(`ALTER TABLE documents ADD CONSTRAINT documents_id_fkey FOREIGN KEY (id) REFERENCES document_blobs(id)`);
  }
}
