/** The calls on an appeal's documents: upload, list, download, verify, the hearing bundle, and the decision letter as HTML. */
import { ROLES } from '../../domain/appeal';
import { DOCUMENT_MEDIA_TYPES, DOCUMENT_UPLOADERS, MAX_DOCUMENTS_PER_APPEAL, UPLOADS_BY_ROLE } from '../../domain/documents';
import { AppealParamsSchema } from '../appeals/schemas';
import { callsOf, type Upload } from '../calls';
import { replayed, REPLAYED } from '../idempotency';
import { IdempotencyHeadersSchema, NoQuerySchema, z } from '../schemas';
import { BundleHeadersSchema, DocumentContentSchema, DocumentFieldsSchema, DocumentListSchema, DocumentParamsSchema, DocumentSchema, DocumentVerificationSchema } from './schemas';
import { bundleAnswer, downloadHeaders, type DocumentService } from './service';

const call = callsOf<DocumentService>();
const tag = 'Documents';

const who = Object.entries(UPLOADS_BY_ROLE)
  .map(([role, categories]) => `a ${role}: ${categories.join(', ')}`)
  .join('; ');

export const appealDocumentCalls = [
  call({
    method: 'post',
    path: '/v1/appeals/{id}/documents',
    tag,
    operationId: 'uploadDocument',
    summary: 'Add a document to the appeal',
    description:
      `multipart/form-data: the fields category, title and (for a new version) supersedes, then one file in the field file; ` +
      `fields after the file are not read. Who uploads which category: ${who} (403 otherwise). While the appeal is open and ` +
      `before the decision (409 after). The type is detected from the content: ${Object.values(DOCUMENT_MEDIA_TYPES).join(', ')} ` +
      '(CSV: a name ending .csv and UTF-8 text without NUL at the start, as no signature exists); any other is refused with 415. ' +
      `413 as soon as the file passes DOCUMENT_MAX_MB; 422 for a PDF that does not parse, for a supersedes naming no document of ` +
      `this appeal, and past ${MAX_DOCUMENTS_PER_APPEAL} documents; 400 for an empty file or a body without one. ` +
      "The document and its SHA-256 are recorded in the appeal's timeline (document_added). " +
      'With an Idempotency-Key, a repeat with the same fields, file name and bytes records nothing and answers the first answer again ' +
      '(Idempotent-Replayed: true), and concurrent repeats add one document; the key reused with another body or on another appeal is refused with 422. ' +
      'Without one, a repeat adds another document.',
    roles: DOCUMENT_UPLOADERS,
    request: { params: AppealParamsSchema, query: NoQuerySchema, headers: IdempotencyHeadersSchema, multipart: { fields: DocumentFieldsSchema, file: 'file' } },
    success: { status: 201, description: 'The document, recorded', schema: DocumentSchema, headers: { Location: 'The document', 'Idempotent-Replayed': REPLAYED } },
    problems: [404, 409, 422],
    async handle({ caller, params, headers, upload }, s) {
      const added = await s.upload(caller, params.id, upload as Upload, headers['Idempotency-Key']);
      return { status: added.status, headers: { ...replayed(added.replayed), Location: `/v1/appeals/${params.id}/documents/${added.document.id}` }, body: added.document };
    },
  }),
  call({
    method: 'get',
    path: '/v1/appeals/{id}/documents',
    tag,
    operationId: 'listDocuments',
    summary: "The appeal's documents, oldest first",
    roles: ROLES,
    request: { params: AppealParamsSchema, query: NoQuerySchema },
    success: { status: 200, description: 'The documents', schema: DocumentListSchema },
    problems: [404],
    handle: async ({ caller, params }, s) => ({ body: { items: await s.list(caller, params.id) } }),
  }),
  call({
    method: 'get',
    path: '/v1/appeals/{id}/documents/{docId}',
    tag,
    operationId: 'downloadDocument',
    summary: 'Download a document',
    description: 'The bytes as uploaded, with the type detected at upload, as an attachment.',
    roles: ROLES,
    request: { params: DocumentParamsSchema, query: NoQuerySchema },
    success: {
      status: 200,
      description: 'The document',
      schema: DocumentContentSchema,
      contentTypes: Object.keys(DOCUMENT_MEDIA_TYPES),
      headers: {
        'Content-Disposition': 'attachment, with the sanitised file name',
        'X-Content-Type-Options': 'nosniff',
        'Repr-Digest': 'The recorded SHA-256 (RFC 9530): sha-256=:<base64>:',
      },
    },
    problems: [404],
    async handle({ caller, params }, s) {
      const { document, content } = await s.download(caller, params.id, params.docId);
      return { headers: downloadHeaders(document), body: content };
    },
  }),
  call({
    method: 'get',
    path: '/v1/appeals/{id}/documents/{docId}/verify',
    tag,
    operationId: 'verifyDocument',
    summary: 'Recompute the SHA-256 of the stored bytes and compare it with the recorded one',
    roles: ROLES,
    request: { params: DocumentParamsSchema, query: NoQuerySchema },
    success: { status: 200, description: 'The comparison', schema: DocumentVerificationSchema },
    problems: [404],
    handle: async ({ caller, params }, s) => ({ body: await s.verify(caller, params.id, params.docId) }),
  }),
  call({
    method: 'get',
    path: '/v1/appeals/{id}/bundle.pdf',
    tag,
    operationId: 'getHearingBundle',
    summary: 'The hearing bundle: a cover, an index with page numbers and hashes, then every PDF document merged in',
    description:
      'For the caseworker and the assigned arbiter. Scoped first, as every read of an appeal (404 out of scope), then 403 for ' +
      "any other role. One PDF: a cover (the appeal's reference, the proposed mutual, the parent body, the hearing if scheduled), an index " +
      "(each document's title, category, uploader's role, date, SHA-256 and the bundle page it starts on, or why it is not included: " +
      'a type other than PDF, or a PDF that cannot be read), then the PDF documents in upload order; every page says "Bundle page N of M". ' +
      'The same documents give byte-identical bundles; the ETag answers If-None-Match with 304.',
    roles: ROLES,
    request: { params: AppealParamsSchema, query: NoQuerySchema, headers: BundleHeadersSchema },
    success: {
      status: 200,
      description: 'The bundle',
      schema: DocumentContentSchema,
      contentType: 'application/pdf',
      headers: {
        'Content-Disposition': 'attachment; filename="<reference>-bundle.pdf"',
        'X-Content-Type-Options': 'nosniff',
        ETag: 'Of everything the bundle says: its cover and index, and the SHA-256 of each document',
      },
    },
    otherAnswers: { 304: { description: 'Not modified: the bundle named in If-None-Match is still the one the appeal makes' } },
    problems: [403, 404],
    async handle({ caller, params, headers }, s) {
      return bundleAnswer(await s.bundle(caller, params.id), headers['If-None-Match']);
    },
  }),
  call({
    method: 'get',
    path: '/v1/appeals/{id}/decision-letter.html',
    tag,
    operationId: 'decisionLetterHtml',
    summary: 'The decision letter as HTML',
    description:
      'The words of the decision letter (the decision_letter document, a PDF the engine makes once when the decision is recorded), ' +
      'as an HTML page rendered from the decision as recorded. 404 until the letter is made. It names the parties: it is for the people on the case.',
    roles: ROLES,
    request: { params: AppealParamsSchema, query: NoQuerySchema },
    success: { status: 200, description: 'The letter as an HTML page (lang en-GB)', contentType: 'text/html', schema: z.string() },
    problems: [404],
    handle: async ({ caller, params }, s) => ({ headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: await s.decisionLetterHtml(caller, params.id) }),
  }),
];
