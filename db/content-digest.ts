import { createHash } from 'node:crypto';

/** The SHA-256 and size of bytes as they pass through. */
export class ContentDigest {
  private readonly hash = createHash('sha256');
  private size = 0;

  update(chunk: Buffer): Buffer {
    this.hash.update(chunk);
    this.size += chunk.length;
    return chunk;
  }

  /** Once every byte has passed: the SHA-256, hex, and the size. */
  digest(): { sha256: string; size: number } {
    return { sha256: this.hash.digest('hex'), size: this.size };
  }
}

/** The SHA-256 and size of a stream's bytes, read to its end. */
export async function digestOf(stream: AsyncIterable<Buffer>): Promise<{ sha256: string; size: number }> {
  const digest = new ContentDigest();
  for await (const chunk of stream) digest.update(chunk);
  return digest.digest();
}

/** A stream's bytes read whole (for what must have them all: a PDF to parse, a mail attachment), hashed as they come. */
export async function readWhole(stream: AsyncIterable<Buffer>): Promise<{ bytes: Buffer; sha256: string }> {
  const digest = new ContentDigest();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(digest.update(chunk));
  return { bytes: Buffer.concat(chunks), sha256: digest.digest().sha256 };
}
