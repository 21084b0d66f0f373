/**
 * The checks an uploaded file passes on its way to the store, as it streams: its type from its
 * first bytes (never its name or the header), its size, that a PDF parses, and the virus scan.
 * A refusal fails the stream, so the store's transaction rolls back and nothing is kept.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { PDFDocument } from 'pdf-lib';
import { DOCUMENT_MEDIA_TYPES, type DocumentMediaType, type ScanResult } from '../../domain/documents';
import { AppError, badRequest, unprocessable } from '../errors';
import type { VirusScanner } from './scanner';

/** How much of the start of a file the type is detected from (enough for a zip's first entries). */
export const SNIFF_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const unsupported = (detail: string) => new AppError(415, detail);

/**
 * The type of a file from its first bytes: file-type's answer, or CSV for a name ending .csv whose
 * first bytes are UTF-8 text without NUL (file-type cannot detect text). Undefined: not taken.
 */
export async function detectType(head: Buffer, fileName: string): Promise<DocumentMediaType | undefined> {
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime in DOCUMENT_MEDIA_TYPES ? (detected.mime as DocumentMediaType) : undefined;
  return /\.csv$/i.test(fileName) && isText(head) ? 'text/csv' : undefined;
}

function isText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  try {
    utf8.decode(head, { stream: true }); // a character cut at the end of the head is not an error
    return true;
  } catch {
    return false;
  }
}

/** What the inspector found, once the stream has ended. */
export interface Inspection {
  mediaType: DocumentMediaType;
  scan: ScanResult;
}

/** A pass-through that refuses what may not be stored; `result` is known once it has flushed. */
export class DocumentInspector extends Transform {
  result: Inspection | undefined;
  private head: Buffer[] = [];
  private headLength = 0;
  private mediaType: DocumentMediaType | undefined;
  /** A PDF is parsed whole at the end: kept, at most the size limit. */
  private pdf: Buffer[] = [];
  private readonly scan;

  constructor(
    private readonly fileName: string,
    scanner: VirusScanner,
  ) {
    super();
    this.scan = scanner.start();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.inspect(chunk).then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    this.finish().then(() => done(), done);
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    this.scan.cancel();
    done(error);
  }

  private async inspect(chunk: Buffer): Promise<void> {
    if (this.mediaType) return this.pass(chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength >= SNIFF_BYTES) await this.identify();
  }

  private async identify(): Promise<void> {
    const head = Buffer.concat(this.head, this.headLength);
    this.head = [];
    const mediaType = await detectType(head, this.fileName);
    if (!mediaType) throw unsupported(`Only ${Object.values(DOCUMENT_MEDIA_TYPES).join(', ')} are taken; this file's content is none of them`);
    this.mediaType = mediaType;
    await this.pass(head);
  }

  /** On to the store, and to the scanner as fast as it takes it. */
  private async pass(chunk: Buffer): Promise<void> {
    if (this.mediaType === 'application/pdf') this.pdf.push(chunk);
    this.push(chunk);
    await this.scan.write(chunk);
  }

  private async finish(): Promise<void> {
    if (!this.mediaType && this.headLength === 0) throw badRequest('The file is empty', [{ path: 'body.file', message: 'empty' }]);
    if (!this.mediaType) await this.identify();
    if (this.mediaType === 'application/pdf') await parsePdf(Buffer.concat(this.pdf));
    this.pdf = [];
    const scan = await this.scan.finish();
    if (scan === 'infected') throw unprocessable('The virus scan refused the file', [{ path: 'body.file', message: 'infected' }]);
    this.result = { mediaType: this.mediaType as DocumentMediaType, scan };
  }
}

async function parsePdf(bytes: Buffer): Promise<void> {
  try {
    await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    throw new AppError(422, `The PDF does not parse: ${error instanceof Error ? error.message.slice(0, 200) : 'unreadable'}`, { cause: error });
  }
}
