/**
 * Documents on an appeal. An upload is checked as it streams into the store (inspect.ts); once the
 * bytes are kept, the appeal's workflow is sent `addDocument`, whose recording writes the document
 * and its `document_added` event (with the SHA-256) in one transaction under the appeal's lock. If
 * the appeal refuses it, the bytes are deleted. Reads are scoped exactly as the appeal is.
 */
import type { Readable } from 'node:stream';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { letterHtml } from '../../activities/decision-letter';
import { decisionLetterFacts } from '../../db/decision-letters';
import { appealDocuments, countDocuments, decisionLetterOf, findDocument, timelineDigest, type StoredDocument } from '../../db/documents';
import { decisionLetter } from '../../domain/decision-letter';
import { digestOf } from '../../db/content-digest';
import type { DocumentStore } from '../../db/document-store';
import { findIdempotencyKey, releaseIdempotencyKey, saveIdempotentResponse, type IdempotencyRecord } from '../../db/idempotency-keys';
import { mayFetchBundle } from '../../domain/bundle';
import { documentsOpen, mayUpload, MAX_DOCUMENTS_PER_APPEAL, sanitiseFileName, type DocumentRecord } from '../../domain/documents';
import { addDocumentUpdate } from '../../workflows/shared';
import type { AppealService } from '../appeals/service';
import type { Caller } from '../context';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../errors';
import type { Upload } from '../calls';
import { claimKey, sameRequest } from '../idempotency';
import type { IncomingFile } from '../multipart';
import { parse } from '../validation';
import { hearingBundle, type HearingBundle } from './bundle';
import { DocumentInspector } from './inspect';
import type { VirusScanner } from './scanner';
import { DocumentFieldsSchema } from './schemas';

type DocumentFields = z.infer<typeof DocumentFieldsSchema>;

export interface DocumentServiceDeps {
  dataSource: DataSource;
  appeals: AppealService;
  store: DocumentStore;
  scanner: VirusScanner;
  maxBytes: number;
}

/** An answer to an upload: the document, or the first answer again when an Idempotency-Key repeats. */
export interface Added {
  status: number;
  document: StoredDocument;
  replayed: boolean;
}

/** What an upload under an Idempotency-Key asks for: the appeal, the fields and file name as sent, and the file's SHA-256. */
const uploadRequest = (appealId: string, incoming: IncomingFile, sha256: string) => ({
  action: 'uploadDocument',
  appealId,
  fields: incoming.fields,
  fileName: incoming.fileName,
  sha256,
});

/** A document to download: what it is, and its bytes. */
export interface Download {
  document: StoredDocument;
  content: Readable;
}

/** `Content-Disposition: attachment` with the (already sanitised) name: an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** RFC 9530's Repr-Digest of a hex SHA-256. */
export const reprDigest = (sha256: string): string => `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`;

/** The headers of a download, for the API and the pages alike: the stored type, never sniffed, as an attachment, with its digest. */
export function downloadHeaders(document: StoredDocument): Record<string, string> {
  return {
    'Content-Type': document.mediaType,
    'Content-Length': String(document.size),
    'Content-Disposition': attachment(document.fileName),
    'X-Content-Type-Options': 'nosniff',
    'Repr-Digest': reprDigest(document.sha256),
  };
}

/** The answer to a request for the hearing bundle, for the API and the pages alike: 304 when the client holds this very bundle. */
export interface BundleAnswer {
  status: 200 | 304;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

export async function bundleAnswer(bundle: HearingBundle, ifNoneMatch: string | undefined): Promise<BundleAnswer> {
  const headers = {
    'Content-Type': 'application/pdf',
    'Content-Disposition': attachment(bundle.fileName),
    'X-Content-Type-Options': 'nosniff',
    ETag: bundle.etag,
    'Cache-Control': 'private, no-cache',
  };
  if (heldAlready(ifNoneMatch, bundle.etag)) return { status: 304, headers, body: undefined };
  return { status: 200, headers, body: await bundle.pdf() };
}

/** If-None-Match names this ETag (compared weakly, RFC 9110 13.1.2), or is `*`. */
export function heldAlready(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const given = tag.trim().replace(/^W\//, '');
    return given === '*' || given === etag;
  });
}

export class DocumentService {
  constructor(private readonly deps: DocumentServiceDeps) {}

