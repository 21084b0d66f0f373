/**
 * Where a document's bytes are kept: in PostgreSQL (the default), or in an S3-compatible bucket
 * (db/s3-document-store.ts). PostgreSQL's streams the bytes into 256 KiB rows of
 * `document_chunks` inside one transaction, so a stream that fails part-way (a refused upload)
 * leaves nothing behind, and at most one chunk is held in memory.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { DocumentStoreConfig } from '../config';
import { ContentDigest } from './content-digest';
import { S3DocumentStore } from './s3-document-store';

export interface StoredBlob {
  id: string;
  /** Hex. */
  sha256: string;
  size: number;
}

export interface DocumentStore {
  /** Store the stream's bytes; nothing is kept if the stream fails. */
  put(stream: AsyncIterable<Buffer>): Promise<StoredBlob>;
  get(id: string): Readable;
  /** Forget bytes no document was recorded for (the appeal refused it). */
  delete(id: string): Promise<void>;
}

export const CHUNK_BYTES = 256 * 1024;

/** The store DOCUMENT_STORE names. */
export function createDocumentStore(config: DocumentStoreConfig, dataSource: DataSource): DocumentStore {
  return config.kind === 's3' ? new S3DocumentStore(config) : new PostgresDocumentStore(dataSource);
}

export class PostgresDocumentStore implements DocumentStore {
  constructor(private readonly dataSource: DataSource) {}

  async put(stream: AsyncIterable<Buffer>): Promise<StoredBlob> {
    const id = randomUUID();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`INSERT INTO document_blobs (id, size, sha256) VALUES ($1, 0, '')`, [id]);
      const digest = new ContentDigest();
      let n = 0;
      for await (const chunk of rechunk(stream, CHUNK_BYTES)) {
        await runner.query(`INSERT INTO document_chunks (blob_id, n, bytes) VALUES ($1, $2, $3)`, [id, n++, digest.update(chunk)]);
      }
      const { sha256, size } = digest.digest();
      await runner.query(`UPDATE document_blobs SET size = $2, sha256 = $3 WHERE id = $1`, [id, size, sha256]);
      await runner.commitTransaction();
      return { id, sha256, size };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** The bytes, one chunk read at a time. */
  get(id: string): Readable {
    const { dataSource } = this;
    return Readable.from(
      (async function* () {
        for (let n = 0; ; n++) {
          const [row] = await dataSource.query<{ bytes: Buffer }[]>(`SELECT bytes FROM document_chunks WHERE blob_id = $1 AND n = $2`, [id, n]);
          if (!row) return;
          yield row.bytes;
        }
      })(),
    );
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM document_blobs WHERE id = $1`, [id]);
  }
}

/** The stream's bytes in pieces of `size` (the last one shorter). */
async function* rechunk(stream: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const piece of stream) {
    pending.push(piece);
    length += piece.length;
    while (length >= size) {
      const whole = Buffer.concat(pending, length);
      yield whole.subarray(0, size);
      pending = [whole.subarray(size)];
      length -= size;
    }
  }
  if (length > 0) yield Buffer.concat(pending, length);
}
