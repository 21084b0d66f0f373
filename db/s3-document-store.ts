/**
 * Documents' bytes in an S3-compatible bucket (DOCUMENT_STORE=s3), one object per document under
 * `documents/<id>`. An upload streams through lib-storage's multipart Upload one 5 MiB part at a
 * time, hashed as it passes; an upload that fails part-way (a refused file) is aborted and its
 * object deleted, so nothing is kept. Credentials come through the AWS SDK's usual chain.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ContentDigest } from './content-digest';
import type { DocumentStore, StoredBlob } from './document-store';

export interface S3Settings {
  /** Absent: AWS itself. */
  endpoint?: string;
  bucket: string;
  region: string;
  forcePathStyle: boolean;
}

/** The smallest part S3 takes; one is held in memory per upload (queueSize 1). */
const PART_BYTES = 5 * 1024 * 1024;

const keyOf = (id: string) => `documents/${id}`;

async function* hashed(stream: AsyncIterable<Buffer>, digest: ContentDigest): AsyncGenerator<Buffer> {
  for await (const chunk of stream) yield digest.update(chunk);
}

export class S3DocumentStore implements DocumentStore {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      // Checksums only where S3 requires them: stores that call themselves S3-compatible often take no others.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(stream: AsyncIterable<Buffer>): Promise<StoredBlob> {
    const id = randomUUID();
    const digest = new ContentDigest();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.settings.bucket, Key: keyOf(id), Body: Readable.from(hashed(stream, digest)) },
      partSize: PART_BYTES,
      queueSize: 1,
    });
    try {
      await upload.done();
    } catch (error) {
      await this.delete(id).catch(() => undefined);
      throw error;
    }
    return { id, ...digest.digest() };
  }

  /** The bytes as S3 streams them; none for an object that is not there (verification then finds the difference). */
  get(id: string): Readable {
    const { client, settings } = this;
    return Readable.from(
      (async function* () {
        try {
          const { Body } = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: keyOf(id) }));
          yield* Body as Readable;
        } catch (error) {
          if (!(error instanceof NoSuchKey)) throw error;
        }
      })(),
    );
  }

  async delete(id: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: keyOf(id) }));
  }

  /** Close the client's connections. */
  destroy(): void {
    this.client.destroy();
  }
}
