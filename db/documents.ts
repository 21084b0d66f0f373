/**
 * The documents of an appeal: each row what a document is and who added it when; its bytes are
 * the document store's (db/document-store.ts), under the same id. Rows are only ever inserted.
 */
import type { EntityManager } from 'typeorm';
import type { Actor } from '../domain/appeal';
import type { DocumentCategory, DocumentMediaType, DocumentRecord, ScanResult } from '../domain/documents';

/** A document as it is listed: what it is, and who added it when. */
export interface StoredDocument extends DocumentRecord {
  appealId: string;
  uploadedBy: Actor;
  uploadedAt: string;
}

interface DocumentRow {
  id: string;
  appeal_id: string;
  category: DocumentCategory;
  title: string;
  file_name: string;
  media_type: DocumentMediaType;
  size: string;
  sha256: string;
  scan: ScanResult;
  supersedes: string | null;
  uploaded_by: string;
  uploaded_by_role: Actor['role'];
  uploaded_at: Date;
}

const fromRow = (row: DocumentRow): StoredDocument => ({
  id: row.id,
  appealId: row.appeal_id,
  category: row.category,
  title: row.title,
  fileName: row.file_name,
  mediaType: row.media_type,
  size: Number(row.size),
  sha256: row.sha256,
  scan: row.scan,
  supersedes: row.supersedes,
  uploadedBy: { sub: row.uploaded_by, role: row.uploaded_by_role },
  uploadedAt: row.uploaded_at.toISOString(),
});

/** Record a document whose bytes are stored; once per id (a retried step finds it written). */
export async function insertDocument(db: EntityManager, appealId: string, document: DocumentRecord, by: Actor, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO documents (id, appeal_id, category, title, file_name, media_type, size, sha256, scan, supersedes, uploaded_by, uploaded_by_role, uploaded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [document.id, appealId, document.category, document.title, document.fileName, document.mediaType, document.size, document.sha256, document.scan, document.supersedes, by.sub, by.role, at],
  );
}

export async function appealDocuments(db: EntityManager, appealId: string): Promise<StoredDocument[]> {
  const rows = await db.query<DocumentRow[]>(`SELECT * FROM documents WHERE appeal_id = $1 ORDER BY uploaded_at, id`, [appealId]);
  return rows.map(fromRow);
}

export async function findDocument(db: EntityManager, appealId: string, id: string): Promise<StoredDocument | null> {
  const [row] = await db.query<DocumentRow[]>(`SELECT * FROM documents WHERE appeal_id = $1 AND id = $2`, [appealId, id]);
  return row ? fromRow(row) : null;
}

/** The appeal's decision letter, once the engine has made it (at most one: a unique index). */
export async function decisionLetterOf(db: EntityManager, appealId: string): Promise<StoredDocument | null> {
  const [row] = await db.query<DocumentRow[]>(`SELECT * FROM documents WHERE appeal_id = $1 AND category = 'decision_letter'`, [appealId]);
  return row ? fromRow(row) : null;
}

export async function countDocuments(db: EntityManager, appealId: string): Promise<number> {
  const [{ n }] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM documents WHERE appeal_id = $1`, [appealId]);
  return n;
}

/** The SHA-256 the appeal's timeline recorded for a document, if it has its event. */
export async function timelineDigest(db: EntityManager, appealId: string, id: string): Promise<string | null> {
  const [row] = await db.query<{ sha256: string }[]>(
    `SELECT data->>'sha256' AS sha256 FROM timeline_events WHERE appeal_id = $1 AND type = 'document_added' AND data->>'id' = $2`,
    [appealId, id],
  );
  return row?.sha256 ?? null;
}