  get maxBytes(): number {
    return this.deps.maxBytes;
  }

  /** Before the body is read: the appeal is the caller's to add to, and still takes documents. */
  async checkAppeal(caller: Caller, appealId: string): Promise<void> {
    const appeal = await this.deps.appeals.visibleRow(caller, appealId);
    if (!documentsOpen(appeal.status)) throw conflict(`Documents cannot be added to an appeal that is ${appeal.status}`);
  }

  /**
   * An upload through the API. With an Idempotency-Key, the request is fingerprinted as it streams
   * (the fields, the file name as sent, the file's SHA-256) and the key is claimed once the bytes
   * are stored, for their id: a repeat of an answered key only hashes the file and answers the
   * first answer again (422 for another request), whatever the appeal has become since; a repeat
   * that races the first, or follows one whose answer was lost, drops its own bytes and has the
   * first one's document recorded (the same update id, so once).
   */
  async upload(caller: Caller, appealId: string, upload: Upload, key?: string): Promise<Added> {
    if (!key) {
      await this.checkAppeal(caller, appealId);
      return { status: 201, document: await this.add(caller, appealId, await upload.receive(this.maxBytes)), replayed: false };
    }
    await this.deps.appeals.visibleRow(caller, appealId);
    const answered = await findIdempotencyKey(this.deps.dataSource, caller.sub, key);
    if (answered?.response) {
      const incoming = await upload.receive(this.maxBytes);
      sameRequest(answered, uploadRequest(appealId, incoming, (await digestOf(incoming.stream)).sha256));
      return { status: answered.response.status, document: answered.response.body as StoredDocument, replayed: true };
    }
    await this.checkAppeal(caller, appealId);
    return this.addOnce(caller, appealId, key, await upload.receive(this.maxBytes));
  }

  /** Add the file as a document of the appeal (call checkAppeal first); a refusal keeps nothing. */
  async add(caller: Caller, appealId: string, incoming: IncomingFile): Promise<StoredDocument> {
    const document = await this.store(caller, appealId, incoming);
    await this.record(caller, appealId, document);
    return this.recorded(appealId, document.id);
  }

  private async addOnce(caller: Caller, appealId: string, key: string, incoming: IncomingFile): Promise<Added> {
    const document = await this.store(caller, appealId, incoming);
    let earlier: IdempotencyRecord | null;
    try {
      earlier = await claimKey(this.deps.dataSource, caller, key, uploadRequest(appealId, incoming, document.sha256), document.id);
    } catch (error) {
      await this.deps.store.delete(document.id);
      throw error;
    }
    if (earlier) await this.deps.store.delete(document.id);
    if (earlier?.response) return { status: earlier.response.status, document: earlier.response.body as StoredDocument, replayed: true };
    const first = { ...document, id: earlier?.resourceId ?? document.id };
    // A first answer lost after its document was recorded: nothing to send again.
    if (!(await findDocument(this.deps.dataSource.manager, appealId, first.id))) await this.record(caller, appealId, first, key);
    const recorded = await this.recorded(appealId, first.id);
    await saveIdempotentResponse(this.deps.dataSource, caller.sub, key, { status: 201, body: recorded });
    return { status: 201, document: recorded, replayed: earlier !== null };
  }

  /** The file's checked bytes in the store, and what the document will record of them. */
  private async store(caller: Caller, appealId: string, incoming: IncomingFile): Promise<DocumentRecord> {
    let fields: DocumentFields;
    try {
      fields = await this.checkFields(caller, appealId, incoming.fields);
    } catch (error) {
      incoming.stream.destroy();
      throw error;
    }
    const fileName = sanitiseFileName(incoming.fileName);
    const inspector = new DocumentInspector(fileName, this.deps.scanner);
    incoming.stream.on('error', (error) => inspector.destroy(error));
    inspector.on('error', () => incoming.stream.destroy());
    const blob = await this.deps.store.put(incoming.stream.pipe(inspector));
    const { mediaType, scan } = inspector.result as NonNullable<DocumentInspector['result']>;
    return { id: blob.id, category: fields.category, title: fields.title, fileName, mediaType, size: blob.size, sha256: blob.sha256, scan, supersedes: fields.supersedes ?? null };
  }

  private async recorded(appealId: string, id: string): Promise<StoredDocument> {
    return (await findDocument(this.deps.dataSource.manager, appealId, id)) as StoredDocument;
  }

  /** The fields are valid, the category is the caller's to upload, the appeal has room and holds what it supersedes. */
  private async checkFields(caller: Caller, appealId: string, given: Record<string, string>): Promise<DocumentFields> {
    const fields = parse(DocumentFieldsSchema, given);
    if (!mayUpload(caller.role, fields.category)) throw forbidden(`A ${caller.role} may not upload a ${fields.category} document`);
    const db = this.deps.dataSource.manager;
    if ((await countDocuments(db, appealId)) >= MAX_DOCUMENTS_PER_APPEAL) throw unprocessable(`An appeal holds at most ${MAX_DOCUMENTS_PER_APPEAL} documents`);
    if (fields.supersedes && !(await findDocument(db, appealId, fields.supersedes))) {
      throw unprocessable('supersedes names no document of this appeal', [{ path: 'body.supersedes', message: 'no such document on this appeal' }]);
    }
    return fields;
  }

  /**
   * The appeal records the document, or refuses it: then the bytes go, and the key they were
   * claimed under is freed. Keyed by the document, so it is recorded once.
   */
  private async record(caller: Caller, appealId: string, document: DocumentRecord, key?: string): Promise<void> {
    try {
      await this.deps.appeals.send(appealId, {}, addDocumentUpdate, { actor: { sub: caller.sub, role: caller.role }, document }, `document-${document.id}`);
    } catch (error) {
      // A refusal is final; a timeout is not (the step may still be recorded), so the bytes stay.
      if (error instanceof WorkflowUpdateFailedError || (error instanceof AppError && error.status === 409)) {
        await this.deps.store.delete(document.id);
        if (key) await releaseIdempotencyKey(this.deps.dataSource, caller.sub, key, document.id);
      }
      throw error;
    }
  }

  async list(caller: Caller, appealId: string): Promise<StoredDocument[]> {
    await this.deps.appeals.visibleRow(caller, appealId);
    return appealDocuments(this.deps.dataSource.manager, appealId);
  }

  /** The hearing bundle: for those who may see the appeal (404 otherwise) and may fetch its bundle (403 otherwise). */
  async bundle(caller: Caller, appealId: string): Promise<HearingBundle> {
    const appeal = await this.deps.appeals.findVisible(caller, appealId);
    if (!mayFetchBundle(caller.role)) throw forbidden('The hearing bundle is for the caseworker and the assigned arbiter');
    const documents = await appealDocuments(this.deps.dataSource.manager, appealId);
    return hearingBundle(appeal, documents, (id) => this.deps.store.get(id));
  }

  async download(caller: Caller, appealId: string, id: string): Promise<Download> {
    const document = await this.visibleDocument(caller, appealId, id);
    return { document, content: this.deps.store.get(id) };
  }

  /** The hash of the bytes stored now, against the one recorded in the documents row and in the timeline. */
  async verify(caller: Caller, appealId: string, id: string) {
    const document = await this.visibleDocument(caller, appealId, id);
    const { sha256: computed, size } = await digestOf(this.deps.store.get(id));
    const timeline = await timelineDigest(this.deps.dataSource.manager, appealId, id);
    return { id, recorded: document.sha256, timeline, computed, size, matches: computed === document.sha256 && timeline === document.sha256 };
  }

  /** The decision letter as HTML: the words of its PDF, from the decision as recorded; 404 until the letter is made. */
  async decisionLetterHtml(caller: Caller, appealId: string): Promise<string> {
    await this.deps.appeals.visibleRow(caller, appealId);
    const db = this.deps.dataSource.manager;
    const facts = (await decisionLetterOf(db, appealId)) ? await decisionLetterFacts(db, appealId) : null;
    if (!facts) throw notFound('This appeal has no decision letter yet');
    return letterHtml(decisionLetter(facts));
  }

  private async visibleDocument(caller: Caller, appealId: string, id: string): Promise<StoredDocument> {
    await this.deps.appeals.visibleRow(caller, appealId);
    const document = await findDocument(this.deps.dataSource.manager, appealId, id);
    if (!document) throw notFound('No such document on this appeal');
    return document;
  }
}
